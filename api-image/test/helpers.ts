// Wires the API to the real local stack (Kafka, Redis) with a fresh signing key and a topic of the test's own.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTopicsAndWait } from '@fraud-operator/kafka/topics';
import { loadStackEnv } from '@fraud-operator/stack/env';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { buildApp } from '../src/app.ts';
import { SCOPES } from '../src/auth-policy.ts';
import type { Config } from '../src/config.ts';
import { generateSigningKey, mintToken, publicJwks, type SigningKey, type TokenClaims } from '../src/token.ts';

export const ISSUER = 'https://issuer.test';
export const AUDIENCE = 'fraud-api-test';

export interface Harness {
  config: Config;
  redis: Redis;
  key: SigningKey;
  keyDir: string;
  jwksFile: string;
  prefix: string;
  topic: string;
  kafka: Kafka;
  token(claims?: Partial<TokenClaims>, key?: SigningKey): Promise<string>;
  app(overrides?: (c: Config) => Config): Promise<FastifyInstance>;
  /** Messages on the test topic so far (sum of the partitions' high watermarks). */
  published(): Promise<number>;
  close(): Promise<void>;
}

export async function harness(name: string): Promise<Harness> {
  const env = loadStackEnv();
  const prefix = `${name}-${randomBytes(4).toString('hex')}`;
  const topic = `api-test-${prefix}`;
  const kafka = new Kafka({ clientId: 'api-test', brokers: env.KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await createTopicsAndWait(admin, { topics: [{ topic, numPartitions: 3, replicationFactor: 1 }] });
  const key = await generateSigningKey('ES256', `k-${prefix}`);
  const keyDir = mkdtempSync(join(tmpdir(), 'api-test-keys-'));
  const jwksFile = join(keyDir, 'jwks.json');
  writeFileSync(jwksFile, JSON.stringify(publicJwks(key)));
  const redis = new Redis(env.REDIS_URL);
  const apps: FastifyInstance[] = [];
  const config: Config = {
    host: '127.0.0.1',
    port: 0,
    logLevel: 'silent',
    kafka: { brokers: env.KAFKA_BROKERS.split(','), clientId: 'api-test', transactionsTopic: topic },
    redisUrl: env.REDIS_URL,
    auth: {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['ES256'],
      keys: { kind: 'key-file', path: jwksFile },
      clockSkewSeconds: 5,
      keyRefreshSeconds: 1,
      tokenCacheSeconds: 60,
    },
    limits: {
      bodyBytes: 4096,
      ratePerMinute: 1_000_000,
      maxWaitMs: 3000,
      defaultScoreWaitMs: 2000,
      publishTimeoutMs: 5000,
    },
    idempotency: { ttlSeconds: 600, leaseSeconds: 30 },
  };
  return {
    config,
    redis,
    key,
    keyDir,
    jwksFile,
    prefix,
    topic,
    kafka,
    token: (claims = {}, k = key) =>
      mintToken(k, {
        issuer: ISSUER,
        audience: AUDIENCE,
        subject: 'client-1',
        scopes: [SCOPES.write, SCOPES.read],
        ...claims,
      }),
    async app(overrides = (c) => c) {
      const app = await buildApp(overrides(structuredClone(config)));
      apps.push(app);
      await app.ready();
      return app;
    },
    async published() {
      const offsets = await admin.fetchTopicOffsets(topic);
      return offsets.reduce((sum, p) => sum + Number(p.high), 0);
    },
    async close() {
      await Promise.allSettled(apps.map((a) => a.close()));
      for (const pattern of [`txreq:${prefix}*`, `verdict:${prefix}*`]) {
        const keys = await redis.keys(pattern);
        if (keys.length > 0) await redis.del(...keys);
      }
      await redis.quit();
      await admin.deleteTopics({ topics: [topic] }).catch(() => {});
      await admin.disconnect();
      rmSync(keyDir, { recursive: true, force: true });
    },
  };
}

export const verdictFor = (txId: string) => ({
  txId,
  score: 0.91,
  decision: 'fraud' as const,
  modelVersion: 'v-test',
  threshold: 0.5,
  latencyMs: 3.2,
});

/** Plays the scorer's part of the contract: SET the verdict, then PUBLISH it. */
export async function landVerdict(redis: Redis, txId: string): Promise<void> {
  const json = JSON.stringify(verdictFor(txId));
  await redis.set(`verdict:${txId}`, json, 'EX', 600);
  await redis.publish(`verdicts:${txId}`, json);
}

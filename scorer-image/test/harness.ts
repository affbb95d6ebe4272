import { createHash, randomUUID } from 'node:crypto';
import { renameSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { createTopicsAndWait } from '@fraud-operator/kafka/topics';
import { loadStackEnv, type StackEnv } from '@fraud-operator/stack/env';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { stringify } from 'yaml';
import { HANDBOOK_WEIGHTS, tinyModelBytes } from './fixtures/tiny-model.ts';

export const WEIGHTS = HANDBOOK_WEIGHTS;

export interface TestWorld {
  env: StackEnv;
  id: string;
  topics: { transactions: string; labels: string; verdicts: string; deadLetters: string; scores: string };
  modelUri: string;
  sha256: string;
  dir: string;
  cleanup(): Promise<void>;
}

export function s3Client(env: StackEnv): S3Client {
  return new S3Client({
    endpoint: env.S3_ENDPOINT,
    region: env.S3_REGION,
    forcePathStyle: true,
    credentials: { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY },
  });
}

/** Unique topics, a bucket holding the tiny model, and a temp folder for config files. */
export async function createWorld(name: string, partitions = 4): Promise<TestWorld> {
  const env = loadStackEnv();
  const id = `${name}-${randomUUID().slice(0, 8)}`;
  const topics = {
    transactions: `${id}.transactions`,
    labels: `${id}.labels`,
    verdicts: `${id}.verdicts`,
    deadLetters: `${id}.dlq`,
    scores: `${id}.scores`,
  };
  const kafka = new Kafka({ clientId: id, brokers: env.KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await createTopicsAndWait(admin, {
    topics: [
      topics.transactions,
      topics.labels,
      topics.verdicts,
      topics.deadLetters,
      `${topics.scores}.v1`,
      `${topics.scores}.v2`,
    ].map((topic) => ({
      topic,
      numPartitions: topic === topics.transactions ? partitions : 1,
    })),
  });
  await admin.disconnect();
  const bytes = tinyModelBytes({ weights: WEIGHTS, bias: -3 });
  const s3 = s3Client(env);
  const bucket = id.toLowerCase().replace(/[^a-z0-9-]/g, '-');
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'model.onnx', Body: bytes }));
  const dir = await mkdtemp(join(tmpdir(), `${id}-`));
  return {
    env,
    id,
    topics,
    modelUri: `s3://${bucket}/model.onnx`,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    dir,
    async cleanup() {
      // Every Redis key a test scorer wrote (verdicts, feature windows) is under `<id>:`.
      const redis = new Redis(env.REDIS_URL);
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${id}:*`, 'COUNT', 10_000);
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== '0');
      redis.disconnect();
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'model.onnx' })).catch(() => undefined);
      await s3.send(new DeleteBucketCommand({ Bucket: bucket })).catch(() => undefined);
      s3.destroy();
      const a = kafka.admin();
      await a.connect();
      await a
        .deleteTopics({
          topics: [
            topics.transactions,
            topics.labels,
            topics.verdicts,
            topics.deadLetters,
            `${topics.scores}.v1`,
            `${topics.scores}.v2`,
          ],
        })
        .catch(() => undefined);
      await a.disconnect();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Writes a scorer config file for `version` and returns its path (rewrite it to change the schedule). */
export function writeConfig(
  world: TestWorld,
  version: string,
  mode: 'primary' | 'canary' | 'shadow',
  authority?: unknown,
  file = `${version}.yaml`,
): string {
  const path = join(world.dir, file);
  const tmp = `${path}.tmp`;
  writeFileSync(
    tmp,
    stringify({
      mode,
      model: { uri: world.modelUri, version, sha256: world.sha256, threshold: 0.5, featureCount: WEIGHTS.length },
      topics: { ...world.topics, scores: `${world.topics.scores}.${version}` },
      verdictTtlSeconds: 600,
      ...(authority === undefined ? {} : { authority }),
    }),
  );
  // rename is atomic, as a ConfigMap's symlink swap is
  renameSync(tmp, path);
  return path;
}

export interface Tx {
  txId: string;
  ts: number;
  customerId: string;
  terminalId: string;
  amount: number;
}

export const makeTx = (world: TestWorld, i: number, ts: number): Tx => ({
  txId: `${world.id}-tx-${i}`,
  ts,
  customerId: `c${i % 97}`,
  terminalId: `t${i % 31}`,
  amount: (i % 500) + 0.5,
});

export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** Reads a whole topic from the beginning until `expected` messages have arrived or the timeout passes. */
export async function readTopic(
  world: TestWorld,
  topic: string,
  expected: number,
  timeoutMs: number,
): Promise<Array<{ key: string; value: string }>> {
  const kafka = new Kafka({
    clientId: `${world.id}-reader`,
    brokers: world.env.KAFKA_BROKERS.split(','),
    logLevel: logLevel.NOTHING,
  });
  const consumer = kafka.consumer({ groupId: `${world.id}-reader-${randomUUID()}`, maxWaitTimeInMs: 100 });
  const out: Array<{ key: string; value: string }> = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      out.push({ key: message.key?.toString() ?? '', value: message.value?.toString() ?? '' });
    },
  });
  try {
    await waitFor(`${expected} messages on ${topic}`, async () => out.length >= expected, timeoutMs).catch(
      () => undefined,
    );
  } finally {
    await consumer.disconnect();
  }
  return out;
}

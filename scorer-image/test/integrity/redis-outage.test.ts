import { openProducer, type Producer } from '@fraud-operator/kafka/producer';
import { type Relay, startRelay } from '@fraud-operator/stack/tcp-relay';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Scorer, startScorer } from '../../src/app.ts';
import { createWorld, makeTx, type TestWorld, waitFor, writeConfig } from '../harness.ts';

/**
 * Redis unreachable for 10 s while transactions keep coming: the scorer backs off, then resumes with no loss. Either
 * deployment: one Redis for everything (it goes away), or the verdicts in a second one (it goes away, the feature
 * state's stays).
 */
describe.each([
  { cut: 'the one Redis', split: false },
  { cut: "the verdicts' Redis", split: true },
])('$cut unavailable', ({ split }) => {
  let world: TestWorld;
  let producer: Producer;
  let redis: Redis;
  let relay: Relay;
  let scorer: Scorer | undefined;
  const OUTAGE_MS = 10_000;

  beforeAll(async () => {
    world = await createWorld('redis-outage');
    redis = new Redis(verdictUrl());
    producer = await openProducer({ brokers: world.env.KAFKA_BROKERS.split(','), clientId: world.id });
    const target = new URL(verdictUrl());
    relay = await startRelay(target.hostname, Number(target.port));
  });
  afterAll(async () => {
    await scorer?.close();
    await relay?.close();
    await producer?.close();
    for (const client of split ? [redis, new Redis(world.env.REDIS_URL)] : [redis]) {
      const keys = await client.keys(`${world.id}:*`);
      if (keys.length > 0) await client.del(...keys);
      client.disconnect();
    }
    await world?.cleanup();
  });

  /** The Redis that goes away, which holds the verdicts either way. */
  const verdictUrl = () => (split ? world.env.VERDICT_REDIS_URL : world.env.REDIS_URL);

  it('backs off while Redis is away and scores everything after', async () => {
    const target = new URL(verdictUrl());
    target.port = String(relay.port);
    scorer = await startScorer({
      configPath: writeConfig(world, 'v1', 'primary'),
      brokers: world.env.KAFKA_BROKERS.split(','),
      redisUrl: split ? world.env.REDIS_URL : target.toString(),
      verdictRedisUrl: target.toString(),
      s3: {
        endpoint: world.env.S3_ENDPOINT,
        region: world.env.S3_REGION,
        accessKeyId: world.env.S3_ACCESS_KEY_ID,
        secretAccessKey: world.env.S3_SECRET_ACCESS_KEY,
      },
      log: pino({ level: 'silent' }),
      port: 0,
      groupId: `${world.id}-v1`,
      redisKeyPrefix: `${world.id}:`,
    });
    await waitFor('ready', async () => scorer?.ready() === true, 30_000);
    const T0 = Date.UTC(2026, 0, 1);
    const prefix = `${world.id}:verdict:`;
    const send = (from: number, to: number) =>
      producer.send(
        world.topics.transactions,
        Array.from({ length: to - from }, (_, k) => ({
          key: `c${(from + k) % 97}`,
          value: JSON.stringify(makeTx(world, from + k, T0 + from + k)),
        })),
      );
    await send(0, 1000);
    await waitFor('first 1000 verdicts', async () => (await redis.keys(`${prefix}*`)).length >= 1000, 30_000);
    await relay.cut();
    const cutAt = Date.now();
    for (let i = 1000; i < 5000; i += 500) {
      await send(i, i + 500);
      await new Promise((r) => setTimeout(r, 1000));
    }
    const duringOutage = (await redis.keys(`${prefix}*`)).length;
    await new Promise((r) => setTimeout(r, Math.max(0, OUTAGE_MS - (Date.now() - cutAt))));
    await relay.restore();
    await waitFor('all 5000 verdicts', async () => (await redis.keys(`${prefix}*`)).length >= 5000, 60_000).catch(
      async (err) => {
        throw new Error(`${err.message}: have ${(await redis.keys(`${prefix}*`)).length}`);
      },
    );
    const metrics = await (await fetch(`http://127.0.0.1:${scorer.port}/metrics`)).text();
    // The batch backs off at whichever step fails: the feature windows (read first) or the verdicts.
    const retries = [...metrics.matchAll(/scorer_retries_total\{what="(?:features|redis)",model_version="v1"\} (\d+)/g)]
      .map((m) => Number(m[1]))
      .reduce((a, b) => a + b, 0);
    expect(duringOutage).toBe(1000);
    expect((await redis.keys(`${prefix}*`)).length).toBe(5000);
    expect(retries).toBeGreaterThan(3);
    // capped exponential backoff: at most ~2 s apart, so ~10 s gives a bounded number of tries
    expect(retries).toBeLessThan(100);
    if (split) {
      // the feature state's Redis stayed up: only the verdict writes waited
      const count = (what: string) =>
        Number(
          new RegExp(`scorer_retries_total\\{what="${what}",model_version="v1"\\} (\\d+)`).exec(metrics)?.[1] ?? 0,
        );
      expect(count('features')).toBe(0);
      expect(count('redis')).toBeGreaterThan(3);
    }
  });
});

// The verdict store against the stack's Redis: one verdict per transaction whatever the retries, published once,
// in the order asked, across the script's chunks.
import { randomUUID } from 'node:crypto';
import { loadStackEnv } from '@fraud-operator/stack/env';
import { deleteKeys } from '@fraud-operator/stack/redis-keys';
import type { Verdict } from '@fraud-operator/transactions/wire';
import { Redis } from 'ioredis';
import { afterAll, expect, it } from 'vitest';
import { createVerdictStore } from '../src/verdict-store.ts';

const env = loadStackEnv();
const prefix = `it-verdicts-${randomUUID().slice(0, 8)}:`;
const redis = new Redis(env.REDIS_URL);
const sub = new Redis(env.REDIS_URL);

afterAll(async () => {
  await deleteKeys(redis, `${prefix}*`);
  redis.disconnect();
  sub.disconnect();
});

const verdict = (i: number, score: number): Verdict => ({
  txId: `t${i}`,
  score,
  decision: score >= 0.5 ? 'fraud' : 'legit',
  modelVersion: 'v1',
  threshold: 0.5,
  latencyMs: 1,
});

it('stores each verdict once with its TTL, publishes it once, and a retry gets the stored one back', async () => {
  const store = createVerdictStore(redis, () => 600, prefix);
  const published: string[] = [];
  await sub.psubscribe(`${prefix}verdicts:*`);
  sub.on('pmessage', (_p, channel: string) => published.push(channel.slice(prefix.length)));
  const N = 1234; // three calls of the script
  const first = Array.from({ length: N }, (_, i) => verdict(i, (i % 10) / 10));
  expect(await store.putOnce(first)).toEqual(first.map((v) => JSON.stringify(v)));
  // the same transactions scored again (a redelivery, the other version): nothing changes
  const again = Array.from({ length: N }, (_, i) => verdict(i, 0.99));
  const mixed = [verdict(N, 0.7), ...again.slice(0, 600)];
  expect(await store.putOnce(mixed)).toEqual([
    JSON.stringify(mixed[0]),
    ...first.slice(0, 600).map((v) => JSON.stringify(v)),
  ]);
  expect(await redis.get(`${prefix}verdict:t7`)).toBe(JSON.stringify(first[7]));
  const ttl = await redis.ttl(`${prefix}verdict:t7`);
  expect(ttl).toBeGreaterThan(590);
  expect(ttl).toBeLessThanOrEqual(600);
  await expect.poll(() => published.length).toBe(N + 1);
  expect(new Set(published).size).toBe(N + 1);
  expect(await store.putOnce([])).toEqual([]);
});

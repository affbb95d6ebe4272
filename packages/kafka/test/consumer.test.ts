// openConsumer against the stack's Kafka: commits leave the hot path but never get ahead of a batch's side effects,
// and close() waits for them, so a clean stop leaves the group's offsets exactly after the last handled message.
import { randomUUID } from 'node:crypto';
import { loadStackEnv } from '@fraud-operator/stack/env';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Batch, openConsumer } from '../src/consumer.ts';
import { openProducer } from '../src/producer.ts';
import { createTopicsAndWait } from '../src/topics.ts';

const brokers = loadStackEnv().KAFKA_BROKERS.split(',');
const id = `it-consumer-${randomUUID().slice(0, 8)}`;
const topic = `${id}.in`;
const admin = new Kafka({ clientId: id, brokers, logLevel: logLevel.NOTHING }).admin();
const PARTITIONS = 3;
const N = 3000;

beforeAll(async () => {
  await admin.connect();
  await createTopicsAndWait(admin, { topics: [{ topic, numPartitions: PARTITIONS }] });
  const producer = await openProducer({ brokers, clientId: id });
  const messages = Array.from({ length: N }, (_, i) => ({ key: `k${i % 50}`, value: String(i) }));
  for (let i = 0; i < N; i += 500) await producer.send(topic, messages.slice(i, i + 500));
  await producer.close();
});

afterAll(async () => {
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
});

/** The group's committed offset per partition (-1: none). */
async function committed(groupId: string): Promise<number[]> {
  const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
  const byPartition = new Map(entry?.partitions.map((p) => [p.partition, Number(p.offset)]) ?? []);
  return Array.from({ length: PARTITIONS }, (_, p) => byPartition.get(p) ?? -1);
}

it('commits only handled batches, and close() leaves every offset after the last handled message', async () => {
  const groupId = `${id}-a`;
  const handled = new Map<number, number>(); // partition → last handled offset
  const commitsSeenBeforeDurable: string[] = [];
  let count = 0;
  let commits = 0;
  let release: () => void = () => {};
  const gate = new Promise<void>((r) => {
    release = r;
  });
  const consumer = await openConsumer({
    brokers,
    clientId: groupId,
    groupId,
    topics: [topic],
    partitionsConsumedConcurrently: PARTITIONS,
    onCommitted: () => commits++,
    onBatch: async (batch) => {
      // a batch's side effects are "durable" only when onBatch resolves: nothing of it may be committed before
      const first = Number(batch.messages[0]!.offset);
      const now = await committed(groupId);
      if (now[batch.partition]! > first) commitsSeenBeforeDurable.push(`${batch.partition}@${first}`);
      const last = Number(batch.messages.at(-1)!.offset);
      handled.set(batch.partition, Math.max(handled.get(batch.partition) ?? -1, last));
      count += batch.messages.length;
      if (count >= N) release();
    },
  });
  await gate;
  await consumer.close();
  expect(commitsSeenBeforeDurable).toEqual([]);
  expect(commits).toBeGreaterThan(0);
  const expected = Array.from({ length: PARTITIONS }, (_, p) => (handled.get(p) ?? -2) + 1);
  expect(await committed(groupId)).toEqual(expected);
  expect(expected.reduce((a, b) => a + b, 0)).toBe(N);
});

it('a batch that fails is not committed: the next member of the group reads it again', async () => {
  const groupId = `${id}-b`;
  let failed = false;
  const first = await openConsumer({
    brokers,
    clientId: groupId,
    groupId,
    topics: [topic],
    onBatch: async () => {
      failed = true;
      throw new Error('side effect failed');
    },
  });
  while (!failed) await new Promise((r) => setTimeout(r, 50));
  await first.close();
  expect(await committed(groupId)).toEqual(Array.from({ length: PARTITIONS }, () => -1));
  let reread = 0;
  const second = await openConsumer({
    brokers,
    clientId: `${groupId}-2`,
    groupId,
    topics: [topic],
    onBatch: async (batch) => {
      reread += batch.messages.length;
    },
  });
  while (reread < N) await new Promise((r) => setTimeout(r, 50));
  await second.close();
  expect(reread).toBe(N);
});

/**
 * A consumer of the topic that hands every batch back with `durable` side effects from `hold`; one record batch per
 * fetch, so each partition arrives in several batches.
 */
const holdingConsumer = (groupId: string, maxBatchesBehind: number, hold: (batch: Batch) => Promise<void>) =>
  openConsumer({
    brokers,
    clientId: groupId,
    groupId,
    topics: [topic],
    partitionsConsumedConcurrently: PARTITIONS,
    maxBytesPerPartition: 1024,
    maxBatchesBehind,
    onBatch: async (batch) => ({ durable: hold(batch) }),
  });

it('a batch handed back with side effects under way is committed once they and every earlier batch of its partition are durable', async () => {
  const groupId = `${id}-c`;
  const held: { partition: number; last: number; settle: (ok: boolean) => void }[] = [];
  let count = 0;
  // every batch held at once
  const consumer = await holdingConsumer(groupId, 100, (batch) => {
    count += batch.messages.length;
    return new Promise<void>((resolve, reject) => {
      const settle = (ok: boolean) => (ok ? resolve() : reject(new Error('topic write failed')));
      held.push({ partition: batch.partition, last: Number(batch.messages.at(-1)!.offset), settle });
    });
  });
  while (count < N) await new Promise((r) => setTimeout(r, 50));
  const firsts = Array.from({ length: PARTITIONS }, (_, p) => held.find((h) => h.partition === p)!);
  expect(held.length).toBeGreaterThan(2 * PARTITIONS);
  const none = Array.from({ length: PARTITIONS }, () => -1);
  await new Promise((r) => setTimeout(r, 300));
  expect(await committed(groupId)).toEqual(none);
  // every later batch durable, the first of each partition not yet: still nothing may be committed
  for (const h of held) if (!firsts.includes(h)) h.settle(true);
  await new Promise((r) => setTimeout(r, 300));
  expect(await committed(groupId)).toEqual(none);
  // partition 0's first batch fails for good: neither it nor anything after it is committed
  firsts[0]!.settle(false);
  for (const h of firsts.slice(1)) h.settle(true);
  await consumer.close();
  const ends = Array.from({ length: PARTITIONS }, (_, p) =>
    Math.max(...held.filter((h) => h.partition === p).map((h) => h.last + 1)),
  );
  expect(await committed(groupId)).toEqual([-1, ...ends.slice(1)]);
});

it('holds the fetches back while too many batches have side effects under way, and goes on when they end', async () => {
  const groupId = `${id}-d`;
  const MAX_BEHIND = 2;
  const held: (() => void)[] = [];
  let count = 0;
  const consumer = await holdingConsumer(groupId, MAX_BEHIND, (batch) => {
    count += batch.messages.length;
    return new Promise<void>((resolve) => held.push(resolve));
  });
  await expect.poll(() => held.length).toBeGreaterThan(MAX_BEHIND);
  await new Promise((r) => setTimeout(r, 500));
  // each of the partitions' workers may hold one batch past the bound, waiting for room
  expect(held.length).toBeLessThanOrEqual(MAX_BEHIND + PARTITIONS);
  expect(count).toBeLessThan(N);
  while (count < N) {
    for (const release of held.splice(0)) release();
    await new Promise((r) => setTimeout(r, 20));
  }
  for (const release of held.splice(0)) release();
  await consumer.close();
  expect((await committed(groupId)).reduce((a, b) => a + b, 0)).toBe(N);
});

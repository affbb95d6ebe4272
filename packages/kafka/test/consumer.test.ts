// openConsumer against the stack's Kafka: commits leave the hot path but never get ahead of a batch's side effects,
// and close() waits for them, so a clean stop leaves the group's offsets exactly after the last handled message.
import { randomUUID } from 'node:crypto';
import { loadStackEnv } from '@fraud-operator/stack/env';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openConsumer } from '../src/consumer.ts';
import { openProducer } from '../src/producer.ts';

const brokers = loadStackEnv().KAFKA_BROKERS.split(',');
const id = `it-consumer-${randomUUID().slice(0, 8)}`;
const topic = `${id}.in`;
const admin = new Kafka({ clientId: id, brokers, logLevel: logLevel.NOTHING }).admin();
const PARTITIONS = 3;
const N = 3000;

beforeAll(async () => {
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: PARTITIONS }] });
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

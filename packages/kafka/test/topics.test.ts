// createTopicsAndWait against the stack's Kafka: when it returns, every partition of every new topic has a leader and
// takes writes at the first attempt; topics that exist already are left as they are.
import { randomUUID } from 'node:crypto';
import { loadStackEnv } from '@fraud-operator/stack/env';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTopicsAndWait } from '../src/topics.ts';

const brokers = loadStackEnv().KAFKA_BROKERS.split(',');
const id = `it-topics-${randomUUID().slice(0, 8)}`;
const names = [`${id}.a`, `${id}.b`, `${id}.c`];
const admin = new Kafka({ clientId: id, brokers, logLevel: logLevel.NOTHING }).admin();

beforeAll(() => admin.connect());
afterAll(async () => {
  await admin.deleteTopics({ topics: names }).catch(() => undefined);
  await admin.disconnect();
});

it('returns once every partition of the new topics has a leader, and they take writes at once', async () => {
  const created = await createTopicsAndWait(admin, { topics: names.map((topic) => ({ topic, numPartitions: 4 })) });
  expect(created).toBe(true);
  const meta = await admin.fetchTopicMetadata({ topics: names });
  expect(meta.topics.map((t) => [t.name, t.partitions.filter((p) => p.leader >= 0).length]).sort()).toEqual(
    names.map((n) => [n, 4]),
  );
  const producer = new Kafka({ clientId: id, brokers, logLevel: logLevel.NOTHING }).producer({
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  try {
    for (const topic of names)
      await producer.send({ topic, acks: -1, messages: [0, 1, 2, 3].map((partition) => ({ value: 'x', partition })) });
  } finally {
    await producer.disconnect();
  }
  // A produce refused with NOT_LEADER (metadata ahead of the leader) is retried whole by this non-idempotent
  // producer: a partition would then hold 2.
  for (const topic of names) {
    const offsets = await admin.fetchTopicOffsets(topic);
    expect(offsets.map((o) => Number(o.high))).toEqual([1, 1, 1, 1]);
  }
});

it('leaves existing topics alone and says it created nothing', async () => {
  expect(await createTopicsAndWait(admin, { topics: [{ topic: names[0]!, numPartitions: 4 }] })).toBe(false);
});

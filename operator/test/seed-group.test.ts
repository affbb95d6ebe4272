// A canary fleet's consumer group starts where the stable fleet's is, not at the topic's beginning.

import { createTopicsAndWait } from '@fraud-operator/kafka/topics';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { TopicAdmin } from '../src/kafka/topic-admin.ts';
import { env, kafka, uid } from './helpers.ts';

const topic = uid('seed-group');
const admin = kafka.admin();
const topics = new TopicAdmin(env.KAFKA_BROKERS.split(','), pino({ level: 'silent' }));

afterAll(async () => {
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
  await topics.close();
});

describe('TopicAdmin.seedGroup', () => {
  it("copies the stable group's committed offsets to a canary group that never committed, once", async () => {
    await admin.connect();
    await createTopicsAndWait(admin, { topics: [{ topic, numPartitions: 3 }] });
    const stable = `${topic}.v1`;
    const canary = `${topic}.v2`;
    await admin.setOffsets({
      groupId: stable,
      topic,
      partitions: [
        { partition: 0, offset: '17' },
        { partition: 2, offset: '5' },
      ],
    });
    expect(await topics.seedGroup(topic, stable, canary)).toBe(true);
    const [seeded] = await admin.fetchOffsets({ groupId: canary, topics: [topic] });
    const byPartition = Object.fromEntries(seeded!.partitions.map((p) => [p.partition, p.offset]));
    expect(byPartition).toEqual({ 0: '17', 1: '-1', 2: '5' });

    await admin.setOffsets({ groupId: stable, topic, partitions: [{ partition: 0, offset: '40' }] });
    expect(await topics.seedGroup(topic, stable, canary)).toBe(false);
    const [kept] = await admin.fetchOffsets({ groupId: canary, topics: [topic] });
    expect(kept!.partitions.find((p) => p.partition === 0)?.offset).toBe('17');
    expect(await topics.seedGroup(topic, `${topic}.none`, `${topic}.v3`)).toBe(false);
  });
});

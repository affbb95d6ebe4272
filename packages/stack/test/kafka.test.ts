import { randomUUID } from 'node:crypto';
import { createTopicsAndWait } from '@fraud-operator/kafka/topics';
import { type Consumer, Kafka, logLevel } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { loadStackEnv } from '../src/env.ts';

const env = loadStackEnv();
const kafka = new Kafka({ clientId: 'stack-proof', brokers: env.KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING });
const topic = `proof-${randomUUID()}`;
const group = `proof-group-${randomUUID()}`;
const consumers: Consumer[] = [];

async function until(check: () => boolean, ms: number, what: string) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

afterAll(async () => {
  await Promise.all(consumers.map((c) => c.disconnect()));
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
});

describe('Kafka (KRaft, one node)', () => {
  it('shares two partitions in a consumer group and rebalances when a second member joins', async () => {
    const admin = kafka.admin();
    await admin.connect();
    await createTopicsAndWait(admin, { topics: [{ topic, numPartitions: 2, replicationFactor: 1 }] });
    await admin.disconnect();

    const seen: Record<string, Set<string>> = { a: new Set(), b: new Set() };
    const assigned: Record<string, number[]> = { a: [], b: [] };
    const join = async (member: 'a' | 'b') => {
      const consumer = kafka.consumer({ groupId: group, sessionTimeout: 10_000, heartbeatInterval: 500 });
      consumers.push(consumer);
      consumer.on(consumer.events.GROUP_JOIN, (e) => {
        assigned[member] = e.payload.memberAssignment[topic] ?? [];
      });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          seen[member]!.add(message.value!.toString());
        },
      });
      return consumer;
    };

    const producer = kafka.producer();
    await producer.connect();
    const send = (from: number, n: number) =>
      producer.send({
        topic,
        messages: Array.from({ length: n }, (_, i) => ({
          key: `k${from + i}`,
          value: `m${from + i}`,
          partition: (from + i) % 2,
        })),
      });

    await join('a');
    await until(() => assigned.a!.length === 2, 30_000, 'member a to own both partitions');
    await send(0, 100);
    await until(() => seen.a!.size === 100, 30_000, 'member a to read the first 100');

    await join('b');
    await until(
      () => assigned.a!.length === 1 && assigned.b!.length === 1,
      30_000,
      'the rebalance to split the partitions',
    );
    expect(new Set([...assigned.a!, ...assigned.b!])).toEqual(new Set([0, 1]));
    await send(100, 100);
    await until(() => seen.a!.size + seen.b!.size === 200, 30_000, 'both members to read the next 100');
    expect(seen.b!.size).toBe(50);
    await producer.disconnect();
  });
});

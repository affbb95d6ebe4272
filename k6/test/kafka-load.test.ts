// The Kafka-level load generator: k6 with our franz-go extension (k6/xk6-kafka) produces 2,000 simulated tx/s for
// 10 s onto a topic of its own, thresholds on; the topic then holds exactly the records the brokers acknowledged.
import { randomUUID } from 'node:crypto';
import { createTopicsAndWait } from '@fraud-operator/kafka/topics';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { k6KafkaBinary } from '../scripts/build-k6-kafka.ts';
import { env, runK6 } from './api-process.ts';

const topic = `k6-kafka-${randomUUID().slice(0, 8)}`;
const kafka = new Kafka({ clientId: topic, brokers: env.KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING });
const admin = kafka.admin();

beforeAll(async () => {
  await admin.connect();
  await createTopicsAndWait(admin, { topics: [{ topic, numPartitions: 4 }] });
});
afterAll(async () => {
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
});

describe('k6 kafka-ingest (our extension)', () => {
  it('produces 2,000 tx/s for 10 s, every record acknowledged and on the topic', async () => {
    const bin = k6KafkaBinary();
    const r = runK6(
      'kafka-ingest.js',
      { BROKERS: env.KAFKA_BROKERS, TOPIC: topic, RATE: '2000', DURATION: '10s' },
      bin,
    );
    expect(r.code, r.out).toBe(0);
    const sent = r.summary!.metrics.kafka_records!.count!;
    expect(sent).toBeGreaterThanOrEqual(19_800);
    expect(r.out).toMatch(new RegExp(`kafka: sent ${sent}, acknowledged ${sent} `));
    const offsets = await admin.fetchTopicOffsets(topic);
    expect(offsets.reduce((sum, p) => sum + Number(p.high), 0)).toBe(sent);
    const consumer = kafka.consumer({ groupId: `${topic}-check` });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    // kafkajs (the scorer's and archiver's client) must be able to read what k6 wrote: it cannot decompress snappy.
    const first = await new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('kafkajs read no record within 30 s')), 30_000);
      consumer.on(consumer.events.CRASH, ({ payload }) => reject(payload.error));
      void consumer.run({
        eachMessage: async ({ message }) => {
          clearTimeout(timer);
          resolve(JSON.parse(String(message.value)));
        },
      });
    });
    await consumer.disconnect();
    expect(Object.keys(first).sort()).toEqual(['amount', 'customerId', 'terminalId', 'ts', 'txId']);
  }, 300_000);
});

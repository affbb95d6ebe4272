import { randomUUID } from 'node:crypto';
import { openConsumer } from '@fraud-operator/kafka/consumer';
import { openProducer } from '@fraud-operator/kafka/producer';
import { createTopicsAndWait } from '@fraud-operator/kafka/topics';
import { HANDBOOK, resolveConfig } from '@fraud-operator/simulator/config';
import { simulate } from '@fraud-operator/simulator/simulate';
import { loadStackEnv } from '@fraud-operator/stack/env';
import type { LabelMessage, TransactionMessage } from '@fraud-operator/transactions/wire';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, expect, it } from 'vitest';
import { limitRows } from '../src/commands/simulate.ts';
import { streamToKafka } from '../src/stream-to-kafka.ts';

const env = loadStackEnv();
const brokers = env.KAFKA_BROKERS.split(',');
const prefix = `it-simulate-${randomUUID().slice(0, 8)}`;
const topics = { transactions: `${prefix}.transactions`, labels: `${prefix}.labels` };
const admin = new Kafka({ clientId: prefix, brokers, logLevel: logLevel.NOTHING }).admin();

afterAll(async () => {
  await admin.deleteTopics({ topics: Object.values(topics) }).catch(() => {});
  await admin.disconnect();
});

it('streams transactions, then their fraud labels after the label delay in event time', async () => {
  await admin.connect();
  await createTopicsAndWait(admin, {
    topics: Object.values(topics).map((topic) => ({ topic, numPartitions: 2, replicationFactor: 1 })),
  });
  // 400 customers, 20 days ≈ 15k transactions; 2 frauds/day at least from compromised terminals.
  const config = resolveConfig(HANDBOOK, { customers: 400, days: 20 });
  const rows = 5000;
  const delayMs = 2 * 86_400_000;
  const producer = await openProducer({ brokers, clientId: `${prefix}-producer` });
  const started = Date.now();
  // 5,000 rows cover ~6 simulated days; 20 days/min → ~18 s of wall clock at most, rate-capped at 2,000 tx/s.
  const sent = await streamToKafka(limitRows(simulate(config, 11), rows), {
    producer,
    transactionsTopic: topics.transactions,
    labelsTopic: topics.labels,
    labelDelayMs: delayMs,
    rate: 2000,
    speed: 20,
  });
  const wallMs = Date.now() - started;
  await producer.close();
  expect(sent.transactions).toBe(rows);
  expect(sent.labels).toBeGreaterThan(5);

  const txs = new Map<string, { ts: number; kafkaTs: number }>();
  const labels: { label: LabelMessage; kafkaTs: number }[] = [];
  const consumer = await openConsumer({
    brokers,
    clientId: `${prefix}-consumer`,
    groupId: `${prefix}-group`,
    topics: Object.values(topics),
    fromBeginning: true,
    async onBatch(batch) {
      for (const m of batch.messages) {
        const text = Buffer.from(m.value ?? new Uint8Array()).toString();
        if (batch.topic === topics.transactions) {
          const tx = JSON.parse(text) as TransactionMessage;
          txs.set(tx.txId, { ts: tx.ts, kafkaTs: m.timestamp });
        } else labels.push({ label: JSON.parse(text) as LabelMessage, kafkaTs: m.timestamp });
      }
    },
  });
  const deadline = Date.now() + 60_000;
  while ((txs.size < rows || labels.length < sent.labels) && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 200));
  await consumer.close();

  expect(txs.size).toBe(rows);
  expect(labels.length).toBe(sent.labels);
  const first = Math.min(...[...txs.values()].map((t) => t.ts));
  for (const { label, kafkaTs } of labels) {
    const tx = txs.get(label.txId);
    expect(tx, `label ${label.txId} has its transaction`).toBeDefined();
    expect(label.fraud).toBe(true);
    expect(label.txTs).toBe(tx?.ts);
    expect(label.ts - label.txTs).toBe(delayMs);
    // Produced after its transaction (broker/producer time), and not before event time reached label.ts at the pace.
    expect(kafkaTs).toBeGreaterThanOrEqual(tx?.kafkaTs ?? Infinity);
    const paceWallMs = (label.ts - first) / ((20 * 86_400_000) / 60_000);
    if (label.ts <= Math.max(...[...txs.values()].map((t) => t.ts)))
      expect(kafkaTs - started).toBeGreaterThanOrEqual(paceWallMs - 1000);
  }
  // Event time is simulated time (2018), never the wall clock.
  expect(first).toBeLessThan(Date.UTC(2019, 0, 1));
  expect(wallMs).toBeLessThan(90_000);
});

// Micro-batched publishing against the real Kafka: concurrent requests share produce requests, yet every message is
// its own record, keyed by its customer, acknowledged before its caller hears back; close() sends what is queued.
import { freePort } from '@fraud-operator/stack/ports';
import type { TransactionMessage } from '@fraud-operator/transactions/wire';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../src/problem.ts';
import { createPublisher } from '../src/publisher.ts';
import { type Harness, harness } from './helpers.ts';

let h: Harness;
let app: FastifyInstance;

beforeAll(async () => {
  h = await harness('publisher');
  app = await h.app();
});
afterAll(async () => h?.close());

interface Record {
  key: string;
  value: TransactionMessage;
}

/** Every record on the test topic whose txId starts with `prefix`, once `count` of them have arrived. */
async function recordsOf(prefix: string, count: number): Promise<Record[]> {
  const consumer = h.kafka.consumer({ groupId: `${h.topic}-${prefix}` });
  await consumer.connect();
  await consumer.subscribe({ topic: h.topic, fromBeginning: true });
  const seen: Record[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${seen.length} of ${count} records arrived`)), 30_000);
      void consumer.run({
        eachMessage: async ({ message }) => {
          const value = JSON.parse(String(message.value)) as TransactionMessage;
          if (!value.txId.startsWith(prefix)) return;
          seen.push({ key: String(message.key), value });
          if (seen.length >= count) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return seen;
}

describe('publishing in micro-batches', () => {
  it('lands 300 concurrent submissions as 300 records, each once, keyed by its customer', async () => {
    const prefix = `${h.prefix}-c`;
    const auth = { authorization: `Bearer ${await h.token()}` };
    const before = await h.published();
    const bodies = Array.from({ length: 300 }, (_, i) => ({
      txId: `${prefix}${i}`,
      customerId: `cust-${i % 17}`,
      terminalId: `term-${i % 5}`,
      amount: i + 0.25,
      ts: 1_767_225_600_000 + i,
    }));
    const answers = await Promise.all(
      bodies.map((payload) => app.inject({ method: 'POST', url: '/v1/transactions', headers: auth, payload })),
    );
    expect(answers.map((a) => a.statusCode)).toEqual(bodies.map(() => 202));
    expect(await h.published()).toBe(before + 300);

    const records = await recordsOf(prefix, 300);
    expect(records).toHaveLength(300);
    const byTxId = new Map(records.map((r) => [r.value.txId, r]));
    expect(byTxId.size).toBe(300);
    for (const body of bodies) {
      const record = byTxId.get(body.txId);
      expect(record?.key).toBe(body.customerId);
      expect(record?.value).toEqual(body);
    }
  });

  it('answers each caller only after Kafka acknowledged, and close() sends what is still queued', async () => {
    const prefix = `${h.prefix}-q`;
    const publisher = createPublisher({
      brokers: h.config.kafka.brokers,
      clientId: 'api-test-publisher',
      topic: h.topic,
      timeoutMs: 10_000,
      batchMaxMessages: 7,
      batchLingerMs: 60_000, // only a full batch or close() can send
      onError: () => {},
    });
    publisher.start();
    const messages = Array.from({ length: 50 }, (_, i) => ({
      txId: `${prefix}${i}`,
      ts: 1_767_225_600_000 + i,
      customerId: `cust-${i % 3}`,
      terminalId: 'term-1',
      amount: 1 + i,
    }));
    const deadline = Date.now() + 30_000;
    while (!publisher.isReady() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const before = await h.published();
    const outcomes = messages.map((m) => {
      const o = { acked: false };
      void publisher.publish(m).then(() => {
        o.acked = true;
      });
      return o;
    });
    await new Promise((r) => setTimeout(r, 1000));
    // Seven full batches of 7 went out and were acknowledged; the 50th waits for a batch that never fills.
    expect(outcomes.filter((o) => o.acked)).toHaveLength(49);
    expect(outcomes[49]?.acked).toBe(false);
    expect(await h.published()).toBe(before + 49);
    await publisher.close();
    await new Promise((r) => setImmediate(r));
    expect(outcomes.every((o) => o.acked)).toBe(true);
    expect(await h.published()).toBe(before + 50);
    const records = await recordsOf(prefix, 50);
    expect(new Set(records.map((r) => r.value.txId)).size).toBe(50);
    for (const r of records) expect(r.key).toBe(r.value.customerId);
  });

  it('answers 503 kafka-unavailable within the timeout when no broker answers', async () => {
    const publisher = createPublisher({
      brokers: [`127.0.0.1:${await freePort()}`],
      clientId: 'api-test-nobroker',
      topic: h.topic,
      timeoutMs: 300,
      onError: () => {},
    });
    const started = Date.now();
    const err = await publisher
      .publish({ txId: `${h.prefix}-x`, ts: 1, customerId: 'c', terminalId: 't', amount: 1 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 503, code: 'kafka-unavailable', retriable: true });
    expect(Date.now() - started).toBeLessThan(2000);
    await publisher.close();
  });
});

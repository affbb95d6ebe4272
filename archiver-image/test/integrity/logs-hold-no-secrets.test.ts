import { readFileSync } from 'node:fs';
import { verifyArchive } from '@fraud-operator/archive-format';
import type { TransactionMessage } from '@fraud-operator/transactions';
import type { Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { env, kafka, produce, scenario, waitForCommitted } from '../harness.ts';

let s: Awaited<ReturnType<typeof scenario>>;
let producer: Producer;
let sent: TransactionMessage[] = [];
let log = '';

beforeAll(async () => {
  s = await scenario('logs', 2);
  producer = kafka.producer();
  await producer.connect();
  // A whole run at debug level: start, archive, a malformed record, shutdown.
  sent = await produce(producer, s.topic, 0, 1500);
  await producer.send({ topic: s.topic, messages: [{ value: 'not json: secret-plaintext-marker' }] });
  const run = s.startArchiver({ LOG_LEVEL: 'debug' });
  await waitForCommitted(s.topic, s.groupId, 60_000);
  run.child.kill('SIGTERM');
  await run.exited;
  log = s.logs();
});

afterAll(async () => {
  await producer?.disconnect();
  await s?.cleanup();
});

describe('the logs of a whole run', () => {
  it('were written (the grep has something to search)', async () => {
    expect(log).toMatch(/"msg":"archiver starting"/);
    expect(log).toMatch(/"msg":"object complete"/);
    expect(log).toMatch(/"msg":"archiver stopped"/);
    expect((await verifyArchive(s.location, s.keys)).records).toBe(1501);
  });

  it('hold no key material', () => {
    const keyText = readFileSync(s.keyFile, 'utf8');
    for (const secret of [
      keyText,
      s.key.key.toString('base64'),
      s.key.key.toString('hex'),
      s.key.key.toString('base64url'),
      env.S3_SECRET_ACCESS_KEY,
    ]) {
      expect(log.includes(secret)).toBe(false);
    }
  });

  it('hold no plaintext transaction', () => {
    const leaked = sent.filter((t) => log.includes(t.txId) || log.includes(JSON.stringify(t)));
    expect(leaked.map((t) => t.txId)).toEqual([]);
    expect(log).not.toMatch(/cust-\d+|term-\d+|secret-plaintext-marker/);
    expect(log).not.toContain(Buffer.from('not json: secret-plaintext-marker').toString('base64'));
  });
});

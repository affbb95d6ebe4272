import { verifyArchive } from '@fraud-operator/archive-format';
import type { Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafka, produce, scenario, until, waitForCommitted } from '../harness.ts';

let s: Awaited<ReturnType<typeof scenario>>;
let producer: Producer;

beforeAll(async () => {
  s = await scenario('rebalance', 4);
  producer = kafka.producer();
  await producer.connect();
});

afterAll(async () => {
  await producer?.disconnect();
  await s?.cleanup();
});

const SMALL = { KAFKA_SESSION_TIMEOUT: '8s', ARCHIVE_OBJECT_MAX_BYTES: '32KiB' };

describe('partitions move between archivers under load', () => {
  it('a second archiver joins and the first leaves: every offset still archived exactly once', async () => {
    let total = 0;
    let loading = true;
    const load = (async () => {
      while (loading) {
        total += (await produce(producer, s.topic, total, 300)).length;
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    try {
      const a = s.startArchiver(SMALL);
      await until(() => /"msg":"object complete"/.test(s.logs()), 60_000, 'a first object');
      const b = s.startArchiver(SMALL);
      await until(() => (s.logs().match(/"msg":"partitions assigned"/g) ?? []).length >= 3, 60_000, 'the rebalance');
      await new Promise((r) => setTimeout(r, 4000));
      a.child.kill('SIGTERM');
      expect(await a.exited).toBe(0);
      await new Promise((r) => setTimeout(r, 4000));
      loading = false;
      await load;
      await waitForCommitted(s.topic, s.groupId, 120_000);
      b.child.kill('SIGTERM');
      expect(await b.exited).toBe(0);
    } finally {
      loading = false;
      await load;
    }
    const report = await verifyArchive(s.location, s.keys);
    expect(report.problems).toEqual([]);
    expect(report.records).toBe(total);
  });
});

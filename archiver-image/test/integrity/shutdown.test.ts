import { verifyArchive } from '@fraud-operator/archive-format';
import type { Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafka, produce, scenario, until, waitForCommitted } from '../harness.ts';

let s: Awaited<ReturnType<typeof scenario>>;
let producer: Producer;

beforeAll(async () => {
  s = await scenario('shutdown', 2);
  producer = kafka.producer();
  await producer.connect();
});

afterAll(async () => {
  await producer?.disconnect();
  await s?.cleanup();
});

async function openBytes(port: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return Number(/^archiver_open_object_bytes (\S+)$/m.exec(text)?.[1] ?? 0);
}

describe('SIGTERM', () => {
  it('completes the open objects, then commits, then exits 0', async () => {
    await produce(producer, s.topic, 0, 2000);
    // No cap will be reached: only the shutdown completes these objects.
    const run = s.startArchiver({
      ARCHIVE_OBJECT_MAX_BYTES: '1GiB',
      ARCHIVE_OBJECT_MAX_AGE: '1h',
      ARCHIVE_WINDOW: '7d',
    });
    await until(() => /"msg":"archiver starting"/.test(s.logs()), 30_000, 'the archiver to start');
    const port = Number(/"port":(\d+)/.exec(s.logs())![1]);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    await until(async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200, 30_000, 'ready');
    await until(async () => (await openBytes(port)) > 2000 * 40, 30_000, 'every record in an open object');
    await expect(waitForCommitted(s.topic, s.groupId, 1000)).rejects.toThrow(/has not committed/);

    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    await waitForCommitted(s.topic, s.groupId, 5000);
    const report = await verifyArchive(s.location, s.keys);
    expect(report).toMatchObject({ problems: [], records: 2000, objects: 2 });
    expect(s.logs()).toMatch(/"reason":"shutdown"/);
  });
});

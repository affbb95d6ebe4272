import { verifyArchive } from '@fraud-operator/archive-format';
import { type Relay, startRelay } from '@fraud-operator/stack/tcp-relay';
import type { Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { env, kafka, produce, scenario, until, waitForCommitted } from '../harness.ts';

const OUTAGE_MS = 30_000;
let s: Awaited<ReturnType<typeof scenario>>;
let producer: Producer;
let relay: Relay;

beforeAll(async () => {
  s = await scenario('s3-outage');
  producer = kafka.producer();
  await producer.connect();
  const target = new URL(env.S3_ENDPOINT);
  relay = await startRelay(target.hostname, Number(target.port));
});

afterAll(async () => {
  await producer?.disconnect();
  await relay?.close();
  await s?.cleanup();
});

describe('S3 unavailable', () => {
  it(`backs off for ${OUTAGE_MS / 1000}s while S3 is unreachable, then resumes with no loss`, async () => {
    const run = s.startArchiver({ S3_ENDPOINT: `http://127.0.0.1:${relay.port}` });
    let total = (await produce(producer, s.topic, 0, 1500)).length;
    await waitForCommitted(s.topic, s.groupId, 60_000);

    await relay.cut();
    const down = Date.now();
    for (let i = 0; i < 4; i++) {
      total += (await produce(producer, s.topic, total, 500)).length;
      await new Promise((r) => setTimeout(r, 2000));
    }
    await until(() => /s3 call failed: backing off/.test(s.logs()), 30_000, 'the archiver to back off');
    await new Promise((r) => setTimeout(r, Math.max(0, OUTAGE_MS - (Date.now() - down))));
    expect(run.child.exitCode).toBeNull();
    // Nothing reached S3 during the outage, so nothing past it may be committed.
    await expect(waitForCommitted(s.topic, s.groupId, 1000)).rejects.toThrow(/has not committed/);
    await relay.restore();

    await waitForCommitted(s.topic, s.groupId, 90_000);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    const report = await verifyArchive(s.location, s.keys);
    expect(report.problems).toEqual([]);
    expect(report.records).toBe(total);
    const retries = (s.logs().match(/s3 call failed: backing off/g) ?? []).length;
    expect(retries).toBeGreaterThan(2);
  });
});

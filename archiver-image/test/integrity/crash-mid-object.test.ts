import { ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import { verifyArchive } from '@fraud-operator/archive-format';
import type { Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafka, produce, scenario, until, waitForCommitted } from '../harness.ts';

let s: Awaited<ReturnType<typeof scenario>>;
let producer: Producer;

beforeAll(async () => {
  s = await scenario('crash', 2);
  producer = kafka.producer();
  await producer.connect();
});

afterAll(async () => {
  await producer?.disconnect();
  await s?.cleanup();
});

/** Objects big enough to be multipart (5 MiB parts), so the kill lands with parts uploaded and not completed. */
const BIG = {
  ARCHIVE_OBJECT_MAX_BYTES: '7MiB',
  S3_PART_SIZE: '5MiB',
  ARCHIVE_OBJECT_MAX_AGE: '10s',
  KAFKA_SESSION_TIMEOUT: '8s',
  ARCHIVE_WINDOW: '7d',
  ARCHIVE_CHUNK_SIZE: '64KiB',
};

async function metric(port: number, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.split(' ')[1]) : 0;
}

describe('killed with SIGKILL in the middle of an object, under load', () => {
  it('after restart, every offset is archived exactly once', async () => {
    const first = s.startArchiver(BIG);
    await until(() => /"msg":"archiver starting"/.test(s.logs()), 30_000, 'the archiver to start');
    const port = Number(/"port":(\d+)/.exec(s.logs())![1]);

    let total = 0;
    let loading = true;
    const load = (async () => {
      while (loading) total += (await produce(producer, s.topic, total, 2000)).length;
    })();

    // Mid-object: at least one object complete, and an open one holding more than a part (a part is in S3).
    await until(
      async () => (await metric(port, 'archiver_objects_total{reason="size"}')) >= 1,
      120_000,
      'a first object',
    );
    try {
      await until(
        async () => ((await s.s3.send(new ListMultipartUploadsCommand({ Bucket: s.bucket }))).Uploads?.length ?? 0) > 0,
        120_000,
        'a multipart upload in progress',
      );
      first.child.kill('SIGKILL');
      await first.exited;
      s.startArchiver(BIG);
      await new Promise((r) => setTimeout(r, 2000));
    } finally {
      loading = false;
      await load;
    }
    const second = { child: s.children.at(-1)!, exited: s.exitOf(s.children.at(-1)!) };
    await waitForCommitted(s.topic, s.groupId, 180_000);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);

    const report = await verifyArchive(s.location, s.keys);
    expect(report.problems).toEqual([]);
    expect(report.records).toBe(total);
    expect(report.partitions.map((p) => p.firstOffset)).toEqual([0, 0]);
  });
});

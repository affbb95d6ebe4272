import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import {
  ArchiveFormatError,
  decryptArchive,
  generateSymmetricKey,
  listArchiveObjects,
  verifyArchive,
} from '@fraud-operator/archive-format';
import { splitObject } from '@fraud-operator/archive-format/test-helpers';
import type { Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafka, produce, scenario, waitForCommitted } from '../harness.ts';

let s: Awaited<ReturnType<typeof scenario>>;
let producer: Producer;

beforeAll(async () => {
  s = await scenario('tamper', 1);
  producer = kafka.producer();
  await producer.connect();
  await produce(producer, s.topic, 0, 3000);
  const run = s.startArchiver({ ARCHIVE_OBJECT_MAX_BYTES: '24KiB', ARCHIVE_CHUNK_SIZE: '2KiB' });
  await waitForCommitted(s.topic, s.groupId, 60_000);
  run.child.kill('SIGTERM');
  await run.exited;
});

afterAll(async () => {
  await producer?.disconnect();
  await s?.cleanup();
});

const get = async (Key: string) =>
  Buffer.from(await (await s.s3.send(new GetObjectCommand({ Bucket: s.bucket, Key }))).Body!.transformToByteArray());
const put = (Key: string, Body: Buffer) => s.s3.send(new PutObjectCommand({ Bucket: s.bucket, Key, Body }));

async function decryptError(keys = s.keys, onlyKey?: string): Promise<ArchiveFormatError> {
  try {
    await decryptArchive(s.location, keys, {}, () => undefined, onlyKey);
  } catch (err) {
    if (err instanceof ArchiveFormatError) return err;
    throw err;
  }
  throw new Error('decrypt accepted the archive');
}

describe('a tampered, truncated, reordered or missing object', () => {
  it('is sound before tampering', async () => {
    const report = await verifyArchive(s.location, s.keys);
    expect(report.problems).toEqual([]);
    expect(report.records).toBe(3000);
    expect(report.objects).toBeGreaterThanOrEqual(6);
  });

  it('verify and decrypt refuse each one and name it', async () => {
    const objects = (await listArchiveObjects(s.location)).map((o) => o.key);
    const [tampered, truncated, reordered, , removed] = objects as [string, string, string, string, string];

    const t = await get(tampered);
    t[t.length - 100]! ^= 0x40;
    await put(tampered, t);
    const u = await get(truncated);
    await put(truncated, u.subarray(0, u.length - 200));
    const { preamble, chunks } = splitObject(await get(reordered));
    await put(reordered, Buffer.concat([preamble, chunks[1]!, chunks[0]!, ...chunks.slice(2)]));
    await s.s3.send(new DeleteObjectCommand({ Bucket: s.bucket, Key: removed }));

    const report = await verifyArchive(s.location, s.keys);
    const said = (key: string) => report.problems.filter((p) => p.includes(key));
    expect(said(tampered).join()).toMatch(/failed authentication/);
    expect(said(truncated).join()).toMatch(/truncated/);
    expect(said(reordered).join()).toMatch(/chunk 0 failed authentication/);
    // The missing object shows as a gap between its neighbours.
    expect(report.problems.some((p) => /offsets \d+\.\.\d+ are in no object/.test(p) && p.includes(objects[3]!))).toBe(
      true,
    );

    for (const key of [tampered, truncated, reordered]) {
      const err = await decryptError(s.keys, key);
      expect(err.message.startsWith(`${key}: `)).toBe(true);
    }
    expect((await decryptError()).message).toContain(tampered);
  });

  it('an object copied under another key is refused: the header must say what the key says', async () => {
    const intact = (await listArchiveObjects(s.location))[3]!;
    const moved = intact.key.replace(/offset=\d{20}/, `offset=${'5000000'.padStart(20, '0')}`);
    await put(moved, await get(intact.key));
    const report = await verifyArchive(s.location, s.keys);
    expect(report.problems).toContain(
      `${moved}: the key says firstOffset=5000000, the header says ${intact.firstOffset}`,
    );
    await s.s3.send(new DeleteObjectCommand({ Bucket: s.bucket, Key: moved }));
  });

  it('a wrong key is a clear error', async () => {
    const objects = await listArchiveObjects(s.location);
    const last = objects.at(-1)!.key;
    const wrong = { keyring: new Map([['test-k1', generateSymmetricKey('test-k1').key.key]]) };
    const err = await decryptError(wrong, last);
    expect(err.code).toBe('wrong-key');
    expect(err.message).toBe(
      `${last}: wrong key: the keyring's key "test-k1" is not the key this object was written with`,
    );
    const unknown = await decryptError({ keyring: new Map([['other', generateSymmetricKey('other').key.key]]) }, last);
    expect(unknown.message).toMatch(/written with key id "test-k1", not in the keyring \(have: other\)/);
  });
});

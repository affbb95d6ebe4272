import type { S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { MultipartObject } from './multipart.ts';

const MiB = 1024 * 1024;

/** Records the S3 calls a MultipartObject makes: a pure test of its sequencing, no server. */
function recordingClient(failFirst: Record<string, number> = {}) {
  const calls: { name: string; input: Record<string, unknown>; bytes?: number }[] = [];
  const failures = { ...failFirst };
  const client = {
    send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      const name = command.constructor.name.replace(/Command$/, '');
      if ((failures[name] ?? 0) > 0) {
        failures[name]!--;
        throw Object.assign(new Error('SlowDown'), { $metadata: { httpStatusCode: 503 } });
      }
      const body = command.input.Body as Buffer | undefined;
      calls.push({ name, input: command.input, ...(body ? { bytes: body.length } : {}) });
      if (name === 'CreateMultipartUpload') return { UploadId: 'u1' };
      if (name === 'UploadPart') return { ETag: `"e${command.input.PartNumber}"` };
      return {};
    },
  } as unknown as S3Client;
  return { client, calls };
}

const target = (client: S3Client, retries: string[] = []) => ({
  client,
  bucket: 'b',
  key: 'k',
  minPartBytes: 5 * MiB,
  onRetry: (what: string) => void retries.push(what),
  stopped: () => false,
});

describe('MultipartObject', () => {
  it('sends a small object with one PutObject at completion, nothing before', async () => {
    const { client, calls } = recordingClient();
    const o = new MultipartObject(target(client));
    await o.append(Buffer.alloc(1000));
    await o.append(Buffer.alloc(24));
    expect(calls).toEqual([]);
    expect(await o.complete()).toEqual({ bytes: 1024, parts: 1 });
    expect(calls.map((c) => [c.name, c.bytes])).toEqual([['PutObject', 1024]]);
  });

  it('uploads parts as they fill, holding at most one part, then completes with the part list', async () => {
    const { client, calls } = recordingClient();
    const o = new MultipartObject(target(client));
    for (let i = 0; i < 12; i++) {
      await o.append(Buffer.alloc(MiB));
      expect(o.bytesHeld).toBeLessThan(5 * MiB);
    }
    await o.complete();
    expect(calls.map((c) => [c.name, c.bytes])).toEqual([
      ['CreateMultipartUpload', undefined],
      ['UploadPart', 5 * MiB],
      ['UploadPart', 5 * MiB],
      ['UploadPart', 2 * MiB],
      ['CompleteMultipartUpload', undefined],
    ]);
    expect(calls.at(-1)!.input.MultipartUpload).toEqual({
      Parts: [1, 2, 3].map((n) => ({ PartNumber: n, ETag: `"e${n}"` })),
    });
  });

  it('retries a failed part and a failed completion', async () => {
    const { client, calls } = recordingClient({ UploadPart: 2, CompleteMultipartUpload: 1 });
    const retries: string[] = [];
    const o = new MultipartObject(target(client, retries));
    await o.append(Buffer.alloc(6 * MiB));
    await o.complete();
    expect(retries).toEqual(['upload part 1 of k', 'upload part 1 of k', 'complete k']);
    expect(calls.filter((c) => c.name === 'UploadPart').length).toBe(1);
  }, 20_000);

  it('aborts an upload in progress', async () => {
    const { client, calls } = recordingClient();
    const o = new MultipartObject(target(client));
    await o.append(Buffer.alloc(5 * MiB));
    await o.abort();
    expect(calls.map((c) => c.name)).toEqual(['CreateMultipartUpload', 'UploadPart', 'AbortMultipartUpload']);
  });
});

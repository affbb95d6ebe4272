import { randomBytes, randomUUID } from 'node:crypto';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { afterAll, describe, expect, it } from 'vitest';
import { loadStackEnv } from '../src/env.ts';

const env = loadStackEnv();
const client = (secret = env.S3_SECRET_ACCESS_KEY) =>
  new S3Client({
    endpoint: env.S3_ENDPOINT,
    region: env.S3_REGION,
    forcePathStyle: true,
    credentials: { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: secret },
  });
const s3 = client();
const Bucket = `proof-${randomUUID()}`;
const keys: string[] = [];

async function refusal(p: Promise<unknown>): Promise<S3ServiceException> {
  try {
    await p;
  } catch (err) {
    if (err instanceof S3ServiceException) return err;
    throw err;
  }
  throw new Error('the request was accepted');
}

afterAll(async () => {
  for (const Key of keys) await s3.send(new DeleteObjectCommand({ Bucket, Key }));
  await s3.send(new DeleteBucketCommand({ Bucket }));
});

describe('S3 (versitygw)', () => {
  it('puts, gets and lists objects', async () => {
    await s3.send(new CreateBucketCommand({ Bucket }));
    for (const Key of ['a/1.csv', 'a/2.csv', 'b/1.csv']) {
      keys.push(Key);
      await s3.send(new PutObjectCommand({ Bucket, Key, Body: `body of ${Key}` }));
    }
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'a/2.csv' }));
    expect(await got.Body!.transformToString()).toBe('body of a/2.csv');
    const listed = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: 'a/' }));
    expect(listed.Contents?.map((c) => c.Key)).toEqual(['a/1.csv', 'a/2.csv']);
    const dirs = await s3.send(new ListObjectsV2Command({ Bucket, Delimiter: '/' }));
    expect(dirs.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['a/', 'b/']);
  });

  it('assembles a multipart upload', async () => {
    const body = randomBytes(12 * 1024 * 1024);
    const Key = 'multipart.bin';
    keys.push(Key);
    const upload = new Upload({ client: s3, params: { Bucket, Key, Body: body }, partSize: 5 * 1024 * 1024 });
    const parts: number[] = [];
    upload.on('httpUploadProgress', (p) => p.part && parts.push(p.part));
    await upload.done();
    expect(new Set(parts).size).toBe(3);
    const got = await s3.send(new GetObjectCommand({ Bucket, Key }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(body)).toBe(true);
  });

  it('refuses a conditional put on an existing key with 412', async () => {
    const err = await refusal(
      s3.send(new PutObjectCommand({ Bucket, Key: 'a/1.csv', Body: 'again', IfNoneMatch: '*' })),
    );
    expect(err.$metadata.httpStatusCode).toBe(412);
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'a/1.csv' }));
    expect(await got.Body!.transformToString()).toBe('body of a/1.csv');
  });

  it('refuses a request signed with a wrong secret', async () => {
    const err = await refusal(client('not-the-secret').send(new ListObjectsV2Command({ Bucket })));
    expect(err.$metadata.httpStatusCode).toBe(403);
    expect(err.name).toBe('SignatureDoesNotMatch');
  });
});

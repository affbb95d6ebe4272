import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { MAX_PARTS, partSize } from './policy.ts';
import { retry } from './retry.ts';

export interface UploadTarget {
  client: S3Client;
  bucket: string;
  key: string;
  minPartBytes: number;
  /** Called before each retry (to log, count, and keep the Kafka session alive). */
  onRetry: (what: string, attempt: number, delayMs: number, err: unknown) => Promise<void> | void;
  stopped: () => boolean;
}

/**
 * Writes one object in bounded memory: bytes gather until the current part's size, then go up as one part. An
 * object that never fills a first part is sent with one PutObject at completion. Nothing is visible under the key
 * before `complete` returns; `abort` discards the parts.
 */
export class MultipartObject {
  private readonly target: UploadTarget;
  private buffer: Buffer[] = [];
  private buffered = 0;
  private uploadId: string | undefined;
  private readonly parts: { PartNumber: number; ETag: string }[] = [];
  private bytesSent = 0;

  constructor(target: UploadTarget) {
    this.target = target;
  }

  get partsUploaded(): number {
    return this.parts.length;
  }

  get bytesHeld(): number {
    return this.buffered;
  }

  async append(bytes: Buffer): Promise<void> {
    if (bytes.length === 0) return;
    this.buffer.push(bytes);
    this.buffered += bytes.length;
    const next = this.parts.length + 1;
    if (next < MAX_PARTS && this.buffered >= partSize(next, this.target.minPartBytes)) await this.sendPart();
  }

  async complete(): Promise<{ bytes: number; parts: number }> {
    const { client, bucket, key } = this.target;
    if (this.uploadId === undefined) {
      const body = Buffer.concat(this.buffer, this.buffered);
      await this.retry(`put ${key}`, () => client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body })));
      this.bytesSent += body.length;
      this.buffer = [];
      this.buffered = 0;
      return { bytes: this.bytesSent, parts: 1 };
    }
    if (this.buffered > 0) await this.sendPart();
    const uploadId = this.uploadId;
    await this.retry(`complete ${key}`, () =>
      client.send(
        new CompleteMultipartUploadCommand({
          Bucket: bucket,
          Key: key,
          UploadId: uploadId,
          MultipartUpload: { Parts: this.parts },
        }),
      ),
    );
    return { bytes: this.bytesSent, parts: this.parts.length };
  }

  /** Best effort: an upload left behind is invisible and an S3 lifecycle rule can reap it. */
  async abort(): Promise<void> {
    this.buffer = [];
    this.buffered = 0;
    if (this.uploadId === undefined) return;
    const { client, bucket, key } = this.target;
    await client
      .send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: this.uploadId }))
      .catch(() => undefined);
    this.uploadId = undefined;
  }

  private async sendPart(): Promise<void> {
    const { client, bucket, key } = this.target;
    if (this.uploadId === undefined) {
      const created = await this.retry(`create upload ${key}`, () =>
        client.send(
          new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ContentType: 'application/octet-stream' }),
        ),
      );
      if (!created.UploadId) throw new Error(`S3 gave no UploadId for ${key}`);
      this.uploadId = created.UploadId;
    }
    const PartNumber = this.parts.length + 1;
    const body = Buffer.concat(this.buffer, this.buffered);
    this.buffer = [];
    this.buffered = 0;
    const uploadId = this.uploadId;
    const sent = await this.retry(`upload part ${PartNumber} of ${key}`, () =>
      client.send(new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber, Body: body })),
    );
    if (!sent.ETag) throw new Error(`S3 gave no ETag for part ${PartNumber} of ${key}`);
    this.parts.push({ PartNumber, ETag: sent.ETag });
    this.bytesSent += body.length;
  }

  private retry<T>(what: string, fn: () => Promise<T>): Promise<T> {
    return retry(fn, {
      what,
      stopped: this.target.stopped,
      onRetry: ({ attempt, delayMs, err }) => this.target.onRetry(what, attempt, delayMs, err),
    });
  }
}

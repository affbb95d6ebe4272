import type { S3Client } from '@aws-sdk/client-s3';
import {
  CSV_COLUMNS,
  CSV_HEADER_LINE,
  ObjectEncryptor,
  objectKey,
  type WriteKey,
} from '@fraud-operator/archive-format';
import { MultipartObject } from './multipart.ts';

export interface ObjectSink {
  client: S3Client;
  bucket: string;
  prefix: string;
  key: WriteKey;
  chunkSize: number;
  minPartBytes: number;
  onRetry: (what: string, attempt: number, delayMs: number, err: unknown) => Promise<void> | void;
  stopped: () => boolean;
}

export interface ObjectStart {
  topic: string;
  partition: number;
  firstOffset: number;
  windowStart: number;
  windowEnd: number;
}

export interface CompletedObject {
  key: string;
  firstOffset: number;
  lastOffset: number;
  records: number;
  plaintextBytes: number;
  bytes: number;
  parts: number;
}

/** Text gathered before it is encrypted and handed to the upload, so each record costs no crypto call. */
const DRAIN_CHARS = 64 * 1024;

/** One object being written: CSV rows in, encrypted chunks out to a multipart upload. */
export class OpenObject {
  readonly key: string;
  readonly start: ObjectStart;
  readonly openedAtMs: number;
  private readonly encryptor: ObjectEncryptor;
  private readonly upload: MultipartObject;
  private pending = '';
  private records = 0;
  private pendingBytesEstimate = 0;

  private constructor(
    key: string,
    start: ObjectStart,
    openedAtMs: number,
    encryptor: ObjectEncryptor,
    upload: MultipartObject,
  ) {
    this.key = key;
    this.start = start;
    this.openedAtMs = openedAtMs;
    this.encryptor = encryptor;
    this.upload = upload;
  }

  static async open(sink: ObjectSink, start: ObjectStart, nowMs: number): Promise<OpenObject> {
    const key = objectKey(sink.prefix, start);
    const encryptor = await ObjectEncryptor.open({
      source: start,
      columns: CSV_COLUMNS,
      key: sink.key,
      chunkSize: sink.chunkSize,
    });
    const upload = new MultipartObject({
      client: sink.client,
      bucket: sink.bucket,
      key,
      minPartBytes: sink.minPartBytes,
      onRetry: sink.onRetry,
      stopped: sink.stopped,
    });
    const object = new OpenObject(key, start, nowMs, encryptor, upload);
    await upload.append(encryptor.preamble);
    object.pending = CSV_HEADER_LINE;
    return object;
  }

  /** The offset the next row must have: rows are one contiguous offset range. */
  get nextOffset(): number {
    return this.start.firstOffset + this.records;
  }

  get windowStart(): number {
    return this.start.windowStart;
  }

  /** Plaintext written so far, counting rows not yet encrypted (approximately: one byte per char). */
  get plaintextBytes(): number {
    return this.encryptor.bytesIn + this.pendingBytesEstimate;
  }

  /** Memory held for this object: text not yet encrypted plus encrypted bytes not yet uploaded. */
  get bytesHeld(): number {
    return this.pendingBytesEstimate + this.upload.bytesHeld;
  }

  add(line: string): void {
    this.pending += line;
    this.pendingBytesEstimate += line.length;
    this.records++;
  }

  get shouldDrain(): boolean {
    return this.pending.length >= DRAIN_CHARS;
  }

  async drain(): Promise<void> {
    if (this.pending === '') return;
    const text = Buffer.from(this.pending, 'utf8');
    this.pending = '';
    this.pendingBytesEstimate = 0;
    for (const chunk of this.encryptor.write(text)) await this.upload.append(chunk);
  }

  async complete(): Promise<CompletedObject> {
    await this.drain();
    const lastOffset = this.nextOffset - 1;
    for (const chunk of this.encryptor.finish({ lastOffset, records: this.records })) await this.upload.append(chunk);
    const plaintextBytes = this.encryptor.bytesIn;
    const { bytes, parts } = await this.upload.complete();
    return {
      key: this.key,
      firstOffset: this.start.firstOffset,
      lastOffset,
      records: this.records,
      plaintextBytes,
      bytes,
      parts,
    };
  }

  abort(): Promise<void> {
    this.pending = '';
    return this.upload.abort();
  }
}

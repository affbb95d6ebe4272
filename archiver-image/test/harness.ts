import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AbortMultipartUploadCommand,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { type ArchiveLocation, generateSymmetricKey, type ReadKeys } from '@fraud-operator/archive-format';
import { createTopicsAndWait } from '@fraud-operator/kafka/topics';
import { loadStackEnv } from '@fraud-operator/stack/env';
import type { TransactionMessage } from '@fraud-operator/transactions';
import { Kafka, logLevel, type Producer } from 'kafkajs';

export const env = loadStackEnv();
const MAIN = join(import.meta.dirname, '..', 'src', 'main.ts');

export const s3Client = (endpoint = env.S3_ENDPOINT) =>
  new S3Client({
    endpoint,
    region: env.S3_REGION,
    forcePathStyle: true,
    credentials: { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY },
  });

export const kafka = new Kafka({
  clientId: 'archiver-test',
  brokers: env.KAFKA_BROKERS.split(','),
  logLevel: logLevel.NOTHING,
});

/** A topic, a bucket, a group and a key of its own for one test file; `cleanup` removes them. */
export async function scenario(name: string, partitions = 3) {
  const id = `${name}-${randomUUID().slice(0, 8)}`;
  const topic = `archive-${id}`;
  const bucket = `archive-${id}`;
  const groupId = `archiver-${id}`;
  const dir = mkdtempSync(join(tmpdir(), `archiver-${name}-`));
  const { key, text } = generateSymmetricKey('test-k1');
  const keyFile = join(dir, 'archive.key');
  writeFileSync(keyFile, text, { mode: 0o600 });
  const admin = kafka.admin();
  await admin.connect();
  await createTopicsAndWait(admin, {
    topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }],
  });
  await admin.disconnect();
  const s3 = s3Client();
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const keys: ReadKeys = { keyring: new Map([[key.keyId, key.key]]) };
  const location: ArchiveLocation = { s3, bucket, prefix: 'archive', topic };
  const children: ChildProcess[] = [];

  const archiverEnv = (extra: Record<string, string> = {}) => ({
    PATH: process.env.PATH ?? '',
    KAFKA_BROKERS: env.KAFKA_BROKERS,
    S3_ENDPOINT: env.S3_ENDPOINT,
    S3_REGION: env.S3_REGION,
    S3_ACCESS_KEY_ID: env.S3_ACCESS_KEY_ID,
    S3_SECRET_ACCESS_KEY: env.S3_SECRET_ACCESS_KEY,
    S3_BUCKET: bucket,
    ARCHIVE_TOPIC: topic,
    ARCHIVE_GROUP_ID: groupId,
    ARCHIVE_KEY_FILE: keyFile,
    ARCHIVE_WINDOW: '1h',
    ARCHIVE_OBJECT_MAX_BYTES: '64KiB',
    ARCHIVE_OBJECT_MAX_AGE: '2s',
    ARCHIVE_CHUNK_SIZE: '4KiB',
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: '0',
    LOG_LEVEL: 'info',
    ...extra,
  });

  /** Runs src/main.ts as a child process (Node 24, the test's own binary), its logs appended to `logFile`. */
  const startArchiver = (extra: Record<string, string> = {}, logFile = join(dir, 'archiver.log')) => {
    const child = spawn(process.execPath, [MAIN], { env: archiverEnv(extra), stdio: ['ignore', 'pipe', 'pipe'] });
    const out = createWriteStream(logFile, { flags: 'a' });
    child.stdout!.pipe(out);
    child.stderr!.pipe(out);
    children.push(child);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    return { child, exited, logFile };
  };

  const cleanup = async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await emptyBucket(s3, bucket).catch(() => undefined);
    await s3.send(new DeleteBucketCommand({ Bucket: bucket })).catch(() => undefined);
    const a = kafka.admin();
    await a.connect();
    await a.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await a.deleteGroups([groupId]).catch(() => undefined);
    await a.disconnect();
    rmSync(dir, { recursive: true, force: true });
  };

  const exitOf = (c: ChildProcess) =>
    c.exitCode !== null || c.signalCode !== null
      ? Promise.resolve(c.exitCode)
      : new Promise<number | null>((resolve) => c.once('exit', (code) => resolve(code)));

  return {
    children,
    exitOf,
    id,
    topic,
    bucket,
    groupId,
    dir,
    key,
    keyFile,
    keys,
    location,
    s3,
    startArchiver,
    archiverEnv,
    cleanup,
    logs: () => {
      try {
        return readFileSync(join(dir, 'archiver.log'), 'utf8');
      } catch {
        return '';
      }
    },
  };
}

export async function emptyBucket(s3: S3Client, Bucket: string) {
  for (;;) {
    const page = await s3.send(new ListObjectsV2Command({ Bucket }));
    const keys = (page.Contents ?? []).map((c) => ({ Key: c.Key! }));
    if (keys.length === 0) break;
    await s3.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: keys } }));
  }
  const uploads = await s3.send(new ListMultipartUploadsCommand({ Bucket }));
  for (const u of uploads.Uploads ?? []) {
    await s3
      .send(new AbortMultipartUploadCommand({ Bucket, Key: u.Key!, UploadId: u.UploadId! }))
      .catch(() => undefined);
  }
}

const BASE_TS = Date.UTC(2026, 0, 5, 0, 0, 0);

/** Transaction i: event time spread over `hours` hours, so objects fall in several windows. */
export function transaction(i: number, hours = 3): TransactionMessage {
  return {
    txId: `tx-${i}-${randomUUID().slice(0, 6)}`,
    ts: BASE_TS + (Math.floor((i / 1000) * 3_600_000 * (hours / 3)) % (hours * 3_600_000)),
    customerId: `cust-${i % 97}`,
    terminalId: `term-${i % 31}`,
    amount: Math.round(((i * 37) % 50_000) + 1) / 100,
  };
}

export async function produce(
  producer: Producer,
  topic: string,
  from: number,
  n: number,
): Promise<TransactionMessage[]> {
  const txs = Array.from({ length: n }, (_, k) => transaction(from + k));
  for (let at = 0; at < txs.length; at += 500) {
    await producer.send({
      topic,
      messages: txs.slice(at, at + 500).map((t) => ({ key: t.customerId, value: JSON.stringify(t) })),
    });
  }
  return txs;
}

/** Resolves once the group has committed the end offset of every partition (or throws after `ms`). */
export async function waitForCommitted(topic: string, groupId: string, ms: number): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const deadline = Date.now() + ms;
    for (;;) {
      const ends = await admin.fetchTopicOffsets(topic);
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      const behind = ends.filter((e) => {
        const c = committed?.partitions.find((p) => p.partition === e.partition);
        return Number(c?.offset ?? -1) < Number(e.high);
      });
      if (behind.length === 0) return;
      if (Date.now() > deadline) {
        throw new Error(
          `group ${groupId} has not committed the end of partitions ${behind.map((b) => b.partition).join(',')}`,
        );
      }
      await new Promise((r) => setTimeout(r, 300));
    }
  } finally {
    await admin.disconnect();
  }
}

export async function until(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

// Archive throughput with encryption on, against kafkajs consuming the same topic doing nothing (the ceiling), in
// one run; then memory over a week-long window in compressed time, drawn to bench/results/archiver-memory.svg.
// `npm run bench -- archiver [transactions=300000] [weekRecords=3000000]`
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateBucketCommand, DeleteBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { generateRecipientKeyPair, generateSymmetricKey } from '@fraud-operator/archive-format';
import { createTopicsAndWait } from '@fraud-operator/kafka/topics';
import { loadStackEnv } from '@fraud-operator/stack/env';
import { Kafka, logLevel } from 'kafkajs';
import { pino } from 'pino';
import { buildArchiver } from '../archiver-image/src/app.ts';
import { parseConfig } from '../archiver-image/src/config.ts';
import { createMetrics } from '../archiver-image/src/metrics.ts';
import { type ObjectSink, OpenObject } from '../archiver-image/src/open-object.ts';
import { PartitionArchiver } from '../archiver-image/src/partition-archiver.ts';
import { emptyBucket } from '../archiver-image/test/harness.ts';
import { lineChart } from './archiver/svg.ts';

const TOTAL = Number(process.argv[2] ?? 300_000);
const WEEK_RECORDS = Number(process.argv[3] ?? 3_000_000);
const PARTITIONS = 3;
const TARGET = 20_000;
const env = loadStackEnv();
const results = join(import.meta.dirname, 'results');
const id = randomUUID().slice(0, 8);
const topic = `bench-archiver-${id}`;
const bucket = `bench-archiver-${id}`;
const kafka = new Kafka({
  clientId: 'bench-archiver',
  brokers: env.KAFKA_BROKERS.split(','),
  logLevel: logLevel.NOTHING,
});
const s3 = new S3Client({
  endpoint: env.S3_ENDPOINT,
  region: env.S3_REGION,
  forcePathStyle: true,
  credentials: { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY },
});
const { text: keyText, key } = generateSymmetricKey('bench');
const log = (msg: string) => console.log(`[archiver bench] ${msg}`);
const WEEK = 7 * 86_400_000;
const T0 = Date.UTC(2026, 0, 1);

const txJson = (i: number, ts: number) =>
  JSON.stringify({
    txId: `tx-${i.toString(36)}-${id}`,
    ts,
    customerId: `C${i % 5000}`,
    terminalId: `T${i % 10_000}`,
    amount: ((i * 7919) % 100_000) / 100,
  });

async function produceAll(): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await createTopicsAndWait(admin, {
    topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }],
  });
  await admin.disconnect();
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const started = Date.now();
  for (let at = 0; at < TOTAL; at += 10_000) {
    const n = Math.min(10_000, TOTAL - at);
    await producer.sendBatch({
      topicMessages: [
        {
          topic,
          messages: Array.from({ length: n }, (_, k) => ({
            key: `C${(at + k) % 5000}`,
            value: txJson(at + k, T0 + (at + k) * 10),
          })),
        },
      ],
    });
  }
  await producer.disconnect();
  log(`produced ${TOTAL} transactions in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}

/** kafkajs consuming the topic with the archiver's settings and doing nothing: the ceiling. */
async function ceiling(): Promise<number> {
  const consumer = kafka.consumer({ groupId: `bench-ceiling-${id}`, maxBytesPerPartition: 4 * 1024 * 1024 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  let started = 0;
  consumer.on(consumer.events.GROUP_JOIN, () => {
    started = Date.now();
  });
  const done = new Promise<number>((resolve) => {
    void consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset }) => {
        seen += batch.messages.length;
        resolveOffset(batch.lastOffset());
        if (seen >= TOTAL) resolve(Date.now());
      },
    });
  });
  const ended = await done;
  await consumer.disconnect();
  return TOTAL / ((ended - started) / 1000);
}

/** The archiver in this process, encryption on: from its first batch until every record is in a complete object. */
async function archiver(mode: 'aes-256-gcm' | 'envelope'): Promise<{ txS: number; objects: number }> {
  const recipient = await generateRecipientKeyPair('ec', 'bench-reader');
  const config = parseConfig(
    {
      KAFKA_BROKERS: env.KAFKA_BROKERS,
      S3_ENDPOINT: env.S3_ENDPOINT,
      S3_REGION: env.S3_REGION,
      S3_ACCESS_KEY_ID: env.S3_ACCESS_KEY_ID,
      S3_SECRET_ACCESS_KEY: env.S3_SECRET_ACCESS_KEY,
      S3_BUCKET: bucket,
      ARCHIVE_TOPIC: topic,
      ARCHIVE_GROUP_ID: `bench-archiver-${mode}-${id}`,
      ARCHIVE_PREFIX: mode,
      ARCHIVE_MODE: mode,
      ARCHIVE_KEY: keyText,
      ARCHIVE_RECIPIENTS_FILE: 'recipients.json',
      ARCHIVE_WINDOW: '1d',
      ARCHIVE_OBJECT_MAX_BYTES: '64MiB',
      ARCHIVE_OBJECT_MAX_AGE: '1s',
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: '0',
    },
    () => JSON.stringify([recipient.publicJwk]),
  );
  const app = buildArchiver(config, { log: pino({ level: 'warn' }) });
  const records = async () => (await app.metrics.records.get()).values[0]?.value ?? 0;
  const objects = async () => (await app.metrics.objects.get()).values.reduce((n, v) => n + v.value, 0);
  const address = await app.start();
  // Both clocks start when the consumer has joined its group: joining is not throughput.
  while ((await fetch(`http://127.0.0.1:${address.port}/readyz`)).status !== 200)
    await new Promise((r) => setTimeout(r, 5));
  const started = Date.now();
  while ((await records()) < TOTAL) await new Promise((r) => setTimeout(r, 20));
  const ended = Date.now();
  const n = await objects();
  await app.close();
  return { txS: TOTAL / ((ended - started) / 1000), objects: n };
}

/** A week of event time through the real encryption and multipart upload, sampling memory as it goes. */
async function weekMemory() {
  const metrics = createMetrics();
  const sink: ObjectSink = {
    client: s3,
    bucket,
    prefix: 'week',
    key: { mode: 'aes-256-gcm', key },
    chunkSize: 256 * 1024,
    minPartBytes: 5 * 1024 * 1024,
    onRetry: () => undefined,
    stopped: () => false,
  };
  let objects = 0;
  const partition = new PartitionArchiver({
    topic: 'week',
    partition: 0,
    windowMs: WEEK,
    objectMaxBytes: 32 * 1024 * 1024,
    objectMaxAgeMs: 3_600_000,
    now: Date.now,
    openObject: (start) => OpenObject.open(sink, start, Date.now()),
    commit: async () => void objects++,
    owned: () => true,
    generation: () => 1,
    fatal: (err) => {
      throw err;
    },
    log: pino({ level: 'warn' }),
    metrics,
  });
  const samples: { day: number; rss: number; heap: number; buffers: number }[] = [];
  const BATCH = 5000;
  const step = WEEK / WEEK_RECORDS;
  const weekStart = Math.floor(T0 / WEEK) * WEEK;
  const started = Date.now();
  for (let at = 0; at < WEEK_RECORDS; at += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, WEEK_RECORDS - at) }, (_, k) => {
      const i = at + k;
      const ts = weekStart + Math.floor(i * step);
      return { offset: i, timestamp: ts, value: Buffer.from(txJson(i, ts)) };
    });
    await partition.append(batch);
    if ((at / BATCH) % 10 === 0) {
      const m = process.memoryUsage();
      samples.push({
        day: (at * step) / 86_400_000,
        rss: m.rss / 2 ** 20,
        heap: m.heapUsed / 2 ** 20,
        buffers: m.arrayBuffers / 2 ** 20,
      });
    }
  }
  await partition.flush('shutdown');
  const seconds = (Date.now() - started) / 1000;
  const svg = lineChart(
    `Archiver memory over a 7-day window (${WEEK_RECORDS.toLocaleString('en')} records, ${objects} objects, ${seconds.toFixed(0)}s)`,
    'event time into the window (days)',
    'MiB',
    [
      { label: 'RSS', color: '#c0392b', points: samples.map((s) => ({ x: s.day, y: s.rss })) },
      { label: 'JS heap used', color: '#2471a3', points: samples.map((s) => ({ x: s.day, y: s.heap })) },
      { label: 'Buffers (parts, chunks)', color: '#229954', points: samples.map((s) => ({ x: s.day, y: s.buffers })) },
    ],
  );
  writeFileSync(join(results, 'archiver-memory.svg'), svg);
  const half = samples.slice(Math.floor(samples.length / 2));
  const firstHalf = samples.slice(1, Math.floor(samples.length / 2));
  const max = (xs: number[]) => Math.max(...xs);
  return {
    week_records: WEEK_RECORDS,
    week_objects: objects,
    week_seconds: Number(seconds.toFixed(1)),
    rss_start_mib: Number(samples[0]!.rss.toFixed(1)),
    rss_max_first_half_mib: Number(max(firstHalf.map((s) => s.rss)).toFixed(1)),
    rss_max_second_half_mib: Number(max(half.map((s) => s.rss)).toFixed(1)),
    heap_max_mib: Number(max(samples.map((s) => s.heap)).toFixed(1)),
    buffers_max_mib: Number(max(samples.map((s) => s.buffers)).toFixed(1)),
    figure: 'bench/results/archiver-memory.svg',
  };
}

mkdirSync(results, { recursive: true });
await s3.send(new CreateBucketCommand({ Bucket: bucket }));
try {
  // The week first, so the process's memory reflects the archiver's path alone.
  const memory = await weekMemory();
  log(
    `week window: RSS max ${memory.rss_max_first_half_mib} MiB (first half) vs ${memory.rss_max_second_half_mib} MiB (second half)`,
  );
  await produceAll();
  const ceilingTxS = await ceiling();
  log(`ceiling (kafkajs, no work): ${ceilingTxS.toFixed(0)} tx/s`);
  const archived = await archiver('aes-256-gcm');
  log(
    `archiver (aes-256-gcm, S3 multipart, commit after complete): ${archived.txS.toFixed(0)} tx/s, ${archived.objects} objects`,
  );
  const sealed = await archiver('envelope');
  log(`archiver (envelope, ECDH-ES+A256KW per object): ${sealed.txS.toFixed(0)} tx/s, ${sealed.objects} objects`);
  const result = {
    archiver_tx_s: Math.round(archived.txS),
    ceiling_tx_s: Math.round(ceilingTxS),
    ratio: Number((archived.txS / ceilingTxS).toFixed(3)),
    target_tx_s: TARGET,
    meets_target: archived.txS >= TARGET,
    transactions: TOTAL,
    partitions: PARTITIONS,
    mode: 'aes-256-gcm',
    archiver_envelope_tx_s: Math.round(sealed.txS),
    ...memory,
  };
  writeFileSync(join(results, 'archiver.json'), `${JSON.stringify(result)}\n`);
  console.log(JSON.stringify(result));
} finally {
  await emptyBucket(s3, bucket).catch(() => undefined);
  await s3.send(new DeleteBucketCommand({ Bucket: bucket })).catch(() => undefined);
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
}

// The scorer with the shared feature engine (state in Redis) and its labels consumer: two versions scoring the same
// traffic (primary and shadow, the same model) get identical features, so identical scores; fraud labels from the
// labels topic reach the terminal windows, once.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { FEATURE_SETS, redisState } from '@fraud-operator/features';
import { openProducer, type Producer } from '@fraud-operator/kafka/producer';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Scorer, startScorer } from '../src/app.ts';
import { tinyModelBytes } from './fixtures/tiny-model.ts';
import { createWorld, readTopic, s3Client, type TestWorld, waitFor } from './harness.ts';

const WIDTH = FEATURE_SETS.full.length;
const DAY = 86_400_000;
let world: TestWorld;
let producer: Producer;
let redis: Redis;
const scorers: Scorer[] = [];
const bucket = () => world.modelUri.split('/')[2]!;

beforeAll(async () => {
  world = await createWorld('scorer-features', 2);
  redis = new Redis(world.env.REDIS_URL);
  producer = await openProducer({ brokers: world.env.KAFKA_BROKERS.split(','), clientId: world.id });
});

afterAll(async () => {
  for (const s of scorers) await s.close();
  await producer?.close();
  const keys = await redis.keys(`${world.id}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
  await s3Client(world.env).send(new DeleteObjectCommand({ Bucket: bucket(), Key: 'full.onnx' }));
  await world?.cleanup();
});

async function start(version: string, mode: 'primary' | 'shadow', sha256: string): Promise<Scorer> {
  const configPath = join(world.dir, `${version}.json`);
  writeFileSync(
    configPath,
    JSON.stringify({
      mode,
      model: { uri: `s3://${bucket()}/full.onnx`, version, sha256, threshold: 0.5, featureCount: WIDTH },
      topics: { ...world.topics, scores: `${world.topics.scores}.${version}` },
      verdictTtlSeconds: 600,
    }),
  );
  const s = await startScorer({
    configPath,
    brokers: world.env.KAFKA_BROKERS.split(','),
    redisUrl: world.env.REDIS_URL,
    s3: {
      endpoint: world.env.S3_ENDPOINT,
      region: world.env.S3_REGION,
      accessKeyId: world.env.S3_ACCESS_KEY_ID,
      secretAccessKey: world.env.S3_SECRET_ACCESS_KEY,
    },
    log: pino({ level: 'warn' }),
    port: 0,
    groupId: `${world.id}-${version}`,
    redisKeyPrefix: `${world.id}:`,
  });
  scorers.push(s);
  await waitFor(`${version} ready`, async () => (await fetch(`http://127.0.0.1:${s.port}/readyz`)).ok, 30_000);
  return s;
}

describe('scorer with the feature engine', () => {
  it('gives both versions identical features and feeds labels into the windows once', async () => {
    // Weights on the window counts and the terminal risk: a transaction counted twice would change its score.
    const model = tinyModelBytes({ weights: FEATURE_SETS.full.map((_, i) => (i % 3) * 0.004 + 0.002), bias: -2 });
    const sha256 = createHash('sha256').update(model).digest('hex');
    await s3Client(world.env).send(new PutObjectCommand({ Bucket: bucket(), Key: 'full.onnx', Body: model }));
    await start('v1', 'primary', sha256);
    await start('v2', 'shadow', sha256);

    const t0 = Date.UTC(2026, 0, 1);
    const txs = Array.from({ length: 400 }, (_, i) => ({
      txId: `${world.id}-tx-${i}`,
      ts: t0 + Math.floor(i / 40) * DAY + (i % 40) * 60_000,
      customerId: `c${i % 13}`,
      terminalId: `t${i % 5}`,
      amount: (i % 37) * 3 + 1,
    }));
    // Labels for the first days' frauds, known 7 days later (ordinary chargeback lag); sent twice.
    const frauds = txs.filter((_, i) => i < 120 && i % 10 === 0);
    const labels = frauds.map((t) => ({ ...t, txTs: t.ts, ts: t.ts + 7 * DAY, fraud: true }));
    const asMessages = (xs: { customerId: string }[]) =>
      xs.map((x) => ({ key: x.customerId, value: JSON.stringify(x) }));
    await producer.send(world.topics.labels, asMessages([...labels, ...labels]));
    await waitFor(
      'labels applied',
      async () => (await redis.keys(`${world.id}:features:l:*`)).length === labels.length,
      30_000,
    );
    await producer.send(world.topics.transactions, asMessages(txs));

    const v1 = await readTopic(world, `${world.topics.scores}.v1`, txs.length, 60_000);
    const v2 = await readTopic(world, `${world.topics.scores}.v2`, txs.length, 60_000);
    const scores = (records: { value: string }[]) =>
      new Map(records.map((r) => JSON.parse(r.value) as { txId: string; score: number }).map((s) => [s.txId, s.score]));
    const a = scores(v1);
    const b = scores(v2);
    expect(a.size).toBe(txs.length);
    for (const [txId, score] of a) expect(b.get(txId), txId).toBe(score);
    // The labelled terminals' risk raised the scores of the later transactions there: features are not constant.
    expect(new Set(a.values()).size).toBeGreaterThan(20);
    // The terminal's fraud labels (per transaction hour and hour known), each counted once though sent twice.
    const state = redisState(redis, `${world.id}:features:`);
    expect(await state.fraudLabels('t0')).toBe(frauds.filter((t) => t.terminalId === 't0').length);
  });
});

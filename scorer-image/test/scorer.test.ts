import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { FEATURE_SETS } from '@fraud-operator/features';
import { openProducer, type Producer } from '@fraud-operator/kafka/producer';
import { averagePrecision } from '@fraud-operator/metrics';
import { atThreshold, averagePrecisionOf, readHistogram, totals } from '@fraud-operator/score-histograms';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Scorer, startScorer } from '../src/app.ts';
import { tinyModelBytes } from './fixtures/tiny-model.ts';
import { createWorld, makeTx, readTopic, s3Client, type TestWorld, WEIGHTS, waitFor, writeConfig } from './harness.ts';

describe('scorer, primary mode, in process', () => {
  let world: TestWorld;
  let scorer: Scorer | undefined;
  let producer: Producer;
  let features: Redis;
  /** The stack's second Redis: the scorer of the main test below keeps its verdicts and histograms there. */
  let redis: Redis;

  beforeAll(async () => {
    world = await createWorld('scorer-primary');
    features = new Redis(world.env.REDIS_URL);
    redis = new Redis(world.env.VERDICT_REDIS_URL);
    producer = await openProducer({ brokers: world.env.KAFKA_BROKERS.split(','), clientId: world.id });
  });
  afterAll(async () => {
    await scorer?.close();
    await producer?.close();
    for (const client of [features, redis]) {
      const keys = await client.keys(`${world.id}:*`);
      if (keys.length > 0) await client.del(...keys);
      client.disconnect();
    }
    await world?.cleanup();
  });

  it('refuses a model whose sha256 does not match the card', async () => {
    const path = writeConfig(world, 'v1', 'primary', undefined, 'bad.yaml');
    writeFileSync(path, readFileSync(path, 'utf8').replace(world.sha256, 'f'.repeat(64)));
    await expect(
      startScorer({
        configPath: path,
        brokers: world.env.KAFKA_BROKERS.split(','),
        redisUrl: world.env.REDIS_URL,
        s3: s3(world),
        log: pino({ level: 'silent' }),
        port: 0,
      }),
    ).rejects.toThrow(/sha256/);
  });

  it('refuses a model whose width the feature engine does not make, before scoring', async () => {
    const path = writeConfig(world, 'v1', 'primary', undefined, 'width.yaml');
    writeFileSync(path, readFileSync(path, 'utf8').replace(/featureCount: \d+/, 'featureCount: 3'));
    await expect(startScorer(options(world, path))).rejects.toThrow(
      /takes 3 inputs; the feature engine makes handbook \(15\), full25 \(25\), full28 \(28\), full31 \(31\), full33 \(33\), full \(\d+\)/,
    );
  });

  it('refuses a model whose ONNX input is wider than its card says', async () => {
    // A full-width model (its card claiming the handbook's 15 inputs): the engine would feed it 15 columns.
    const wide = tinyModelBytes({ weights: FEATURE_SETS.full.map(() => 0.01) });
    const bucket = world.modelUri.split('/')[2]!;
    await s3Client(world.env).send(new PutObjectCommand({ Bucket: bucket, Key: 'model.onnx', Body: wide }));
    const path = writeConfig(world, 'v1', 'primary', undefined, 'wide.yaml');
    const sha = createHash('sha256').update(wide).digest('hex');
    writeFileSync(path, readFileSync(path, 'utf8').replace(world.sha256, sha));
    try {
      await expect(startScorer(options(world, path))).rejects.toThrow(/does not take the 15 features/);
    } finally {
      const tiny = tinyModelBytes({ weights: WEIGHTS, bias: -3 });
      await s3Client(world.env).send(new PutObjectCommand({ Bucket: bucket, Key: 'model.onnx', Body: tiny }));
    }
  });

  it('scores every good transaction once, dead-letters every poison one with its reason and bytes, serves probes', async () => {
    const configPath = writeConfig(world, 'v1', 'primary');
    scorer = await startScorer({
      configPath,
      brokers: world.env.KAFKA_BROKERS.split(','),
      redisUrl: world.env.REDIS_URL,
      verdictRedisUrl: world.env.VERDICT_REDIS_URL,
      s3: s3(world),
      log: pino({ level: 'warn' }),
      port: 0,
      groupId: `${world.id}-v1`,
      redisKeyPrefix: `${world.id}:`,
      liveQualityIntervalMs: 200,
    });
    await waitFor(
      'readiness',
      async () => (await fetch(`http://127.0.0.1:${scorer?.port}/readyz`)).status === 200,
      30_000,
    );
    const total = 3000;
    const t0 = Date.UTC(2026, 0, 1);
    const messages = [];
    const poison: string[] = [];
    for (let i = 0; i < total; i++) {
      if (i % 1000 === 500) {
        const bad = i % 2000 === 500 ? '{"txId": 12' : JSON.stringify({ ...makeTx(world, i, t0 + i), amount: 'x' });
        poison.push(bad);
        messages.push({ key: `p${i}`, value: bad });
      } else {
        messages.push({ key: `c${i % 97}`, value: JSON.stringify(makeTx(world, i, t0 + i)) });
      }
    }
    await producer.send(world.topics.transactions, messages);
    const good = messages.length - poison.length;
    const prefix = `${world.id}:verdict:`;
    await waitFor(`${good} verdicts in Redis`, async () => (await redis.keys(`${prefix}*`)).length >= good, 60_000);
    expect((await redis.keys(`${prefix}*`)).length).toBe(good);
    const one = JSON.parse((await redis.get(`${prefix}${world.id}-tx-1`)) ?? '{}');
    expect(one).toMatchObject({ txId: `${world.id}-tx-1`, modelVersion: 'v1', threshold: 0.5 });
    expect(one.score).toBeGreaterThan(0);
    expect(await redis.ttl(`${prefix}${world.id}-tx-1`)).toBeGreaterThan(500);

    const verdicts = await readTopic(world, world.topics.verdicts, good, 30_000);
    expect(new Set(verdicts.map((v) => v.key)).size).toBe(good);
    expect(verdicts).toHaveLength(good);
    const dead = await readTopic(world, world.topics.deadLetters, poison.length, 30_000);
    expect(dead).toHaveLength(poison.length);
    for (const d of dead) {
      const record = JSON.parse(d.value);
      expect(record.reason).toMatch(/bad JSON|amount/);
      expect(poison).toContain(Buffer.from(record.value, 'base64').toString('utf8'));
    }
    const metrics = await (await fetch(`http://127.0.0.1:${scorer.port}/metrics`)).text();
    expect(metrics).toMatch(/scorer_dead_letters_total\{model_version="v1"\} 3/);
    expect(metrics).toContain('scorer_end_to_end_ms_bucket');
    // two Redis: the feature state in the first, nothing else of this scorer's there
    const inFeatures = await features.keys(`${world.id}:*`);
    expect(inFeatures.length).toBeGreaterThan(0);
    expect(inFeatures.filter((k) => !k.startsWith(`${world.id}:features:`))).toEqual([]);
    expect(await redis.keys(`${world.id}:features:*`)).toEqual([]);

    // Evaluation: every scored transaction is in v1's histogram once, and fraud labels join with their scores.
    const histogram = () =>
      readHistogram(redis, { keyPrefix: `${world.id}:`, version: 'v1', fromTs: t0, toTs: t0 + total });
    expect(totals(await histogram())).toEqual({ scored: good, frauds: 0 });
    const frauds = messages.filter((m, i) => i % 37 === 0 && !poison.includes(m.value)).map((m) => JSON.parse(m.value));
    const label = (tx: { txId: string; ts: number; customerId: string; terminalId: string }) => ({
      key: tx.txId,
      value: JSON.stringify({ ...tx, txTs: tx.ts, ts: tx.ts + 7 * 86_400_000, fraud: true, amount: undefined }),
    });
    const neverScored = { txId: `${world.id}-unseen`, ts: t0, customerId: 'c1', terminalId: 't1' };
    // every label twice, as a redelivery would bring it
    await producer.send(world.topics.labels, [...frauds, ...frauds, neverScored].map(label));
    await waitFor('label joins', async () => totals(await histogram()).frauds >= frauds.length, 30_000);
    const after = await histogram();
    expect(totals(after)).toEqual({ scored: good, frauds: frauds.length });
    const text = await (await fetch(`http://127.0.0.1:${scorer.port}/metrics`)).text();
    expect(text).toMatch(
      new RegExp(`scorer_label_joins_total\\{outcome="joined",model_version="v1"\\} ${frauds.length}`),
    );
    expect(text).toMatch(/scorer_label_joins_total\{outcome="before_score",model_version="v1"\} 1/);
    const fraudIds = new Set(frauds.map((tx) => tx.txId));
    const scored = verdicts.map((v) => JSON.parse(v.value) as { txId: string; score: number });
    const exact = averagePrecision(
      scored.map((v) => v.score),
      scored.map((v) => (fraudIds.has(v.txId) ? 1 : 0)),
    );
    const estimate = averagePrecisionOf(after);
    expect(estimate.low).toBeLessThanOrEqual(exact + 1e-12);
    expect(estimate.high).toBeGreaterThanOrEqual(exact - 1e-12);

    // Live quality gauges: the window ends the chargeback delay (7 days) before the frontier, so a transaction 8 days
    // later moves the frontier far enough for the window to hold everything above (and not itself).
    const late = makeTx(world, total, t0 + 8 * 86_400_000);
    await producer.send(world.topics.transactions, [{ key: 'late', value: JSON.stringify(late) }]);
    let lastMetrics = '';
    const gauge = (series: string) =>
      Number(new RegExp(`^${series} (\\S+)$`, 'm').exec(lastMetrics)?.[1] ?? Number.NaN);
    await waitFor(
      'live quality gauges',
      async () => {
        lastMetrics = await (await fetch(`http://127.0.0.1:${scorer?.port}/metrics`)).text();
        return gauge('scorer_live_labelled\\{class="fraud",model_version="v1"\\}') === frauds.length;
      },
      10_000,
    );
    expect(gauge('scorer_live_labelled\\{class="all",model_version="v1"\\}')).toBe(good);
    expect(gauge('scorer_live_pr_auc\\{bound="estimate",model_version="v1"\\}')).toBeCloseTo(estimate.ap, 12);
    expect(gauge('scorer_live_pr_auc\\{bound="low",model_version="v1"\\}')).toBeCloseTo(estimate.low, 12);
    expect(gauge('scorer_live_at_threshold\\{measure="recall",model_version="v1"\\}')).toBeCloseTo(
      atThreshold(after).recall,
      12,
    );
  });
});

function options(world: TestWorld, configPath: string) {
  return {
    configPath,
    brokers: world.env.KAFKA_BROKERS.split(','),
    redisUrl: world.env.REDIS_URL,
    s3: s3(world),
    log: pino({ level: 'silent' }),
    port: 0,
  };
}

function s3(world: TestWorld) {
  return {
    endpoint: world.env.S3_ENDPOINT,
    region: world.env.S3_REGION,
    accessKeyId: world.env.S3_ACCESS_KEY_ID,
    secretAccessKey: world.env.S3_SECRET_ACCESS_KEY,
  };
}

/**
 * Scorer throughput: each stage alone at full speed (Kafka's own consumer perf tool as the broker's ceiling, the
 * chosen client consuming and doing nothing, features, batched ONNX, verdict writes, evaluation histogram writes), then the whole scorer end to end
 * on the same pre-filled topic. `ceiling_tx_s` is the slowest stage. Latency: `npm run bench -- latency`. Last line: JSON.
 * Usage: npm run bench -- scorer [handbook|synthetic]. `handbook` (default): the Handbook simulator's 5,000 cards and
 * 10,000 terminals, its 40 days before the measured transactions recorded first (labels included), so the windows in
 * Redis are as large as real ones get. `synthetic`: 97 cards and 31 terminals paying in one event hour (`makeTx`),
 * tiny feature windows, cheap for Redis. Verdicts and histograms go to the stack's second Redis (`VERDICT_REDIS_URL`);
 * `BENCH_ONE_REDIS=1` keeps them in the feature state's. With a real node the bench runs in the stack's network
 * namespace, as a scorer pod would (`stack-network.ts`; `BENCH_VIA_RELAYS=1`: on the host, through the relays).
 */

import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync as writeFile, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { createFeatureEngine, FEATURE_SETS, redisState } from '@fraud-operator/features';
import { openConsumer } from '@fraud-operator/kafka/consumer';
import { openProducer } from '@fraud-operator/kafka/producer';
import { createHistogramStore } from '@fraud-operator/score-histograms';
import { HANDBOOK, resolveConfig, simulate } from '@fraud-operator/simulator';
import { ARTIFACTS } from '@fraud-operator/stack/artifacts';
import { deleteKeys } from '@fraud-operator/stack/redis-keys';
import { toMessage } from '@fraud-operator/transactions/message';
import type { TransactionMessage } from '@fraud-operator/transactions/wire';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { startScorer } from '../scorer-image/src/app.ts';
import { startInference } from '../scorer-image/src/inference.ts';
import { createVerdictStore } from '../scorer-image/src/verdict-store.ts';
import { tinyModelBytes } from '../scorer-image/test/fixtures/tiny-model.ts';
import { createWorld, makeTx, s3Client } from '../scorer-image/test/harness.ts';
import { benchNetwork } from './stack-network.ts';

const N = Number(process.env.BENCH_TX ?? 100_000);
const traffic = process.argv[2] ?? 'handbook';
if (traffic !== 'synthetic' && traffic !== 'handbook') {
  console.error(`usage: npm run bench -- scorer [handbook|synthetic], got ${traffic}`);
  process.exit(2);
}
const network = benchNetwork();
const world = await createWorld('bench-scorer');
// Verdicts, score logs and histograms on the stack's second Redis, as the chart can deploy them; BENCH_ONE_REDIS=1 puts
// them beside the feature state, for comparison.
const verdictRedisUrl = process.env.BENCH_ONE_REDIS ? world.env.REDIS_URL : world.env.VERDICT_REDIS_URL;
const brokers = world.env.KAFKA_BROKERS.split(',');
const producer = await openProducer({ brokers, clientId: world.id });
const T0 = Date.UTC(2026, 0, 1);
const WARM_DAYS = 40;
const FEATURES_STAGE = `${world.id}:stage:features:`;
// The end-to-end scorer's feature prefix (its redisKeyPrefix below, then `features:`).
const FEATURES_E2E = `${world.id}:e:features:`;
let txs: TransactionMessage[];
if (traffic === 'synthetic') {
  txs = Array.from({ length: N }, (_, i) => makeTx(world, i, T0 + i));
} else {
  const history = [...simulate(resolveConfig(HANDBOOK, { days: WARM_DAYS + 12 }), 7)].flat();
  const warmEnd = history[0]!.TX_DATETIME + WARM_DAYS * 86_400_000;
  const warm = history.filter((t) => t.TX_DATETIME < warmEnd);
  txs = history.slice(warm.length, warm.length + N).map(toMessage);
  if (txs.length < N) throw new Error(`bench scorer: the simulated history has ${txs.length} of ${N} transactions`);
  const labels = warm
    .filter((t) => t.TX_FRAUD === 1)
    .map((t) => ({ ...toMessage(t), txTs: t.TX_DATETIME, ts: t.TX_DATETIME + 7 * 86_400_000, fraud: true }));
  const warmRedis = new Redis(world.env.REDIS_URL);
  const t = performance.now();
  for (const prefix of [FEATURES_STAGE, FEATURES_E2E]) {
    const engine = createFeatureEngine(redisState(warmRedis, prefix));
    for (let i = 0; i < warm.length; i += 1000) await engine.extract(warm.slice(i, i + 1000).map(toMessage));
    await engine.applyLabels(labels);
  }
  console.error(
    `bench scorer: ${warm.length} transactions of ${WARM_DAYS} days recorded twice in ${Math.round(performance.now() - t)} ms`,
  );
  warmRedis.disconnect();
}
for (let i = 0; i < N; i += 2000) {
  await producer.send(
    world.topics.transactions,
    txs.slice(i, i + 2000).map((t) => ({ key: t.customerId, value: JSON.stringify(t) })),
  );
}
const rate = (n: number, ms: number) => Math.round((n / ms) * 1000);

/**
 * Kafka's own consumer perf tool (the stack's Kafka distribution) reading the whole topic: its fetch rate, after the
 * group join, in messages/s. Its CSV: start, end, MB, MB/s, messages, messages/s, rebalance ms, fetch ms, fetch MB/s,
 * fetch messages/s.
 */
async function brokerConsumeRate(topic: string, messages: number): Promise<number> {
  const dir = ARTIFACTS.kafka.dir;
  const { stdout } = await promisify(execFile)(
    'java',
    [
      '-Xmx512m',
      '-XX:+UseSerialGC',
      `-Dlog4j2.configurationFile=${join(dir, 'log4j2.properties')}`,
      '-cp',
      `${join(dir, 'libs')}/*`,
      'org.apache.kafka.tools.ConsumerPerformance',
      ...['--bootstrap-server', brokers.join(','), '--topic', topic, '--messages', String(messages)],
      ...['--group', `${world.id}-perf-tool`, '--hide-header', '--timeout', '30000'],
    ],
    { timeout: 120_000 },
  );
  const row =
    stdout
      .trim()
      .split('\n')
      .at(-1)
      ?.split(',')
      .map((f) => f.trim()) ?? [];
  const [consumed, fetchRate] = [Number(row[4]), Number(row[9])];
  if (consumed !== messages || !(fetchRate > 0))
    throw new Error(`bench scorer: the Kafka consumer perf tool read ${row[4]} of ${messages} messages: ${stdout}`);
  return Math.round(fetchRate);
}

// stage: the broker, read by Kafka's own consumer perf tool
const broker_consume_tx_s = await brokerConsumeRate(world.topics.transactions, N);

// stage: consume only
let closeConsume: () => Promise<void> = async () => {};
let consumed = 0;
let t = performance.now();
await new Promise<void>((resolve) => {
  void openConsumer({
    brokers,
    clientId: 'bench',
    groupId: `${world.id}-consume`,
    topics: [world.topics.transactions],
    onBatch: async (b) => {
      consumed += b.messages.length;
      if (consumed >= N) resolve();
    },
  }).then((c) => {
    closeConsume = c.close;
  });
});
const consume_tx_s = rate(consumed, performance.now() - t);
await closeConsume();

// stage: features (the shared engine, state in the stack's Redis) and ONNX, 1,000-row batches
const B = 1000;
const WEIGHTS = FEATURE_SETS.full.map((_, i) => ((i % 5) - 2) * 0.05);
const featureRedis = new Redis(world.env.REDIS_URL);
const engine = createFeatureEngine(redisState(featureRedis, FEATURES_STAGE));
t = performance.now();
const feats: Float32Array[] = [];
for (let i = 0; i < N; i += B) feats.push(await engine.extract(txs.slice(i, i + B)));
const features_tx_s = rate(N, performance.now() - t);
featureRedis.disconnect();
const model = tinyModelBytes({ weights: WEIGHTS, bias: -3 });
const inference = await startInference(model);
t = performance.now();
for (const f of feats) await inference.score(f, WEIGHTS.length);
const onnx_tx_s = rate(N, performance.now() - t);
await inference.close();

// stage: verdict writes (Lua SET NX + PUBLISH, pipelined), on the verdicts' Redis
const redis = new Redis(world.env.REDIS_URL);
const verdictRedis = verdictRedisUrl === world.env.REDIS_URL ? redis : new Redis(verdictRedisUrl);
const store = createVerdictStore(verdictRedis, () => 600, `${world.id}:w:`);
t = performance.now();
for (let i = 0; i < N; i += B) {
  await store.putOnce(
    txs
      .slice(i, i + B)
      .map((x) => ({ txId: x.txId, score: 0.1, decision: 'legit', modelVersion: 'v1', threshold: 0.5, latencyMs: 1 })),
  );
}
const verdict_writes_tx_s = rate(N, performance.now() - t);

// stage: evaluation writes (the score histograms' Lua script, one call per batch)
const histograms = createHistogramStore(verdictRedis, { keyPrefix: `${world.id}:w:`, version: 'v1' });
t = performance.now();
for (let i = 0; i < N; i += B) {
  await histograms.recordScores(
    't:0',
    0.5,
    txs
      .slice(i, i + B)
      .map((x, j) => ({ offset: String(i + j), txId: x.txId, ts: x.ts, score: ((i + j) % 997) / 997 })),
  );
}
const evaluation_writes_tx_s = rate(N, performance.now() - t);

// end to end, on a Redis holding what the scorer's would: its warm windows, not the stages' keys. A stage's keys left
// in place make the end to end grow Redis's key table past a power of two mid-run, and Redis then rehashes every key
// during it (incrementally, on the hot path): a one-off of a growing keyspace, not the scorer's steady state.
await deleteKeys(redis, `${FEATURES_STAGE}*`);
await deleteKeys(verdictRedis, `${world.id}:w:*`);
const bucket = world.modelUri.split('/')[2]!;
await s3Client(world.env).send(new PutObjectCommand({ Bucket: bucket, Key: 'model.onnx', Body: model }));
const configPath = join(world.dir, 'v1.json');
writeFile(
  configPath,
  JSON.stringify({
    mode: 'primary',
    model: {
      uri: world.modelUri,
      version: 'v1',
      sha256: createHash('sha256').update(model).digest('hex'),
      threshold: 0.5,
      featureCount: WEIGHTS.length,
    },
    topics: { ...world.topics, scores: `${world.topics.scores}.v1` },
    verdictTtlSeconds: 600,
  }),
);
const scorer = await startScorer({
  configPath,
  brokers,
  redisUrl: world.env.REDIS_URL,
  verdictRedisUrl,
  s3: {
    endpoint: world.env.S3_ENDPOINT,
    region: world.env.S3_REGION,
    accessKeyId: world.env.S3_ACCESS_KEY_ID,
    secretAccessKey: world.env.S3_SECRET_ACCESS_KEY,
  },
  log: pino({ level: 'silent' }),
  port: 0,
  groupId: `${world.id}-e2e`,
  redisKeyPrefix: `${world.id}:e:`,
});
const redisCpuSeconds = async (client: Redis) => {
  const info = await client.info('cpu');
  return ['used_cpu_sys', 'used_cpu_user'].reduce(
    (sum, f) => sum + Number(new RegExp(`${f}:([\\d.]+)`).exec(info)?.[1]),
    0,
  );
};
const cpuBefore = await redisCpuSeconds(redis);
const verdictCpuBefore = await redisCpuSeconds(verdictRedis);
t = performance.now();
const scored = async () =>
  Number(
    /scorer_transactions_total\{outcome="authoritative",model_version="v1"\} (\d+)/.exec(
      await (await fetch(`http://127.0.0.1:${scorer.port}/metrics`)).text(),
    )?.[1] ?? 0,
  );
while ((await scored()) < N) await new Promise((r) => setTimeout(r, 50));
const scorer_tx_s = rate(N, performance.now() - t);
const usPerTx = (seconds: number) => Number(((seconds * 1e6) / N).toFixed(1));
const e2e_redis_cpu_us_per_tx = usPerTx((await redisCpuSeconds(redis)) - cpuBefore);
const e2e_verdict_redis_cpu_us_per_tx =
  verdictRedis === redis ? null : usPerTx((await redisCpuSeconds(verdictRedis)) - verdictCpuBefore);
await scorer.close();

const stages = {
  broker_consume_tx_s,
  consume_tx_s,
  features_tx_s,
  onnx_tx_s,
  verdict_writes_tx_s,
  evaluation_writes_tx_s,
};
const ceiling_tx_s = Math.min(...Object.values(stages));
const out = {
  scorer_tx_s,
  ceiling_tx_s,
  ratio: Number((scorer_tx_s / ceiling_tx_s).toFixed(2)),
  ...stages,
  e2e_redis_cpu_us_per_tx,
  e2e_verdict_redis_cpu_us_per_tx,
  redis: verdictRedis === redis ? 'one' : 'two',
  network,
  tx: N,
  traffic,
  note: `${traffic === 'synthetic' ? 'traffic: 97 cards, 31 terminals, one event hour' : `traffic: the Handbook simulator (5,000 cards, 10,000 terminals) after ${WARM_DAYS} days of its history in Redis`}; features: the shared engine (full set, ${FEATURE_SETS.full.length}) with its state in the stack Redis${verdictRedisUrl === world.env.REDIS_URL ? ' (verdicts and histograms in it too)' : ', verdicts and histograms in its second Redis'}; a linear ${FEATURE_SETS.full.length}-input model; broker: Kafka ConsumerPerformance fetch rate after the group join; every stage and the end to end ${network === 'pod' ? "in the stack's network namespace, as a pod reaches the servers" : 'through the host relays'}; 2 shared cores`,
};
await deleteKeys(redis, `${world.id}:*`);
redis.disconnect();
if (verdictRedis !== redis) {
  await deleteKeys(verdictRedis, `${world.id}:*`);
  verdictRedis.disconnect();
}
await producer.close();
await world.cleanup();
mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
writeFileSync(join(import.meta.dirname, 'results', 'scorer.json'), `${JSON.stringify(out)}\n`);
console.log(JSON.stringify(out));
process.exit(0);

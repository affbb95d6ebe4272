// The feature engine, side by side: offline replay rows/s on one core (in memory, columnar, as training runs it) over
// the whole Handbook history, and streaming tx/s with the state in the stack's Redis (as the scorer runs it), at
// steady state: the Redis windows first hold 40 days of history, so the hashes are as large as they get.
// Usage: npm run bench -- features [replayDays=183]. Last line: one JSON object (also bench/results/features.json).
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createFeatureEngine, createReplay, type FeatureSetName, redisState } from '@fraud-operator/features';
import { HANDBOOK, resolveConfig, simulate } from '@fraud-operator/simulator';
import { loadStackEnv } from '@fraud-operator/stack/env';
import { deleteKeys } from '@fraud-operator/stack/redis-keys';
import { columnsFromRows } from '@fraud-operator/transactions/arrow-io';
import { toMessage } from '@fraud-operator/transactions/message';
import { Redis } from 'ioredis';

const days = Number(process.argv[2] ?? HANDBOOK.days);
const batches = [...simulate(resolveConfig(HANDBOOK, { days }), 1)].map(columnsFromRows);
const rows = batches.reduce((n, b) => n + b.length, 0);

const replayRate = (set: FeatureSetName) => {
  let best = 0;
  for (let run = 0; run < 2; run++) {
    const replay = createReplay({ featureSet: set });
    const t = performance.now();
    for (const b of batches) replay.push(b);
    best = Math.max(best, Math.round(rows / ((performance.now() - t) / 1000)));
  }
  return best;
};
const replay_handbook_rows_s = replayRate('handbook');
const replay_full_rows_s = replayRate('full');
console.error(`replay: ${rows} rows, handbook ${replay_handbook_rows_s} rows/s, full ${replay_full_rows_s} rows/s`);

// Streaming: a fifth of the Handbook's cards and terminals (the same density per card and per terminal), 40 days to
// fill the windows, then 50,000 transactions measured in batches of 500, with every fraud label applied in event time.
const BATCH = 500;
const MEASURED = 50_000;
const stream = [...simulate(resolveConfig(HANDBOOK, { customers: 1000, terminals: 2000, days: 60 }), 2)].flat();
const warm = stream.filter((t) => t.TX_DATETIME < stream[0]!.TX_DATETIME + 40 * 86_400_000);
const measured = stream.slice(warm.length, warm.length + MEASURED);
const redis = new Redis(loadStackEnv().REDIS_URL);
const usedMemory = async () => Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1] ?? Number.NaN);
const memoryBefore = await usedMemory();
const prefix = `bench-features-${randomUUID().slice(0, 8)}:`;
const engine = createFeatureEngine(redisState(redis, prefix));
const DELAY = 7 * 86_400_000;
const feed = async (txs: typeof stream) => {
  const labels = txs
    .filter((t) => t.TX_FRAUD === 1)
    .map((t) => ({ ...toMessage(t), txTs: t.TX_DATETIME, ts: t.TX_DATETIME + DELAY, fraud: true }));
  for (let i = 0; i < txs.length; i += BATCH) await engine.extract(txs.slice(i, i + BATCH).map(toMessage));
  await engine.applyLabels(labels);
};
for (let i = 0; i < warm.length; i += 10 * BATCH) await feed(warm.slice(i, i + 10 * BATCH));
const messages = measured.map(toMessage);
let t = performance.now();
await feed(measured);
const redis_stream_tx_s = Math.round(messages.length / ((performance.now() - t) / 1000));
// The other model version asking for the same transactions: the vectors recorded the first time.
t = performance.now();
for (let i = 0; i < messages.length; i += BATCH) await engine.extract(messages.slice(i, i + BATCH));
const redis_second_version_tx_s = Math.round(messages.length / ((performance.now() - t) / 1000));
// Redis memory: per transaction held in the windows (the card queue entry, pair and bucket shares) and per vector
// kept for the other version (v:<txId>, 6 hours of wall clock), measured by deleting the vectors.
const held = warm.length + measured.length;
const allBytes = (await usedMemory()) - memoryBefore;
const vectors = await deleteKeys(redis, `${prefix}v:*`);
const windowBytes = (await usedMemory()) - memoryBefore;
const redis_window_bytes_per_tx = Math.round(windowBytes / held);
const redis_vector_bytes_per_tx = Math.round((allBytes - windowBytes) / vectors);
const keys = await deleteKeys(redis, `${prefix}*`);
redis.disconnect();

const out = {
  replay_rows: rows,
  replay_handbook_rows_s,
  replay_full_rows_s,
  redis_stream_tx_s,
  redis_second_version_tx_s,
  redis_warm_tx: warm.length,
  redis_keys: keys,
  redis_window_bytes_per_tx,
  redis_vector_bytes_per_tx,
  stream_batch: BATCH,
};
mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
writeFileSync(join(import.meta.dirname, 'results', 'features.json'), `${JSON.stringify(out)}\n`);
console.log(JSON.stringify(out));

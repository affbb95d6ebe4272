// The feature engine: offline replay rows/s (one core, in memory, as training runs it) on the Handbook history, and
// streaming tx/s with the state in the stack's Redis (as the scorer runs it), side by side. Last line: JSON.
// Usage: npm run bench -- features [days]   (default 90 days of the handbook configuration, ~870k rows)
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createFeatureEngine, createReplay, redisState } from '@fraud-operator/features';
import { HANDBOOK, resolveConfig, simulate } from '@fraud-operator/simulator';
import { loadStackEnv } from '@fraud-operator/stack/env';
import { deleteKeys } from '@fraud-operator/stack/redis-keys';
import { columnsFromRows } from '@fraud-operator/transactions/arrow-io';
import { toMessage } from '@fraud-operator/transactions/message';
import { Redis } from 'ioredis';

const days = Number(process.argv[2] ?? 90);
const batches = [...simulate(resolveConfig(HANDBOOK, { days }), 1)].map(columnsFromRows);
const rows = batches.reduce((n, b) => n + b.length, 0);

const replayRate = (set: 'handbook' | 'full') => {
  const replay = createReplay({ featureSet: set });
  const t = performance.now();
  for (const b of batches) replay.push(b);
  return Math.round(rows / ((performance.now() - t) / 1000));
};
const replay_handbook_rows_s = replayRate('handbook');
const replay_full_rows_s = replayRate('full');

const STREAM = 100_000;
const messages = [...simulate(resolveConfig(HANDBOOK, { days: 12 }), 2)].flat().slice(0, STREAM).map(toMessage);
const redis = new Redis(loadStackEnv().REDIS_URL);
const prefix = `bench-features-${randomUUID().slice(0, 8)}:`;
const engine = createFeatureEngine(redisState(redis, prefix));
let t = performance.now();
for (let i = 0; i < messages.length; i += 500) await engine.extract(messages.slice(i, i + 500));
const redis_stream_tx_s = Math.round(messages.length / ((performance.now() - t) / 1000));
// The other model version asking for the same transactions: cached vectors.
t = performance.now();
for (let i = 0; i < messages.length; i += 500) await engine.extract(messages.slice(i, i + 500));
const redis_second_version_tx_s = Math.round(messages.length / ((performance.now() - t) / 1000));
await deleteKeys(redis, `${prefix}*`);
redis.disconnect();

const out = {
  rows,
  replay_handbook_rows_s,
  replay_full_rows_s,
  redis_stream_tx_s,
  redis_second_version_tx_s,
  stream_batch: 500,
};
mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
writeFileSync(join(import.meta.dirname, 'results', 'features.json'), `${JSON.stringify(out)}\n`);
console.log(JSON.stringify(out));

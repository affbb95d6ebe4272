// The one engine, two states: a simulated history streamed through Redis (as the scorer runs it) and through memory,
// and replayed offline (as training runs it), gives identical vectors; replaying a batch or a label changes nothing.
import { randomUUID } from 'node:crypto';
import { loadStackEnv } from '@fraud-operator/stack/env';
import { deleteKeys } from '@fraud-operator/stack/redis-keys';
import { columnsFromRows } from '@fraud-operator/transactions/arrow-io';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createFeatureEngine } from '../src/engine.ts';
import { memoryState } from '../src/memory-state.ts';
import { FEATURE_SETS } from '../src/names.ts';
import { redisState } from '../src/redis-state.ts';
import { replayFeatures } from '../src/replay.ts';
import { labelOf, smallHistory, toMessage } from '../src/test-stream.ts';
import { DEFAULT_LABEL_DELAY_MS } from '../src/windows.ts';

const env = loadStackEnv();
const redis = new Redis(env.REDIS_URL);
const prefix = `features-${randomUUID().slice(0, 8)}:`;

afterAll(async () => {
  await deleteKeys(redis, `${prefix}*`);
  redis.disconnect();
});

describe('feature parity', () => {
  it('Redis state, memory state and offline replay give identical vectors', async () => {
    const history = smallHistory(11, 45);
    const inRedis = createFeatureEngine(redisState(redis, prefix));
    const inMemory = createFeatureEngine(memoryState());
    const fromRedis: number[] = [];
    const fromMemory: number[] = [];
    let frauds = 0;
    for (let i = 0; i < history.length; i += 400) {
      const rows = history.slice(i, i + 400);
      const batch = rows.map(toMessage);
      const r = await inRedis.extract(batch);
      // A second model version scoring the same transactions: the same vectors, nothing counted twice.
      expect(Array.from(await inRedis.extract(batch))).toEqual(Array.from(r));
      fromRedis.push(...r);
      fromMemory.push(...(await inMemory.extract(batch)));
      const labels = rows.filter((t) => t.TX_FRAUD === 1).map((t) => labelOf(t, DEFAULT_LABEL_DELAY_MS));
      frauds += labels.length;
      await inRedis.applyLabels(labels);
      await inRedis.applyLabels(labels);
      await inMemory.applyLabels(labels);
    }
    expect(frauds).toBeGreaterThan(20);
    expect(fromRedis).toEqual(fromMemory);
    expect(fromRedis).toEqual(Array.from(replayFeatures(columnsFromRows(history)).matrix));
    // The windows carry information: terminal risk is non-zero somewhere.
    const risk7 = 12;
    expect(fromRedis.filter((_, k) => k % FEATURE_SETS.full.length === risk7).some((v) => v > 0)).toBe(true);
  });
});

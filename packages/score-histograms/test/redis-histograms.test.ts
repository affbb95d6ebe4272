// The histogram store against the stack's Redis: counted once per Kafka record whatever the redeliveries, fraud labels
// joined with their scores in either order and once each, and what is read back is what an in-memory histogram of
// the same scores and labels holds.
import { randomUUID } from 'node:crypto';
import { loadStackEnv } from '@fraud-operator/stack/env';
import { deleteKeys } from '@fraud-operator/stack/redis-keys';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { binOf } from '../src/bins.ts';
import { emptyHistogram } from '../src/histogram.ts';
import { createHistogramStore, readHistogram, type ScoredRecord } from '../src/redis-histograms.ts';
import { HOUR_MS } from '../src/score-record.ts';

const env = loadStackEnv();
const redis = new Redis(env.REDIS_URL);
const keyPrefix = `histograms-${randomUUID().slice(0, 8)}:`;
const t0 = Date.UTC(2026, 0, 1);
const THRESHOLD = 0.9;

afterAll(async () => {
  await deleteKeys(redis, `${keyPrefix}*`);
  redis.disconnect();
});

/** 3,000 records over three event hours, offsets 0..2999 of one partition, scores spread over (0, 1). */
const records: ScoredRecord[] = Array.from({ length: 3000 }, (_, i) => ({
  offset: String(i),
  txId: `tx-${i}`,
  ts: t0 + Math.floor(i / 1000) * HOUR_MS + i,
  score: ((i * 7919) % 3000) / 3000 + 1e-4,
}));
const fraudIds = records.filter((_, i) => i % 50 === 0).map((r) => r.txId);

describe('score histograms in Redis', () => {
  it('count every record once through redeliveries and join every fraud once, label first or score first', async () => {
    const store = createHistogramStore(redis, { keyPrefix, version: 'v1' });
    const frauds = new Set(fraudIds);
    const labels = records.filter((r) => frauds.has(r.txId)).map((r) => ({ txId: r.txId, txTs: r.ts }));
    // half the labels arrive before their transaction is scored (a lagging version)
    const early = labels.filter((l) => Number(l.txId.slice(3)) >= 2000);
    expect(await store.recordFrauds(early)).toEqual({ joined: 0, early: early.length });
    await store.recordScores('t:0', THRESHOLD, records.slice(0, 1200));
    await store.recordScores('t:0', THRESHOLD, records.slice(0, 1200)); // crash before the commit
    await store.recordScores('t:0', THRESHOLD, records.slice(1000, 2500)); // a rebalance, overlapping
    await store.recordScores('t:0', THRESHOLD, records.slice(2500));
    const late = labels.filter((l) => Number(l.txId.slice(3)) < 2000);
    expect(await store.recordFrauds(late)).toEqual({ joined: late.length, early: 0 });
    expect(await store.recordFrauds(labels)).toEqual({ joined: 0, early: 0 }); // all of them again

    const expected = emptyHistogram();
    for (const r of records) {
      const b = binOf(r.score);
      const fraud = frauds.has(r.txId);
      expected.scored[b] = (expected.scored[b] as number) + 1;
      if (fraud) expected.frauds[b] = (expected.frauds[b] as number) + 1;
      if (r.score >= THRESHOLD) {
        expected.scoredAbove++;
        if (fraud) expected.fraudsAbove++;
      }
    }
    expect(await readHistogram(redis, { keyPrefix, version: 'v1', fromTs: t0, toTs: t0 + 3 * HOUR_MS })).toEqual(
      expected,
    );
  });

  it('reads whole event hours of one version only', async () => {
    const v2 = createHistogramStore(redis, { keyPrefix, version: 'v2' });
    await v2.recordScores('t:0', THRESHOLD, records.slice(0, 10));
    const secondHour = await readHistogram(redis, {
      keyPrefix,
      version: 'v1',
      fromTs: t0 + HOUR_MS,
      toTs: t0 + 2 * HOUR_MS,
    });
    expect(secondHour.scored.reduce((a, b) => a + b, 0)).toBe(1000);
    const otherVersion = await readHistogram(redis, { keyPrefix, version: 'v2', fromTs: t0, toTs: t0 + 3 * HOUR_MS });
    expect(otherVersion.scored.reduce((a, b) => a + b, 0)).toBe(10);
  });

  it('keeps partitions apart: the same offsets of another partition are other records', async () => {
    const store = createHistogramStore(redis, { keyPrefix, version: 'v3' });
    await store.recordScores('t:0', THRESHOLD, records.slice(0, 100));
    await store.recordScores(
      't:1',
      THRESHOLD,
      records.slice(100, 200).map((r, i) => ({ ...r, offset: String(i) })),
    );
    const h = await readHistogram(redis, { keyPrefix, version: 'v3', fromTs: t0, toTs: t0 + HOUR_MS });
    expect(h.scored.reduce((a, b) => a + b, 0)).toBe(200);
  });
});

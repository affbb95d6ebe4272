import type { Transaction } from '@fraud-operator/transactions';
import { columnsFromRows } from '@fraud-operator/transactions/arrow-io';
import { describe, expect, it } from 'vitest';
import { createFeatureEngine } from './engine.ts';
import { memoryState } from './memory-state.ts';
import { PairCounts } from './pair-counts.ts';
import { createReplay, replayFeatures } from './replay.ts';
import { labelOf, smallHistory, toMessage } from './test-stream.ts';

const history = smallHistory(7, 50);
const cols = columnsFromRows(history);

/**
 * The streaming engine over memory state, fed in batches with each batch's labels after it. A batch spans less than
 * the label delay (about 100 rows a day here), so every label is applied before its time comes, as live.
 */
async function streamed(rows: Transaction[], labelDelayMs: number, featureSet: 'handbook' | 'full' = 'full') {
  const engine = createFeatureEngine(memoryState(), { labelDelayMs, featureSet });
  const out: number[] = [];
  for (let i = 0; i < rows.length; i += 60) {
    const batch = rows.slice(i, i + 60);
    out.push(...(await engine.extract(batch.map(toMessage))));
    await engine.applyLabels(batch.filter((r) => r.TX_FRAUD === 1).map((r) => labelOf(r, labelDelayMs)));
  }
  return out;
}

describe('columnar replay', () => {
  it('gives the same matrix pushed in chunks of any size as in one piece', () => {
    const whole = replayFeatures(cols).matrix;
    const replay = createReplay();
    const parts: number[] = [];
    for (const size of [1, 7, 999, 2, 4096, 100_000]) {
      const start = parts.length / replay.names.length;
      for (const v of replay.push(columnsFromRows(history.slice(start, start + size)))) parts.push(v);
    }
    expect(parts.length).toBe(whole.length);
    expect(parts).toEqual(Array.from(whole));
  });

  it('follows the label delay it is given, as the streaming engine does', async () => {
    const twoDays = 2 * 86_400_000;
    const replayed = replayFeatures(cols, { labelDelayMs: twoDays }).matrix;
    expect(Array.from(replayed)).toEqual(await streamed(history, twoDays));
    // …and the delay matters: the default 7 days gives other terminal windows.
    expect(Array.from(replayed)).not.toEqual(Array.from(replayFeatures(cols).matrix));
  });

  it('selects the handbook columns, in order, from the same arithmetic', async () => {
    const hb = replayFeatures(cols, { featureSet: 'handbook' });
    expect(hb.names).toHaveLength(15);
    expect(Array.from(hb.matrix)).toEqual(await streamed(history, 7 * 86_400_000, 'handbook'));
  });

  it('maps any int32 identifiers, large or negative, as it maps small ones', () => {
    const remapped = history.map((r) => ({
      ...r,
      CUSTOMER_ID: r.CUSTOMER_ID % 2 === 0 ? 2_000_000_000 - r.CUSTOMER_ID : -1 - r.CUSTOMER_ID,
      TERMINAL_ID: 1_500_000_000 + r.TERMINAL_ID,
    }));
    expect(Array.from(replayFeatures(columnsFromRows(remapped)).matrix)).toEqual(
      Array.from(replayFeatures(cols).matrix),
    );
  });

  it('refuses rows out of event-time order, naming the row and both times', () => {
    const swapped = [...history.slice(0, 10)];
    [swapped[5], swapped[6]] = [swapped[6]!, swapped[5]!];
    if (swapped[5]!.TX_DATETIME === swapped[6]!.TX_DATETIME) swapped[6] = { ...swapped[6]!, TX_DATETIME: 0 };
    const replay = createReplay();
    replay.push(columnsFromRows(history.slice(0, 3)));
    expect(() => replay.push(columnsFromRows(swapped.slice(3)))).toThrow(
      /row 7 \(TRANSACTION_ID \d+\): TX_DATETIME .* is before the previous row's .*sort by TX_DATETIME/,
    );
  });

  it('refuses an amount that is not a number, naming the row', () => {
    const bad = history.slice(0, 5).map((r, i) => (i === 3 ? { ...r, TX_AMOUNT: Number.NaN } : r));
    expect(() => replayFeatures(columnsFromRows(bad))).toThrow(/row 4 .*TX_AMOUNT is not a number/);
  });

  it('refuses an unknown feature set or an impossible delay', () => {
    expect(() => createReplay({ featureSet: 'nope' as 'full' })).toThrow(
      /featureSet must be one of handbook, full25, full28, full31, full33, full/,
    );
    expect(() => createReplay({ labelDelayMs: -1 })).toThrow(/labelDelayMs must be a finite number >= 0, got -1/);
  });
});

describe('PairCounts', () => {
  it('keeps every live count through rebuilds and drops the ones back at zero', () => {
    const pairs = new PairCounts(16);
    const expected = new Map<string, number>();
    for (let round = 0; round < 5; round++) {
      for (let c = 0; c < 300; c++) {
        for (let t = 0; t < 7; t++) {
          const delta = (c + t + round) % 3 === 0 ? -1 : 1;
          const key = `${c}:${t}`;
          const next = (expected.get(key) ?? 0) + delta;
          expected.set(key, next);
          expect(pairs.add(c, t, delta)).toBe(next);
        }
      }
    }
    for (const [key, n] of expected) {
      const [c, t] = key.split(':').map(Number) as [number, number];
      expect(pairs.add(c, t, 0)).toBe(n);
    }
  });
});

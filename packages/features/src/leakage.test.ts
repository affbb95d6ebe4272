import type { Transaction } from '@fraud-operator/transactions';
import { columnsFromRows } from '@fraud-operator/transactions/arrow-io';
import { describe, expect, it } from 'vitest';
import { createFeatureEngine } from './engine.ts';
import { memoryState } from './memory-state.ts';
import { FEATURE_SETS } from './names.ts';
import { replayFeatures } from './replay.ts';
import { labelOf, smallHistory, toMessage } from './test-stream.ts';
import { DEFAULT_LABEL_DELAY_MS } from './windows.ts';

const W = FEATURE_SETS.full.length;
const history = smallHistory(5, 40);
const rowOf = (m: Float32Array, i: number) => Array.from(m.subarray(i * W, (i + 1) * W));

describe('no leakage', () => {
  const { matrix } = replayFeatures(columnsFromRows(history));
  const probes = [500, 2000, Math.floor(history.length / 2), history.length - 1];

  it('a vector depends on no later transaction: a replay of the prefix gives the same vectors', () => {
    const cut = Math.floor(history.length * 0.6);
    const prefix = replayFeatures(columnsFromRows(history.slice(0, cut))).matrix;
    expect(Array.from(prefix)).toEqual(Array.from(matrix.subarray(0, cut * W)));
  });

  it('a vector depends on no label unknown at its time, its own label included', () => {
    for (const i of probes) {
      const t = history[i]!.TX_DATETIME;
      // Flip every label that is not yet known when transaction i happens (its own among them).
      const flipped: Transaction[] = history.map((r) =>
        r.TX_DATETIME + DEFAULT_LABEL_DELAY_MS >= t - 3_600_000 ? { ...r, TX_FRAUD: r.TX_FRAUD === 1 ? 0 : 1 } : r,
      );
      const m = replayFeatures(columnsFromRows(flipped)).matrix;
      expect(rowOf(m, i), `transaction ${i}`).toEqual(rowOf(matrix, i));
    }
  });

  it('a label applied long before its time (the labels topic ran ahead) is not used before its time', async () => {
    // Every label of the whole history lands in the state before the first transaction is scored.
    const engine = createFeatureEngine(memoryState());
    await engine.applyLabels(history.filter((r) => r.TX_FRAUD === 1).map((r) => labelOf(r, DEFAULT_LABEL_DELAY_MS)));
    const got: number[] = [];
    for (let i = 0; i < history.length; i += 500)
      got.push(...(await engine.extract(history.slice(i, i + 500).map(toMessage))));
    expect(got).toEqual(Array.from(matrix));
  });

  it('perturbing every later transaction (amounts, cards, terminals) leaves earlier vectors unchanged', () => {
    const cut = Math.floor(history.length * 0.4);
    const perturbed = history.map((r, i) =>
      i < cut ? r : { ...r, TX_AMOUNT: r.TX_AMOUNT * 3 + 1, CUSTOMER_ID: (r.CUSTOMER_ID + 1) % 150, TERMINAL_ID: 0 },
    );
    const m = replayFeatures(columnsFromRows(perturbed)).matrix;
    expect(Array.from(m.subarray(0, cut * W))).toEqual(Array.from(matrix.subarray(0, cut * W)));
    expect(Array.from(m.subarray(cut * W))).not.toEqual(Array.from(matrix.subarray(cut * W)));
  });

  it('known labels do reach the vectors (the check above is not vacuous)', () => {
    const flippedAll = history.map((r) => ({ ...r, TX_FRAUD: (r.TX_FRAUD === 1 ? 0 : 1) as 0 | 1 }));
    const m = replayFeatures(columnsFromRows(flippedAll)).matrix;
    const risk = FEATURE_SETS.full.indexOf('TERMINAL_ID_RISK_7DAY_WINDOW');
    const last = history.length - 1;
    expect(m[last * W + risk]).not.toBe(matrix[last * W + risk]);
  });

  it('streaming and replay agree, and recording a batch twice changes nothing', async () => {
    const engine = createFeatureEngine(memoryState());
    const once = createFeatureEngine(memoryState());
    const msgs = history.map(toMessage);
    const got: number[] = [];
    const ref: number[] = [];
    for (let i = 0; i < msgs.length; i += 250) {
      const batch = msgs.slice(i, i + 250);
      const first = await engine.extract(batch);
      expect(Array.from(await engine.extract(batch))).toEqual(Array.from(first));
      got.push(...first);
      ref.push(...(await once.extract(batch)));
      const labels = history.slice(i, i + 250).map((r) => ({
        ...toMessage(r),
        txTs: r.TX_DATETIME,
        ts: r.TX_DATETIME + DEFAULT_LABEL_DELAY_MS,
        fraud: r.TX_FRAUD === 1,
      }));
      await engine.applyLabels(labels);
      await engine.applyLabels(labels);
      await once.applyLabels(labels);
    }
    expect(got).toEqual(ref);
    expect(got).toEqual(Array.from(matrix));
  });
});

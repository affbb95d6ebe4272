import type { LabelMessage, TransactionMessage } from '@fraud-operator/transactions/wire';
import { composeFeatures } from './compose.ts';
import { columnsOf, FEATURE_SETS, type FeatureSetName, featureSetOf } from './names.ts';
import type { FeatureState } from './state.ts';
import { RAW_WIDTH, windowSpec } from './windows.ts';

export interface FeatureEngineOptions {
  /** Which features, in which order: default 'full'. */
  featureSet?: FeatureSetName;
  /** The chargeback delay: terminal windows end this far (plus an hour) before the transaction; default 7 days. */
  labelDelayMs?: number;
}

export interface FeatureEngine {
  readonly names: readonly string[];
  /** Feature vectors (row-major, names.length per row) for a batch in event-time order; records it in the state. */
  extract(txs: readonly TransactionMessage[]): Promise<Float32Array>;
  /** Fraud labels, idempotently per txId; a label counts only for transactions after the hour of its `ts`. */
  applyLabels(labels: readonly LabelMessage[]): Promise<void>;
}

const FULL_WIDTH = FEATURE_SETS.full.length;

/** Pure: the chosen columns of the full vectors composed from the raw sums. */
export function vectorsFromRaw(
  txs: readonly { amount: number; ts: number }[],
  raw: Float64Array,
  set: FeatureSetName = 'full',
): Float32Array {
  const columns = columnsOf(set);
  const full = new Float32Array(FULL_WIDTH);
  const out = new Float32Array(txs.length * columns.length);
  txs.forEach((tx, i) => {
    composeFeatures(tx.amount, tx.ts, raw.subarray(i * RAW_WIDTH, (i + 1) * RAW_WIDTH), full, 0);
    for (let c = 0; c < columns.length; c++) out[i * columns.length + c] = full[columns[c]!]!;
  });
  return out;
}

export function createFeatureEngine(state: FeatureState, opts: FeatureEngineOptions = {}): FeatureEngine {
  const set = featureSetOf(opts.featureSet);
  const spec = windowSpec(opts.labelDelayMs);
  return {
    names: FEATURE_SETS[set],
    extract: async (txs) => vectorsFromRaw(txs, await state.record(txs, spec), set),
    applyLabels: (labels) => state.applyLabels(labels, spec),
  };
}

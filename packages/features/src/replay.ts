import type { TransactionColumns } from '@fraud-operator/transactions';
import type { LabelMessage, TransactionMessage } from '@fraud-operator/transactions/wire';
import { composeFeatures } from './compose.ts';
import { MemoryState } from './memory-state.ts';
import { columnsOf, FEATURE_SETS, type FeatureSetName } from './names.ts';
import { DEFAULT_LABEL_DELAY_MS, RAW_WIDTH } from './windows.ts';

export interface ReplayOptions {
  featureSet?: FeatureSetName;
  /** When a transaction's own label becomes known: its time plus this (the chargeback delay), default 7 days. */
  labelDelayMs?: number;
}

export interface Replay {
  readonly names: readonly string[];
  /** The next chunk of history, in event-time order: its feature matrix (row-major). */
  push(cols: TransactionColumns): Float32Array;
}

/**
 * Offline replay of labelled history with the live engine's state and arithmetic: each transaction is recorded, then
 * its own fraud label is filed as known at `ts + labelDelayMs`; the windows only count labels known before the hour
 * of the transaction that reads them, so nothing leaks.
 */
export function createReplay(opts: ReplayOptions = {}): Replay {
  const delay = opts.labelDelayMs ?? DEFAULT_LABEL_DELAY_MS;
  const set = opts.featureSet ?? 'full';
  const columns = columnsOf(set);
  const state = new MemoryState(delay);
  const raw = new Float64Array(RAW_WIDTH);
  const full = new Float32Array(FEATURE_SETS.full.length);
  const tx: TransactionMessage = { txId: '', ts: 0, customerId: '', terminalId: '', amount: 0 };
  const label: LabelMessage = { txId: '', txTs: 0, ts: 0, customerId: '', terminalId: '', fraud: true };
  return {
    names: FEATURE_SETS[set],
    push(cols) {
      const out = new Float32Array(cols.length * columns.length);
      for (let i = 0; i < cols.length; i++) {
        tx.txId = String(cols.TRANSACTION_ID[i]);
        tx.ts = cols.TX_DATETIME[i]!;
        tx.customerId = String(cols.CUSTOMER_ID[i]);
        tx.terminalId = String(cols.TERMINAL_ID[i]);
        tx.amount = cols.TX_AMOUNT[i]!;
        state.recordOne(tx, raw, 0, false);
        if (cols.TX_FRAUD[i] === 1) {
          label.txId = tx.txId;
          label.txTs = tx.ts;
          label.ts = tx.ts + delay;
          label.terminalId = tx.terminalId;
          state.applyLabel(label);
        }
        composeFeatures(tx.amount, tx.ts, raw, full, 0);
        for (let c = 0; c < columns.length; c++) out[i * columns.length + c] = full[columns[c]!]!;
      }
      return out;
    },
  };
}

/** One-shot replay of a whole history held in memory. */
export function replayFeatures(
  cols: TransactionColumns,
  opts: ReplayOptions = {},
): { names: readonly string[]; matrix: Float32Array } {
  const replay = createReplay(opts);
  return { names: replay.names, matrix: replay.push(cols) };
}

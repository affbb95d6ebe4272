import type { LabelMessage, TransactionMessage } from '@fraud-operator/transactions/wire';
import type { WindowSpec } from './windows.ts';

/**
 * Where the windows live: in memory (tests, a single process) or in Redis (the scorer: any instance serves any
 * partition). `record` is idempotent per txId: a transaction seen before is not counted again and gets back the raw
 * sums it got the first time, so two model versions scoring the same traffic see identical features. The engine passes
 * its window spec (from its label delay) on every call; engines sharing one state must use the same label delay.
 */
export interface FeatureState {
  /** Records the transactions in order and returns RAW_WIDTH raw sums per transaction (windows.ts), row-major. */
  record(txs: readonly TransactionMessage[], spec: WindowSpec): Promise<Float64Array>;
  /** Counts fraud labels, once per txId; a label is used only by transactions after the hour it became known. */
  applyLabels(labels: readonly LabelMessage[], spec: WindowSpec): Promise<void>;
}

import type { TransactionMessage } from '@fraud-operator/transactions/wire';

/**
 * The one function the pipeline calls for features. Interim: stateless columns from the transaction itself, until
 * @fraud-operator/features (createFeatureEngine(...).extract) lands; then this becomes a call to it.
 */
export type FeatureStep = (txs: TransactionMessage[]) => Promise<Float32Array>;

export const INTERIM_FEATURE_COUNT = 3;

export const interimFeatureStep: FeatureStep = async (txs) => {
  const out = new Float32Array(txs.length * INTERIM_FEATURE_COUNT);
  txs.forEach((tx, i) => {
    const hour = new Date(tx.ts).getUTCHours();
    out[i * 3] = tx.amount / 100;
    out[i * 3 + 1] = Math.log1p(tx.amount);
    out[i * 3 + 2] = hour < 6 ? 1 : 0;
  });
  return out;
};

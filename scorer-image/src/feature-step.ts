import { createFeatureEngine, FEATURE_SETS, type FeatureSetName, redisState } from '@fraud-operator/features';
import type { LabelMessage, TransactionMessage } from '@fraud-operator/transactions/wire';
import type { Redis } from 'ioredis';

/** The one function the pipeline calls for features: a batch in, row-major vectors out. */
export type FeatureStep = (txs: TransactionMessage[]) => Promise<Float32Array>;

export interface Features {
  step: FeatureStep;
  /** Feeds fraud labels into the windows (terminal risk); absent for the stateless test step. */
  applyLabels?: (labels: LabelMessage[]) => Promise<void>;
  names: readonly string[];
}

/**
 * Three stateless columns from the transaction alone: the width of the hand-written test models
 * (test/fixtures/tiny-model.ts), so that pipeline tests do not depend on the feature engine.
 */
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

/**
 * The features a model of `featureCount` inputs takes: the shared engine's `handbook` or `full` set, with its state in
 * Redis under `keyPrefix` (shared by every instance and version), or the stateless test columns. Any other width is
 * refused before scoring.
 */
export function featuresFor(featureCount: number, redis: Redis, keyPrefix: string): Features {
  const set = (Object.keys(FEATURE_SETS) as FeatureSetName[]).find((s) => FEATURE_SETS[s].length === featureCount);
  if (set) {
    const engine = createFeatureEngine(redisState(redis, `${keyPrefix}features:`), { featureSet: set });
    return {
      step: (txs) => engine.extract(txs),
      applyLabels: (labels) => engine.applyLabels(labels),
      names: engine.names,
    };
  }
  if (featureCount === INTERIM_FEATURE_COUNT)
    return { step: interimFeatureStep, names: ['amount_over_100', 'log1p_amount', 'night'] };
  const known = Object.entries(FEATURE_SETS).map(([s, names]) => `${s} (${names.length})`);
  throw new Error(`model takes ${featureCount} features; the engine makes ${known.join(' or ')}`);
}

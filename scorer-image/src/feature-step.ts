import { createFeatureEngine, DEFAULT_LABEL_DELAY_MS, featureSetOfWidth, redisState } from '@fraud-operator/features';
import type { LabelMessage, TransactionMessage } from '@fraud-operator/transactions/wire';
import type { Redis } from 'ioredis';

/** The one function the pipeline calls for features: a batch in, row-major vectors out. */
export type FeatureStep = (txs: TransactionMessage[]) => Promise<Float32Array>;

export interface Features {
  step: FeatureStep;
  /** Feeds fraud labels (the labels topic) into the terminal windows, once per txId. */
  applyLabels: (labels: LabelMessage[]) => Promise<void>;
  /** The model's inputs, in order: its width is the model's featureCount. */
  names: readonly string[];
}

export interface FeatureSettings {
  /**
   * Where the windows live in Redis. One prefix for every instance and every version of a deployment: the state is
   * shared, and a transaction already recorded by one version gets the same vector in the other.
   */
  keyPrefix: string;
  /** The chargeback delay the model was trained with (default 7 days): every version of a deployment shares it. */
  labelDelayMs?: number;
}

/** The shared feature engine for a model of `featureCount` inputs, with its state in Redis. */
export function featuresFor(featureCount: number, redis: Redis, settings: FeatureSettings): Features {
  const engine = createFeatureEngine(redisState(redis, settings.keyPrefix), {
    featureSet: featureSetOfWidth(featureCount),
    labelDelayMs: settings.labelDelayMs ?? DEFAULT_LABEL_DELAY_MS,
  });
  return {
    step: (txs) => engine.extract(txs),
    applyLabels: (labels) => engine.applyLabels(labels),
    names: engine.names,
  };
}

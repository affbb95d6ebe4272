import type { ScorerConfig } from '@fraud-operator/scorer-config';
import type { FraudModel, FraudModelStatusStableModel } from '../api/v1alpha1/index.ts';

/** Operator-wide defaults for scorer pods, overridable per FraudModel in spec.scorer. */
export interface ScorerDefaults {
  image: string;
  imagePullPolicy: 'Always' | 'IfNotPresent' | 'Never';
}

export type ModelCard = FraudModelStatusStableModel;

/** One scorer fleet the reconciler should run: everything its four children are built from. */
export interface Fleet {
  owner: FraudModel;
  model: ModelCard;
  role: 'stable' | 'canary';
  mode: ScorerConfig['mode'];
  authority?: ScorerConfig['authority'];
  minReplicas: number;
  maxReplicas: number;
}

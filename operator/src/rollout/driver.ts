import type { AdvanceResult, RolloutStatus } from '@fraud-operator/canary';
import type { FraudModel } from '../api/v1alpha1/index.ts';

/**
 * The rollout step the reconciler calls once per reconcile: gather the evidence, then the pure `advanceRollout`.
 * Injected, so that the reconciler is tested with any rollout (and the evidence sources stay swappable).
 */
export interface RolloutDriver {
  advance(input: {
    model: FraudModel;
    status: RolloutStatus;
    now: number;
  }): Promise<AdvanceResult & { frontier: number | null }>;
  /** The FraudModel is gone: release what was kept for it (consumers of score streams). */
  forget(key: string): Promise<void>;
  close(): Promise<void>;
}

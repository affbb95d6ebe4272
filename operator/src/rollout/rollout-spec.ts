import type { FraudModelRolloutSpec } from '@fraud-operator/canary';
import type { FraudModelSpec } from '../api/v1alpha1/index.ts';

/** The CRD's defaults (crds/fraudmodels.yaml), for objects read before the API server defaulted them. */
export const ROLLOUT_DEFAULTS = {
  analysisWindowMinutes: 60,
  minLabelledFrauds: 30,
  maxPrAucLoss: 0.02,
  maxFailedChecks: 2,
};

export function rolloutSpecOf(spec: FraudModelSpec): FraudModelRolloutSpec {
  const r = spec.rollout;
  return {
    model: { version: spec.model.version, sha256: spec.model.sha256 },
    rollout: {
      steps: r.steps,
      analysisWindowMinutes: r.analysisWindowMinutes ?? ROLLOUT_DEFAULTS.analysisWindowMinutes,
      minLabelledFrauds: r.minLabelledFrauds ?? ROLLOUT_DEFAULTS.minLabelledFrauds,
      maxPrAucLoss: r.maxPrAucLoss ?? ROLLOUT_DEFAULTS.maxPrAucLoss,
      maxFailedChecks: r.maxFailedChecks ?? ROLLOUT_DEFAULTS.maxFailedChecks,
      ...(r.paused !== undefined ? { paused: r.paused } : {}),
      ...(r.stepDeadlineMinutes !== undefined ? { stepDeadlineMinutes: r.stepDeadlineMinutes } : {}),
      replay: r.replay !== undefined,
    },
  };
}

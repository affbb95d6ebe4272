import { averagePrecision } from '@fraud-operator/metrics/average-precision';
import { pairedBootstrapApDifference } from './paired-bootstrap.ts';

export interface ScoredLabels {
  scores: readonly number[];
  labels: readonly (0 | 1)[];
}

export interface CanaryStepInput {
  /** Stable and canary scores on the SAME labelled transactions, index by index (shadow scoring gives this). */
  stable: ScoredLabels;
  canary: ScoredLabels;
  minLabelledFrauds: number;
  /** Tolerated PR-AUC loss of the canary, e.g. 0.02. */
  maxPrAucLoss: number;
  /** Failed checks so far in this rollout. */
  failedChecks: number;
  maxFailedChecks: number;
  deadlinePassed: boolean;
  paused: boolean;
  /** Bootstrap settings; defaults are 1000 resamples, seed 1, 95 % interval. */
  resamples?: number;
  seed?: number;
  level?: number;
}

export type CanaryStepReason =
  | 'Paused'
  | 'NotEnoughFrauds'
  | 'OneClassOnly'
  | 'InconclusivePastDeadline'
  | 'PrAucWithinTolerance'
  | 'PrAucLossBeyondTolerance'
  | 'TooManyFailedChecks';

export interface CanaryStepDecision {
  decision: 'promote-step' | 'hold' | 'rollback' | 'paused';
  reason: CanaryStepReason;
  /** failedChecks after this step (incremented when this step's check failed). */
  failedChecks: number;
  numbers: {
    apStable: number | null;
    apCanary: number | null;
    delta: number | null;
    ciLow: number | null;
    ciHigh: number | null;
    frauds: number;
    labelled: number;
  };
}

/**
 * One canary step: compare PR-AUC of canary against stable on the same labelled transactions.
 * Order of the chain: paused > not enough evidence (Inconclusive: hold, or rollback past the deadline) >
 * the paired-bootstrap check (a failure counts; maxFailedChecks failures roll back) > promote the step.
 */
export function decideCanaryStep(input: CanaryStepInput): CanaryStepDecision {
  validate(input);
  const labels = input.stable.labels;
  const frauds = labels.reduce<number>((sum, label) => sum + label, 0);
  const labelled = labels.length;
  const empty = { apStable: null, apCanary: null, delta: null, ciLow: null, ciHigh: null, frauds, labelled };

  if (input.paused) return { decision: 'paused', reason: 'Paused', failedChecks: input.failedChecks, numbers: empty };

  const inconclusiveReason =
    frauds < input.minLabelledFrauds || frauds === 0 ? 'NotEnoughFrauds' : frauds === labelled ? 'OneClassOnly' : null;
  if (inconclusiveReason !== null) {
    const numbers = frauds > 0 ? { ...empty, ...pointEstimates(input) } : empty;
    if (input.deadlinePassed) {
      return { decision: 'rollback', reason: 'InconclusivePastDeadline', failedChecks: input.failedChecks, numbers };
    }
    return { decision: 'hold', reason: inconclusiveReason, failedChecks: input.failedChecks, numbers };
  }

  const interval = pairedBootstrapApDifference(labels, input.stable.scores, input.canary.scores, {
    resamples: input.resamples ?? 1000,
    seed: input.seed ?? 1,
    level: input.level ?? 0.95,
  });
  const numbers = { ...empty, ...pointEstimates(input), ciLow: interval.low, ciHigh: interval.high };

  if (interval.high < -input.maxPrAucLoss) {
    const failedChecks = input.failedChecks + 1;
    if (failedChecks >= input.maxFailedChecks) {
      return { decision: 'rollback', reason: 'TooManyFailedChecks', failedChecks, numbers };
    }
    return { decision: 'hold', reason: 'PrAucLossBeyondTolerance', failedChecks, numbers };
  }
  return { decision: 'promote-step', reason: 'PrAucWithinTolerance', failedChecks: input.failedChecks, numbers };
}

function pointEstimates(input: CanaryStepInput): { apStable: number; apCanary: number; delta: number } {
  const apStable = averagePrecision(input.stable.scores, input.stable.labels);
  const apCanary = averagePrecision(input.canary.scores, input.canary.labels);
  return { apStable, apCanary, delta: apCanary - apStable };
}

function validate(input: CanaryStepInput): void {
  const { stable, canary } = input;
  if (stable.scores.length !== stable.labels.length || canary.scores.length !== canary.labels.length) {
    throw new Error('decideCanaryStep: each side needs one score per label');
  }
  if (stable.labels.length !== canary.labels.length) {
    throw new Error(
      `decideCanaryStep: stable has ${stable.labels.length} labelled transactions, canary ${canary.labels.length}; they must be the same transactions`,
    );
  }
  stable.labels.forEach((label, index) => {
    if (canary.labels[index] !== label) {
      throw new Error(`decideCanaryStep: label ${index} differs between stable and canary; pair them by transaction`);
    }
  });
  if (!(input.maxPrAucLoss >= 0 && input.maxPrAucLoss < 1)) {
    throw new Error(`decideCanaryStep: maxPrAucLoss ${input.maxPrAucLoss} is not in [0,1)`);
  }
  if (!(input.maxFailedChecks >= 1) || !(input.minLabelledFrauds >= 0)) {
    throw new Error(
      `decideCanaryStep: maxFailedChecks ${input.maxFailedChecks} must be >= 1 and minLabelledFrauds ${input.minLabelledFrauds} >= 0`,
    );
  }
}

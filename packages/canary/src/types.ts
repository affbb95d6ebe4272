/**
 * The rollout's inputs and outputs. Structural copies of the FraudModel fields the decisions read, so this package
 * never imports the operator; the operator's generated CRD types are assignable to them.
 */

/** `spec` of a FraudModel, as far as a rollout reads it. */
export interface FraudModelRolloutSpec {
  model: { version: string; sha256: string };
  rollout: {
    /** Canary weights in percent, strictly increasing; passing the last step's check promotes. */
    steps: readonly number[];
    /** Least event time (minutes) a check window spans before it may be looked at. */
    analysisWindowMinutes: number;
    /** Labelled frauds in a window before any look; below it the window is Inconclusive. */
    minLabelledFrauds: number;
    /** Tolerated PR-AUC loss of the canary against stable (0.02 = two points of AP). */
    maxPrAucLoss: number;
    /** Failed checks after which the canary is rolled back. */
    maxFailedChecks: number;
    /** Proposed CRD field: hold the rollout where it is (no checks, no weight change, deadline clock stopped). */
    paused?: boolean;
    /** Proposed CRD field: wall-clock minutes a phase may stay without a conclusive check before rollback. */
    stepDeadlineMinutes?: number;
    /**
     * Whether an offline replay of labelled history is configured (spec.rollout.replay). Without one the gate checks
     * the artifact only and live shadow traffic, where the canary has no authority, is the first judge of quality.
     */
    replay?: boolean;
  };
}

/** Where a rollout is. Terminal: Promoted, RolledBack, Refused. */
export type RolloutPhase =
  | 'Gate'
  | 'Shadow'
  | 'Steps'
  | 'Promoting'
  | 'Promoted'
  | 'RollingBack'
  | 'RolledBack'
  | 'Refused';

/** From event time `from` (epoch ms, inclusive) the canary is authoritative for `weight` % of transactions. */
export interface WeightStep {
  from: number;
  weight: number;
}

/** Numbers of one version on the last looked-at window. */
export interface VersionMetrics {
  version: string;
  prAuc: number;
  labelled: number;
  frauds: number;
}

/** The state of the current (or last) rollout: proposed as `status.rollout` in the CRD. */
export interface RolloutState {
  version: string;
  sha256: string;
  phase: RolloutPhase;
  /** -1 in Gate and Shadow; otherwise the index into spec.rollout.steps. */
  stepIndex: number;
  /** The weight of the latest scheduled step (what the canary serves once event time reaches its `from`). */
  weight: number;
  /** Event-time weight changes both fleets apply; only ever appended to, each `from` ≥ the coveredUntil before it. */
  schedule: WeightStep[];
  /** Event time up to which the schedule is promised not to change (monotonic). */
  coveredUntil: number;
  /** Wall-clock ms the current phase/step started (shifted forward by the time spent paused). */
  stepStartedAt: number;
  /**
   * Event time from which labelled transactions count in the current check window (it grows through the steps and
   * restarts only after a failed check); null until traffic is seen.
   */
  windowFrom: number | null;
  /** Looks already taken at the current window (each look at a doubling of labelled frauds). */
  looks: number;
  failedChecks: number;
  /** Wall-clock ms the rollout was paused at, or null. */
  pausedAt: number | null;
  /** Event time after which the retiring fleet has no authority (Promoting / RollingBack), or null. */
  drainAfter: number | null;
  /** Why the rollout ended or holds (a CamelCase reason). */
  reason: string;
  /** The last look's numbers. */
  metrics: { stable: VersionMetrics; canary: VersionMetrics } | null;
}

/** What the rollout decisions read and write in status. The reconciler maps it onto the CRD status. */
export interface RolloutStatus {
  /** The version serving authoritative verdicts; null before the first version is admitted. */
  stableVersion: string | null;
  stableSha256: string | null;
  rollout: RolloutState | null;
}

/** Paired evidence: index i is the same transaction for labels, stable and canary scores. */
export interface PairedScores {
  labels: ArrayLike<number>;
  stable: ArrayLike<number>;
  canary: ArrayLike<number>;
}

export interface GateEvidence {
  /** SHA-256 (lower-case hex) of the artifact as fetched, or null while not fetched yet. */
  sha256: string | null;
  /** ONNX inputs/outputs against the feature schema; null while not checked yet. */
  contract: { ok: true } | { ok: false; message: string } | null;
  /** Offline replay of labelled history scored by both versions; null while the replay runs. */
  replay: PairedScores | null;
}

export interface RolloutEvidence {
  /** Needed in the Gate phase. */
  gate?: GateEvidence | undefined;
  /** Labelled transactions scored by BOTH versions with event time ≥ `from` (must equal status windowFrom). */
  window?: (PairedScores & { from: number }) | undefined;
  /** The greatest event time each version has written to its score stream (null: nothing seen yet). */
  frontier: { stable: number | null; canary: number | null };
}

export type Decision =
  | 'admitted'
  | 'refused'
  | 'gate-passed'
  | 'hold'
  | 'failed-check'
  | 'promote-step'
  | 'promote'
  | 'promoted'
  | 'rollback'
  | 'rolled-back'
  | 'paused'
  | 'resumed';

/** One decision; the reconciler turns each into a status.history entry, an Event and a metric sample. */
export interface DecisionRecord {
  /** Wall-clock time, RFC 3339. */
  time: string;
  decision: Decision;
  reason: string;
  message: string;
  phase: RolloutPhase;
  version: string;
  sha256: string;
  /** -1 for Gate and Shadow, else the index into spec.rollout.steps. */
  step: number;
  weight: number;
  apStable: number | null;
  apCanary: number | null;
  /** AP(canary) − AP(stable). */
  delta: number | null;
  /** One-sided bounds of delta at the look's level (see README). */
  ciLow: number | null;
  ciHigh: number | null;
  labelled: number;
  frauds: number;
  failedChecks: number;
}

export interface AdvanceInput {
  spec: FraudModelRolloutSpec;
  status: RolloutStatus;
  evidence: RolloutEvidence;
  /** Wall-clock epoch ms. */
  now: number;
  /** metadata.annotations of the FraudModel (pause / abort, see control.ts). */
  annotations?: Readonly<Record<string, string>> | undefined;
  /** Statistical and timing policy; defaults in policy.ts. */
  policy?: Partial<RolloutPolicy> | undefined;
}

export interface AdvanceResult {
  status: RolloutStatus;
  decisions: DecisionRecord[];
}

export interface RolloutPolicy {
  /** Bootstrap resamples per look. */
  resamples: number;
  /** One-sided error per window, split over its looks (Bonferroni). */
  alpha: number;
  /**
   * Looks per window, at minLabelledFrauds × 1, 2, 4, …; inconclusive after the last is a failed check.
   * 0 means steps + 3: one passed look per step (shadow included) and two more to spare.
   */
  maxLooks: number;
  /** Event-time lead of a weight change ahead of the greatest frontier. */
  leadMs: number;
  /** How far ahead of the greatest frontier coveredUntil is kept. */
  horizonMs: number;
  /** Event time both fleets must pass beyond drainAfter before the retiring fleet goes. */
  drainMarginMs: number;
  /** Default of spec.rollout.stepDeadlineMinutes. */
  stepDeadlineMinutes: number;
  seed: number;
}

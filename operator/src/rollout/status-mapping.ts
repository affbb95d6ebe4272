import {
  type DecisionRecord,
  fleetPlan,
  isTerminal,
  type RolloutState,
  type RolloutStatus,
  weightAt,
} from '@fraud-operator/canary';
import type { FraudModelStatus, FraudModelStatusHistoryItem } from '../api/v1alpha1/index.ts';

export const HISTORY_LIMIT = 100;

/** The rollout's view of the CRD status (its memory between reconciles). */
export function rolloutStatusOf(status: FraudModelStatus | undefined): RolloutStatus {
  return {
    stableVersion: status?.stableVersion ?? null,
    stableSha256: status?.stableSha256 ?? null,
    rollout: (status?.rollout as RolloutState | null | undefined) ?? null,
  };
}

export type Phase = NonNullable<FraudModelStatus['phase']>;

/** The summary phase shown by `kubectl get fraudmodels`. */
export function phaseOf(r: RolloutStatus): Phase {
  const rollout = r.rollout;
  if (r.stableVersion === null) return rollout?.phase === 'Refused' ? 'Failed' : 'Pending';
  if (rollout === null || isTerminal(rollout.phase)) return 'Stable';
  if (rollout.pausedAt !== null) return 'Paused';
  switch (rollout.phase) {
    case 'Gate':
      return 'Gating';
    case 'Shadow':
      return 'Shadow';
    case 'Steps':
      return 'Canary';
    case 'Promoting':
      return 'Promoting';
    case 'RollingBack':
      return 'RollingBack';
    default:
      return 'Stable';
  }
}

/** The weight in force at the greater frontier of the two fleets, or the latest scheduled weight if none scored. */
export function canaryWeightOf(r: RolloutStatus, frontier: number | null): number {
  const rollout = r.rollout;
  if (rollout === null || isTerminal(rollout.phase)) return 0;
  return frontier === null ? rollout.weight : weightAt(rollout.schedule, frontier);
}

/** A decision as a status.history entry (nulls left out: the schema has no nulls there). */
export function historyEntry(d: DecisionRecord): FraudModelStatusHistoryItem {
  const entry: FraudModelStatusHistoryItem = {
    time: d.time.replace(/\.\d{3}Z$/, 'Z'),
    decision: d.decision,
    reason: d.reason,
    message: d.message,
    phase: d.phase,
    version: d.version,
    sha256: d.sha256,
    step: d.step,
    weight: d.weight,
    failedChecks: d.failedChecks,
    labelled: d.labelled,
    frauds: d.frauds,
  };
  for (const key of ['apStable', 'apCanary', 'delta', 'ciLow', 'ciHigh'] as const) {
    const v = d[key];
    if (v !== null && Number.isFinite(v)) entry[key] = v;
  }
  return entry;
}

export function appendHistory(
  history: readonly FraudModelStatusHistoryItem[] | undefined,
  decisions: readonly DecisionRecord[],
): FraudModelStatusHistoryItem[] {
  return [...(history ?? []), ...decisions.map(historyEntry)].slice(-HISTORY_LIMIT);
}

export { fleetPlan };

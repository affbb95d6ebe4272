import { type DecisionRecord, isTerminal, type RolloutStatus } from '@fraud-operator/canary';
import type { FraudModel, FraudModelStatus, FraudModelStatusFleetsItem } from '../api/v1alpha1/index.ts';
import type { ModelCard } from '../children/index.ts';
import { appendHistory, canaryWeightOf, phaseOf } from '../rollout/status-mapping.ts';
import { setCondition } from './conditions.ts';
import { ConditionType, Reason } from './reasons.ts';

export interface ReconcileObservations {
  rollout: RolloutStatus;
  decisions: readonly DecisionRecord[];
  cards: { stableModel: ModelCard | undefined; canaryModel: ModelCard | null };
  fleets: FraudModelStatusFleetsItem[];
  /** Greatest event time scored by either fleet, or null. */
  frontier: number | null;
  topicMismatches: readonly string[];
  /** What went wrong in this reconcile (Kafka down, an apply refused, the rollout step failed), if anything. */
  error: string | null;
}

/** The status a reconcile writes: pure, so every condition rule is a table test. */
export function nextStatus(model: FraudModel, obs: ReconcileObservations, now: Date): FraudModelStatus {
  const prev = model.status ?? {};
  const generation = model.metadata?.generation ?? 0;
  const r = obs.rollout.rollout;
  const active = r !== null && !isTerminal(r.phase);
  const status: FraudModelStatus = {
    observedGeneration: obs.error === null ? generation : prev.observedGeneration,
    phase: phaseOf(obs.rollout),
    ...(obs.rollout.stableVersion !== null ? { stableVersion: obs.rollout.stableVersion } : {}),
    ...(obs.rollout.stableSha256 !== null ? { stableSha256: obs.rollout.stableSha256 } : {}),
    ...(obs.cards.stableModel ? { stableModel: obs.cards.stableModel } : {}),
    canaryModel: obs.cards.canaryModel,
    ...(active ? { canaryVersion: r.version } : {}),
    canaryWeight: canaryWeightOf(obs.rollout, obs.frontier),
    ...(r?.metrics
      ? { metrics: { stable: r.metrics.stable, canary: r.metrics.canary } }
      : prev.metrics
        ? { metrics: prev.metrics }
        : {}),
    rollout: r,
    fleets: obs.fleets,
    history: appendHistory(prev.history, obs.decisions),
  };
  if (status.observedGeneration === undefined) delete status.observedGeneration;
  const g = { observedGeneration: generation };
  let conditions = prev.conditions ?? [];

  const notReady = obs.fleets.filter((f) => (f.readyReplicas ?? 0) < 1);
  if (obs.rollout.stableVersion === null) {
    conditions = setCondition(
      conditions,
      {
        type: ConditionType.Ready,
        status: 'False',
        reason: Reason.NoStableVersion,
        message: r ? `${r.version}: ${r.reason}` : 'no version admitted yet',
        ...g,
      },
      now,
    );
  } else if (obs.fleets.length === 0 || notReady.length > 0) {
    conditions = setCondition(
      conditions,
      {
        type: ConditionType.Ready,
        status: 'False',
        reason: Reason.FleetsNotReady,
        message: `no ready scorer in fleet ${notReady.map((f) => f.version).join(', ') || 'none'}`,
        ...g,
      },
      now,
    );
  } else {
    conditions = setCondition(
      conditions,
      {
        type: ConditionType.Ready,
        status: 'True',
        reason: Reason.FleetsReady,
        message: obs.fleets.map((f) => `${f.version}: ${f.readyReplicas}/${f.replicas ?? 0} ready`).join('; '),
        ...g,
      },
      now,
    );
  }

  if (active && r.pausedAt !== null) {
    conditions = setCondition(
      conditions,
      {
        type: ConditionType.Progressing,
        status: 'False',
        reason: Reason.RolloutPaused,
        message: `rollout of ${r.version} is paused`,
        ...g,
      },
      now,
    );
  } else if (active) {
    conditions = setCondition(
      conditions,
      {
        type: ConditionType.Progressing,
        status: 'True',
        reason: Reason.RolloutInProgress,
        message: `${r.version}: ${r.phase}, weight ${r.weight}, ${r.reason}`,
        ...g,
      },
      now,
    );
  } else {
    conditions = setCondition(
      conditions,
      {
        type: ConditionType.Progressing,
        status: 'False',
        reason: Reason.Reconciled,
        message: 'no rollout in progress',
        ...g,
      },
      now,
    );
  }

  const wanted = model.spec.model;
  const lastFailedForSpec =
    r !== null &&
    (r.phase === 'Refused' || r.phase === 'RolledBack') &&
    r.version === wanted.version &&
    r.sha256 === wanted.sha256;
  const degraded: [string, string] | null =
    obs.error !== null
      ? [Reason.ReconcileFailed, obs.error]
      : obs.topicMismatches.length > 0
        ? [Reason.TopicMismatch, obs.topicMismatches.join('; ')]
        : lastFailedForSpec
          ? [r.phase === 'Refused' ? Reason.VersionRefused : Reason.RolledBack, `${r.version}: ${r.reason}`]
          : null;
  conditions = setCondition(
    conditions,
    degraded
      ? { type: ConditionType.Degraded, status: 'True', reason: degraded[0], message: degraded[1], ...g }
      : { type: ConditionType.Degraded, status: 'False', reason: Reason.AsExpected, message: '', ...g },
    now,
  );
  status.conditions = conditions;
  return status;
}

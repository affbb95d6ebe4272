import type { DecisionRecord, RolloutStatus } from '@fraud-operator/canary';
import { Counter, Gauge, type Registry } from 'prom-client';

const LABELS = ['namespace', 'name', 'version'] as const;

export interface CanaryMetrics {
  /** One sample per decision: the counter, and the gauges of the numbers it rests on. */
  recordDecision(owner: { namespace: string; name: string }, decision: DecisionRecord): void;
  /** The rollout's current weight and failed checks. */
  recordStatus(owner: { namespace: string; name: string }, status: RolloutStatus): void;
}

/** Prometheus series of the rollout decisions, registered on the operator's registry. */
export function canaryMetrics(registry: Registry): CanaryMetrics {
  const registers = [registry];
  const decisions = new Counter({
    name: 'fraudmodel_rollout_decisions_total',
    help: 'Rollout decisions, by decision (promote-step, failed-check, rollback, …) and reason.',
    labelNames: [...LABELS, 'decision', 'reason'],
    registers,
  });
  const prAuc = new Gauge({
    name: 'fraudmodel_rollout_pr_auc',
    help: 'PR-AUC (average precision) of each version on the last looked-at window of paired labelled transactions.',
    labelNames: [...LABELS, 'role'],
    registers,
  });
  const delta = new Gauge({
    name: 'fraudmodel_rollout_pr_auc_delta',
    help: 'AP(canary) − AP(stable) on the last look, with its one-sided bounds (bound="low"|"high"|"point").',
    labelNames: [...LABELS, 'bound'],
    registers,
  });
  const evidence = new Gauge({
    name: 'fraudmodel_rollout_labelled',
    help: 'Labelled transactions behind the last decision (class="all"|"fraud").',
    labelNames: [...LABELS, 'class'],
    registers,
  });
  const weight = new Gauge({
    name: 'fraudmodel_rollout_canary_weight',
    help: 'Percent of authoritative verdicts the canary serves once its latest scheduled step is in force.',
    labelNames: LABELS,
    registers,
  });
  const failed = new Gauge({
    name: 'fraudmodel_rollout_failed_checks',
    help: 'Failed checks of the current rollout.',
    labelNames: LABELS,
    registers,
  });
  return {
    recordDecision(owner, d) {
      const base = { namespace: owner.namespace, name: owner.name, version: d.version };
      decisions.inc({ ...base, decision: d.decision, reason: d.reason });
      evidence.set({ ...base, class: 'all' }, d.labelled);
      evidence.set({ ...base, class: 'fraud' }, d.frauds);
      if (d.apStable !== null) prAuc.set({ ...base, role: 'stable' }, d.apStable);
      if (d.apCanary !== null) prAuc.set({ ...base, role: 'canary' }, d.apCanary);
      if (d.delta !== null) delta.set({ ...base, bound: 'point' }, d.delta);
      if (d.ciLow !== null) delta.set({ ...base, bound: 'low' }, d.ciLow);
      if (d.ciHigh !== null) delta.set({ ...base, bound: 'high' }, d.ciHigh);
    },
    recordStatus(owner, status) {
      const r = status.rollout;
      if (r === null) return;
      const base = { namespace: owner.namespace, name: owner.name, version: r.version };
      weight.set(base, r.weight);
      failed.set(base, r.failedChecks);
    },
  };
}

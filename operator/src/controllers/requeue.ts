import { type DecisionRecord, isTerminal, type RolloutStatus } from '@fraud-operator/canary';

/** How soon the reconcile after a gate pass comes. */
export const AFTER_GATE_PASS_MS = 250;

/**
 * Pure: when to reconcile again. An active rollout is polled every `pollMs`. The reconcile that passes the gate
 * starts Shadow with no coverage promised (the evidence collector, which learns the fleets' frontier, opens in the
 * next one), so the stable fleet holds its verdicts until then: that next reconcile comes within a quarter second.
 */
export function requeueAfterMs(
  r: RolloutStatus,
  decisions: readonly DecisionRecord[],
  pollMs: number,
): number | undefined {
  const active = r.rollout !== null && !isTerminal(r.rollout.phase);
  if (!active && r.stableVersion !== null) return undefined;
  return decisions.some((d) => d.decision === 'gate-passed') ? Math.min(pollMs, AFTER_GATE_PASS_MS) : pollMs;
}

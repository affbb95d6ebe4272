import { isTerminal, type RolloutStatus } from '@fraud-operator/canary';

/** How soon a rollout is looked at again while its fleets wait for their first coverage. */
export const COVERAGE_REQUEUE_MS = 250;
/** How long after a step starts the quick looks go on (a stream with no traffic has no frontier to find). */
export const COVERAGE_REQUEUE_FOR_MS = 30_000;

/**
 * Pure: when to reconcile again. An active rollout is polled every `pollMs`; at the start of Shadow, while no
 * coverage is promised yet (the fleets' frontier is not known), the stable fleet holds its verdicts, so it is looked
 * at again within a quarter second.
 */
export function requeueAfterMs(r: RolloutStatus, pollMs: number, now: number): number | undefined {
  const rollout = r.rollout;
  const active = rollout !== null && !isTerminal(rollout.phase);
  if (!active && r.stableVersion !== null) return undefined;
  const uncovered =
    active &&
    rollout.schedule.length > 0 &&
    rollout.coveredUntil === 0 &&
    now - rollout.stepStartedAt < COVERAGE_REQUEUE_FOR_MS;
  return uncovered ? Math.min(pollMs, COVERAGE_REQUEUE_MS) : pollMs;
}

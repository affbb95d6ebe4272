import type { FraudModelStatusHistoryItem } from '../api/v1alpha1/index.ts';

/**
 * How much earlier than the gate's pass the score streams are read: the stable fleet scores a transaction at most a
 * commit's lag before the canary (whose group starts at the stable's committed offsets), and clocks differ.
 */
export const SCORES_SINCE_MARGIN_MS = 60_000;

/**
 * Pure: the wall-clock time from which a rollout's score streams hold paired evidence, from its last gate-passed
 * decision (the canary fleet starts after it), or null when the history no longer holds it (read from the beginning).
 */
export function scoresSinceOf(
  history: readonly FraudModelStatusHistoryItem[] | undefined,
  rollout: { version: string; sha256: string },
): number | null {
  const passed = history?.findLast(
    (h) => h.decision === 'gate-passed' && h.version === rollout.version && h.sha256 === rollout.sha256,
  );
  if (passed === undefined) return null;
  const time = Date.parse(passed.time);
  return Number.isFinite(time) ? time - SCORES_SINCE_MARGIN_MS : null;
}

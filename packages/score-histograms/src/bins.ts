/**
 * Scores are binned on the log-odds scale, 32 bins per unit over [-16, 16]: fine at both ends, where most genuine
 * traffic (near 0) and the fraud operating points (near 1) sit. Bins are monotone in the score, so a histogram keeps
 * the ranking between bins and loses only the order inside one.
 */
export const LOGIT_LIMIT = 16;
export const BINS_PER_UNIT = 32;
export const BIN_COUNT = 2 * LOGIT_LIMIT * BINS_PER_UNIT;

/** The bin of a probability; NaN, 0 and below go to the lowest bin, 1 and above to the highest. */
export function binOf(score: number): number {
  if (!(score > 0)) return 0;
  if (score >= 1) return BIN_COUNT - 1;
  const bin = Math.floor((Math.log(score / (1 - score)) + LOGIT_LIMIT) * BINS_PER_UNIT);
  return Math.min(BIN_COUNT - 1, Math.max(0, bin));
}

/** The lowest score that falls in `bin` (0 for the lowest bin). */
export function binFloor(bin: number): number {
  if (bin <= 0) return 0;
  return 1 / (1 + Math.exp(-(bin / BINS_PER_UNIT - LOGIT_LIMIT)));
}

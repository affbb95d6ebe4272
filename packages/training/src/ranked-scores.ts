/** Scores split by label, each sorted ascending: ranks tens of millions of scores with the typed arrays' numeric sort. */
export interface RankedScores {
  frauds: Float64Array;
  genuine: Float64Array;
}

/** Pure: splits scores by label (1 fraud, anything else genuine) and sorts each side. */
export function rankScores(scores: ArrayLike<number>, labels: ArrayLike<number>): RankedScores {
  let positives = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === 1) positives++;
  const frauds = new Float64Array(positives);
  const genuine = new Float64Array(scores.length - positives);
  let f = 0;
  let g = 0;
  for (let i = 0; i < scores.length; i++) {
    if (labels[i] === 1) frauds[f++] = scores[i]!;
    else genuine[g++] = scores[i]!;
  }
  return { frauds: frauds.sort(), genuine: genuine.sort() };
}

/**
 * Pure: visits each distinct score from the highest down, with the frauds (tp) and genuine rows (fp) scored at or
 * above it (ties admitted together) and whether it is the lowest; stops when `visit` returns false.
 */
export function forEachThreshold(
  ranked: RankedScores,
  visit: (threshold: number, tp: number, fp: number, lowest: boolean) => boolean | undefined,
): void {
  const { frauds, genuine } = ranked;
  let i = frauds.length - 1;
  let j = genuine.length - 1;
  while (i >= 0 || j >= 0) {
    const s = i < 0 ? genuine[j]! : j < 0 ? frauds[i]! : Math.max(frauds[i]!, genuine[j]!);
    while (i >= 0 && frauds[i] === s) i--;
    while (j >= 0 && genuine[j] === s) j--;
    if (visit(s, frauds.length - 1 - i, genuine.length - 1 - j, i < 0 && j < 0) === false) return;
  }
}

/**
 * Average precision (the step-wise area under the precision-recall curve), exactly as scikit-learn's
 * `average_precision_score`: AP = sum over distinct thresholds t (descending) of (R_t - R_prev) * P_t, where all
 * transactions sharing a score are admitted together at one threshold (ties are never split by order).
 *
 * Returns NaN when there is no positive label: recall is undefined then, and the caller must treat the window as
 * inconclusive rather than guess a number.
 */
export function averagePrecision(scores: readonly number[], labels: readonly (0 | 1)[]): number {
  if (scores.length !== labels.length) {
    throw new Error(`averagePrecision: ${scores.length} scores but ${labels.length} labels`);
  }
  const order = scores.map((_, index) => index);
  return averagePrecisionOfSample(scores, labels, order);
}

/**
 * Average precision over the transactions named by `sample` (indices into scores/labels, repeats allowed: a
 * bootstrap resample counts a transaction as many times as it was drawn).
 */
export function averagePrecisionOfSample(
  scores: readonly number[],
  labels: readonly (0 | 1)[],
  sample: readonly number[],
): number {
  const order = [...sample];
  for (const index of order) {
    const score = scores[index];
    if (score === undefined || !Number.isFinite(score)) {
      throw new Error(`averagePrecision: score at index ${index} is ${score}, expected a finite number`);
    }
    const label = labels[index];
    if (label !== 0 && label !== 1) {
      throw new Error(`averagePrecision: label at index ${index} is ${label}, expected 0 or 1`);
    }
  }
  order.sort((a, b) => (scores[b] as number) - (scores[a] as number));

  let totalPositives = 0;
  for (const index of order) totalPositives += labels[index] as number;
  if (totalPositives === 0) return Number.NaN;

  let truePositives = 0;
  let admitted = 0;
  let previousRecall = 0;
  let area = 0;
  let cursor = 0;
  while (cursor < order.length) {
    const threshold = scores[order[cursor] as number] as number;
    while (cursor < order.length && scores[order[cursor] as number] === threshold) {
      truePositives += labels[order[cursor] as number] as number;
      admitted += 1;
      cursor += 1;
    }
    const recall = truePositives / totalPositives;
    if (recall > previousRecall) {
      area += (recall - previousRecall) * (truePositives / admitted);
      previousRecall = recall;
    }
  }
  return area;
}

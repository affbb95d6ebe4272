/**
 * Pure: the decision threshold from a stated policy, never by hand. `max-fpr`: the lowest threshold whose false
 * positives stay within `value` of the genuine transactions (measured on the protocol's test sets).
 */
export interface ThresholdPolicy {
  kind: 'max-fpr';
  value: number;
}

export interface ThresholdChoice {
  policy: ThresholdPolicy;
  threshold: number;
  precision: number;
  recall: number;
  falsePositiveRate: number;
  /** Alerts (score ≥ threshold) as a share of all transactions. */
  alertShare: number;
}

export function chooseThreshold(scores: ArrayLike<number>, labels: ArrayLike<number>, policy: ThresholdPolicy) {
  if (!(policy.value > 0 && policy.value < 1)) throw new Error(`max-fpr must be in (0, 1), got ${policy.value}`);
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  let positives = 0;
  for (let i = 0; i < labels.length; i++) positives += labels[i] === 1 ? 1 : 0;
  const negatives = scores.length - positives;
  let tp = 0;
  let fp = 0;
  let best: ThresholdChoice | undefined;
  for (let k = 0; k < order.length; ) {
    const s = scores[order[k]!]!;
    let j = k;
    while (j < order.length && scores[order[j]!] === s) {
      if (labels[order[j]!] === 1) tp++;
      else fp++;
      j++;
    }
    if (fp / Math.max(1, negatives) > policy.value) break;
    best = {
      policy,
      threshold: s,
      precision: tp / (tp + fp),
      recall: tp / Math.max(1, positives),
      falsePositiveRate: fp / Math.max(1, negatives),
      alertShare: (tp + fp) / scores.length,
    };
    k = j;
  }
  return (
    best ?? {
      policy,
      threshold: 1,
      precision: Number.NaN,
      recall: 0,
      falsePositiveRate: 0,
      alertShare: 0,
    }
  );
}

import { forEachThreshold, rankScores } from './ranked-scores.ts';

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
  const ranked = rankScores(scores, labels);
  const positives = ranked.frauds.length;
  const negatives = ranked.genuine.length;
  let best: ThresholdChoice | undefined;
  forEachThreshold(ranked, (threshold, tp, fp) => {
    if (fp / Math.max(1, negatives) > policy.value) return false;
    best = {
      policy,
      threshold,
      precision: tp / (tp + fp),
      recall: tp / Math.max(1, positives),
      falsePositiveRate: fp / Math.max(1, negatives),
      alertShare: (tp + fp) / scores.length,
    };
    return true;
  });
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

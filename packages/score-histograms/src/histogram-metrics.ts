import { BIN_COUNT } from './bins.ts';
import { type ScoreHistogram, totals } from './histogram.ts';

export interface HistogramAveragePrecision {
  /** The estimate: the middle of [low, high], so within (high - low) / 2 of the exact AP. */
  ap: number;
  /**
   * The exact AP of the unbinned scores lies in [low, high]: the order inside a bin is all a histogram forgets, and
   * putting a bin's frauds after (before) its genuine transactions is the worst (best) that order can be. (scikit-
   * learn's tie rule, a bin admitted at once, lands near `low`: it is biased, the middle is not.)
   */
  low: number;
  high: number;
  frauds: number;
  scored: number;
}

/** PR-AUC from a histogram; NaN (all three) when it holds no fraud. */
export function averagePrecisionOf(h: ScoreHistogram): HistogramAveragePrecision {
  const { scored, frauds } = totals(h);
  let low = 0;
  let high = 0;
  let tp = 0;
  let admitted = 0;
  for (let b = BIN_COUNT - 1; b >= 0; b--) {
    const all = h.scored[b] as number;
    const positives = h.frauds[b] as number;
    if (positives > all) throw new Error(`score histogram: bin ${b} has ${positives} frauds of ${all} scored`);
    const negatives = all - positives;
    for (let j = 1; j <= positives; j++) {
      high += (tp + j) / (admitted + j);
      low += (tp + j) / (admitted + negatives + j);
    }
    tp += positives;
    admitted += all;
  }
  if (frauds === 0) return { ap: Number.NaN, low: Number.NaN, high: Number.NaN, frauds, scored };
  return { ap: (low + high) / (2 * frauds), low: low / frauds, high: high / frauds, frauds, scored };
}

export interface AtThreshold {
  /** Frauds among the alerts; NaN without alerts. */
  precision: number;
  /** Alerted frauds among all labelled frauds; NaN without frauds. */
  recall: number;
  /** Genuine alerts (false positives) as a share of every scored transaction. */
  falseAlertShare: number;
  alerts: number;
}

/** Precision and recall at the version's own threshold, exact (counted at scoring time, not read off bins). */
export function atThreshold(h: ScoreHistogram): AtThreshold {
  const { scored, frauds } = totals(h);
  return {
    precision: h.scoredAbove > 0 ? h.fraudsAbove / h.scoredAbove : Number.NaN,
    recall: frauds > 0 ? h.fraudsAbove / frauds : Number.NaN,
    falseAlertShare: scored > 0 ? (h.scoredAbove - h.fraudsAbove) / scored : Number.NaN,
    alerts: h.scoredAbove,
  };
}

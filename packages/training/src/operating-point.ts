import { chooseThreshold, type ThresholdPolicy } from './threshold.ts';

/** Scored test transactions, a column each (TestScores, test-scores.ts, is one). */
export interface ScoredTransactions {
  length: number;
  fold: ArrayLike<number>;
  score: ArrayLike<number>;
  fraud: ArrayLike<number>;
  amount: ArrayLike<number>;
}

export interface OperatingPoint {
  policy: ThresholdPolicy;
  /** Chosen on the older folds' test sets (1..3), applied to the newest (fold 0): no look at the data it is judged on. */
  threshold: number;
  chosenOn: string;
  judgedOn: string;
  precision: number;
  recall: number;
  falsePositiveRate: number;
  /** False positives as a share of all transactions of the judged week. */
  falsePositiveShare: number;
  alertShare: number;
  frauds: number;
  fraudAmount: number;
  missedFraudAmount: number;
  /** missedFraudAmount scaled from the judged week (7 days) to 30 days. */
  missedFraudAmountPer30Days: number;
}

/** Pure: the operating point of a threshold policy, chosen on folds 1..3 and judged on fold 0. */
export function operatingPoint(rows: ScoredTransactions, policy: ThresholdPolicy, testDays = 7) {
  let newestRows = 0;
  for (let i = 0; i < rows.length; i++) if (rows.fold[i] === 0) newestRows++;
  const olderRows = rows.length - newestRows;
  if (olderRows === 0 || newestRows === 0) throw new Error('operatingPoint: needs fold 0 and older folds');
  const olderScores = new Float64Array(olderRows);
  const olderLabels = new Int8Array(olderRows);
  for (let i = 0, k = 0; i < rows.length; i++) {
    if (rows.fold[i] === 0) continue;
    olderScores[k] = rows.score[i]!;
    olderLabels[k++] = rows.fraud[i]!;
  }
  const { threshold } = chooseThreshold(olderScores, olderLabels, policy);
  let tp = 0;
  let fp = 0;
  let frauds = 0;
  let fraudAmount = 0;
  let missed = 0;
  for (let i = 0; i < rows.length; i++) {
    if (rows.fold[i] !== 0) continue;
    const alert = rows.score[i]! >= threshold;
    if (rows.fraud[i] === 1) {
      frauds++;
      fraudAmount += rows.amount[i]!;
      if (alert) tp++;
      else missed += rows.amount[i]!;
    } else if (alert) fp++;
  }
  const genuine = newestRows - frauds;
  return {
    policy,
    threshold,
    chosenOn: 'test sets of folds 1-3',
    judgedOn: 'test set of fold 0 (the newest week)',
    precision: tp + fp > 0 ? tp / (tp + fp) : Number.NaN,
    recall: frauds > 0 ? tp / frauds : Number.NaN,
    falsePositiveRate: genuine > 0 ? fp / genuine : 0,
    falsePositiveShare: fp / newestRows,
    alertShare: (tp + fp) / newestRows,
    frauds,
    fraudAmount,
    missedFraudAmount: missed,
    missedFraudAmountPer30Days: (missed * 30) / testDays,
  } satisfies OperatingPoint;
}

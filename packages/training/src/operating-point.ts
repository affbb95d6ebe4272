import { chooseThreshold, type ThresholdPolicy } from './threshold.ts';

export interface ScoredTransaction {
  fold: number;
  score: number;
  fraud: number;
  amount: number;
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
export function operatingPoint(rows: readonly ScoredTransaction[], policy: ThresholdPolicy, testDays = 7) {
  const older = rows.filter((r) => r.fold !== 0);
  const newest = rows.filter((r) => r.fold === 0);
  if (older.length === 0 || newest.length === 0) throw new Error('operatingPoint: needs fold 0 and older folds');
  const { threshold } = chooseThreshold(
    older.map((r) => r.score),
    older.map((r) => r.fraud),
    policy,
  );
  let tp = 0;
  let fp = 0;
  let frauds = 0;
  let fraudAmount = 0;
  let missed = 0;
  for (const r of newest) {
    const alert = r.score >= threshold;
    if (r.fraud === 1) {
      frauds++;
      fraudAmount += r.amount;
      if (alert) tp++;
      else missed += r.amount;
    } else if (alert) fp++;
  }
  const genuine = newest.length - frauds;
  return {
    policy,
    threshold,
    chosenOn: 'test sets of folds 1-3',
    judgedOn: 'test set of fold 0 (the newest week)',
    precision: tp + fp > 0 ? tp / (tp + fp) : Number.NaN,
    recall: frauds > 0 ? tp / frauds : Number.NaN,
    falsePositiveRate: genuine > 0 ? fp / genuine : 0,
    falsePositiveShare: fp / newest.length,
    alertShare: (tp + fp) / newest.length,
    frauds,
    fraudAmount,
    missedFraudAmount: missed,
    missedFraudAmountPer30Days: (missed * 30) / testDays,
  } satisfies OperatingPoint;
}

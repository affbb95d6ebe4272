import { describe, expect, it } from 'vitest';
import { operatingPoint } from './operating-point.ts';

const columns = (rows: { fold: number; score: number; fraud: number; amount: number }[]) => ({
  length: rows.length,
  fold: rows.map((r) => r.fold),
  score: rows.map((r) => r.score),
  fraud: rows.map((r) => r.fraud),
  amount: rows.map((r) => r.amount),
});

describe('operating point', () => {
  it('chooses the threshold on the older folds and judges it on the newest, with missed amounts', () => {
    // Older folds: genuine 0.9, 0.5, 0.4, 0.1; fraud 0.95, 0.6. FPR ≤ 0.25 admits down to 0.6 (0.5 would be 2/4).
    const older = [
      [0.9, 0],
      [0.5, 0],
      [0.4, 0],
      [0.1, 0],
      [0.95, 1],
      [0.6, 1],
    ].map(([score, fraud]) => ({ fold: 1, score: score!, fraud: fraud!, amount: 10 }));
    // Newest: frauds at 0.7 (amount 100, caught) and 0.3 (amount 40, missed); genuine at 0.65 (alert) and 0.2.
    const newest = [
      { fold: 0, score: 0.7, fraud: 1, amount: 100 },
      { fold: 0, score: 0.3, fraud: 1, amount: 40 },
      { fold: 0, score: 0.65, fraud: 0, amount: 5 },
      { fold: 0, score: 0.2, fraud: 0, amount: 5 },
    ];
    const p = operatingPoint(columns([...older, ...newest]), { kind: 'max-fpr', value: 0.25 });
    expect(p.threshold).toBe(0.6);
    expect(p.precision).toBe(0.5);
    expect(p.recall).toBe(0.5);
    expect(p.falsePositiveRate).toBe(0.5);
    expect(p.falsePositiveShare).toBe(0.25);
    expect(p.missedFraudAmount).toBe(40);
    expect(p.missedFraudAmountPer30Days).toBeCloseTo((40 * 30) / 7, 10);
    expect(() => operatingPoint(columns(newest), { kind: 'max-fpr', value: 0.25 })).toThrow(/older folds/);
  });
});

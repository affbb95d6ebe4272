import { describe, expect, it } from 'vitest';
import { averagePrecision, averagePrecisionOfSample } from './average-precision.ts';

// Every expected value below is worked by hand and agrees with sklearn.metrics.average_precision_score.
describe('averagePrecision', () => {
  it('is 1 for a perfect ranking', () => {
    expect(averagePrecision([0.9, 0.8, 0.1, 0.05], [1, 1, 0, 0])).toBe(1);
  });

  it('matches the classic sklearn docstring example (0.8333...)', () => {
    // scores 0.8(1) 0.4(0) 0.35(1) 0.1(0): recall 0.5 at P=1, recall 1 at P=2/3 -> 0.5 + 0.5*2/3
    expect(averagePrecision([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(5 / 6, 12);
  });

  it('groups ties at one threshold instead of splitting them by order', () => {
    // all three tied: one threshold, recall 1, precision 1/3 -> 1/3 whatever the order
    expect(averagePrecision([0.5, 0.5, 0.5], [1, 0, 0])).toBeCloseTo(1 / 3, 12);
    expect(averagePrecision([0.5, 0.5, 0.5], [0, 0, 1])).toBeCloseTo(1 / 3, 12);
  });

  it('handles a tie straddling a positive and a negative after a clean top', () => {
    // 0.9(1) | 0.5(1),0.5(0) | 0.1(0): recall 0.5 @ P=1, recall 1 @ P=2/3 -> 0.5 + 1/3
    expect(averagePrecision([0.9, 0.5, 0.5, 0.1], [1, 1, 0, 0])).toBeCloseTo(0.5 + 1 / 3, 12);
  });

  it('is the prevalence-weighted worst case when the only fraud is ranked last', () => {
    // 0.9(0) 0.8(0) 0.7(0) 0.1(1): recall 1 at P=1/4
    expect(averagePrecision([0.9, 0.8, 0.7, 0.1], [0, 0, 0, 1])).toBeCloseTo(0.25, 12);
  });

  it('is NaN without any positive label, and 1 when every label is positive', () => {
    expect(averagePrecision([0.3, 0.2], [0, 0])).toBeNaN();
    expect(averagePrecision([], [])).toBeNaN();
    expect(averagePrecision([0.3, 0.2], [1, 1])).toBe(1);
  });

  it('counts repeated indices of a bootstrap sample as separate transactions', () => {
    // sample [0,0,1]: 0.9(0),0.9(0) tied then 0.2(1): recall 1 at P=1/3
    expect(averagePrecisionOfSample([0.9, 0.2], [0, 1], [0, 0, 1])).toBeCloseTo(1 / 3, 12);
    // sample [1,1,0]: 0.9(0) then 0.2(1),0.2(1): recall 1 at P=2/3
    expect(averagePrecisionOfSample([0.9, 0.2], [0, 1], [1, 1, 0])).toBeCloseTo(2 / 3, 12);
  });

  it('names the bad input', () => {
    expect(() => averagePrecision([0.1], [1, 0])).toThrow(/1 scores but 2 labels/);
    expect(() => averagePrecision([Number.NaN], [1])).toThrow(/index 0 is NaN/);
    expect(() => averagePrecision([0.1], [2 as 0])).toThrow(/label at index 0 is 2/);
  });
});

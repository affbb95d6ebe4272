import { describe, expect, it } from 'vitest';
import { chooseThreshold } from './threshold.ts';

describe('threshold policy', () => {
  it('takes the lowest threshold within the false-positive budget, ties admitted together', () => {
    // genuine: 0.9, 0.5, 0.5, 0.1 ; fraud: 0.95, 0.6
    const scores = [0.95, 0.9, 0.6, 0.5, 0.5, 0.1];
    const labels = [1, 0, 1, 0, 0, 0];
    const c = chooseThreshold(scores, labels, { kind: 'max-fpr', value: 0.25 });
    expect(c.threshold).toBe(0.6);
    expect(c.recall).toBe(1);
    expect(c.precision).toBeCloseTo(2 / 3);
    expect(c.falsePositiveRate).toBe(0.25);
    // 0.5 would admit two more genuine ones at once: 3/4 > 0.5
    expect(chooseThreshold(scores, labels, { kind: 'max-fpr', value: 0.5 }).threshold).toBe(0.6);
  });
});

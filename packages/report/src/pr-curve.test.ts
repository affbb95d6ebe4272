import { averagePrecision } from '@fraud-operator/metrics';
import { describe, expect, it } from 'vitest';
import { prCurve } from './pr-curve.ts';

describe('prCurve', () => {
  it('matches scikit-learn on a small case, ties admitted together', () => {
    // sklearn: precision_recall_curve([0,1,1,0,1], [.1,.9,.4,.4,.8]) → thresholds .9, .8, .4, .1
    const pr = prCurve([0.1, 0.9, 0.4, 0.4, 0.8], [0, 1, 1, 0, 1]);
    expect(pr.curve).toEqual([
      { recall: 1 / 3, precision: 1 },
      { recall: 2 / 3, precision: 1 },
      { recall: 1, precision: 0.75 },
      { recall: 1, precision: 0.6 },
    ]);
    expect(pr.ap).toBeCloseTo(2 / 3 + (1 / 3) * 0.75, 12);
    expect(pr).toMatchObject({ labelled: 5, frauds: 3 });
  });

  it('gives the AP of @fraud-operator/metrics and thins long curves, keeping both ends', () => {
    let seed = 7;
    const rand = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    const labels = Array.from({ length: 5000 }, () => (rand() < 0.05 ? 1 : 0) as 0 | 1);
    const scores = labels.map((l) => Math.round((rand() + l * 0.5) * 1000) / 1000);
    const pr = prCurve(scores, labels, 50);
    expect(pr.ap).toBeCloseTo(averagePrecision(scores, labels), 12);
    expect(pr.curve.length).toBeLessThanOrEqual(52);
    expect(pr.curve.at(-1)).toEqual({ recall: 1, precision: labels.filter((l) => l === 1).length / labels.length });
    for (let i = 1; i < pr.curve.length; i++)
      expect(pr.curve[i]?.recall).toBeGreaterThanOrEqual(pr.curve[i - 1]?.recall as number);
  });

  it('refuses bad input, naming the index', () => {
    expect(() => prCurve([0.1, 0.2], [0])).toThrow('2 scores but 1 labels');
    expect(() => prCurve([0.1, Number.NaN], [1, 0])).toThrow('score at index 1');
    expect(() => prCurve([0.1, 0.2], [1, 2])).toThrow('label at index 1');
    expect(() => prCurve([0.1, 0.2], [0, 0])).toThrow('no positive label');
  });
});

import { averagePrecision } from '@fraud-operator/metrics/average-precision';
import { describe, expect, it } from 'vitest';
import { comparePaired } from './paired-comparison.ts';
import { logFactorial, poisson, poissonSampler } from './poisson.ts';
import { seededRandom } from './seeded-random.ts';
import { syntheticWindow } from './synthetic.ts';

const options = { resamples: 500, alpha: 0.05, seed: 7 };

describe('comparePaired', () => {
  it('gives exactly scikit-learn AP on the window, with ties between and within classes', () => {
    for (let seed = 1; seed <= 30; seed += 1) {
      const random = seededRandom(seed);
      const n = 5 + Math.floor(random() * 300);
      const labels = Array.from({ length: n }, (_, i) => (i === 0 ? 1 : i === 1 ? 0 : random() < 0.2 ? 1 : 0));
      // Scores on a coarse grid, so ties are everywhere.
      const stable = labels.map((l) => Math.round((l * 0.3 + random()) * 8) / 8);
      const canary = labels.map((l) => Math.round((l * 0.5 + random()) * 5) / 5);
      const c = comparePaired({ labels, stable, canary }, options);
      expect(c.apStable).toBeCloseTo(averagePrecision(stable, labels as (0 | 1)[]), 12);
      expect(c.apCanary).toBeCloseTo(averagePrecision(canary, labels as (0 | 1)[]), 12);
      expect(c.lower).toBeLessThanOrEqual(c.upper);
    }
  });

  it('identical models give delta 0 and a zero-width interval, whatever the data', () => {
    const w = syntheticWindow({
      count: 2000,
      fraudRate: 0.02,
      stableSkill: 1,
      canarySkill: 1,
      correlation: 0.5,
      seed: 3,
    });
    const c = comparePaired({ labels: w.labels, stable: w.stable, canary: w.stable }, options);
    expect([c.delta, c.lower, c.upper]).toEqual([0, 0, 0]);
  });

  it('all scores tied: AP is the fraud rate for both and the interval is [0, 0]', () => {
    const labels = [1, 0, 0, 1, 0, 0, 0, 1, 0, 0];
    const flat = labels.map(() => 0.5);
    const c = comparePaired({ labels, stable: flat, canary: flat }, options);
    expect(c.apStable).toBeCloseTo(0.3, 12);
    expect([c.lower, c.upper]).toEqual([0, 0]);
  });

  it('a clearly better canary has its whole interval above 0; the reverse below', () => {
    const w = syntheticWindow({
      count: 20_000,
      fraudRate: 0.005,
      stableSkill: 1.5,
      canarySkill: 3,
      correlation: 0.5,
      seed: 9,
    });
    const better = comparePaired(w, options);
    expect(better.frauds).toBeGreaterThan(60);
    expect(better.lower).toBeGreaterThan(0);
    const worse = comparePaired({ labels: w.labels, stable: w.canary, canary: w.stable }, options);
    expect(worse.upper).toBeLessThan(0);
    expect(worse.delta).toBeCloseTo(-better.delta, 12);
  });

  it('the interval is calibrated: for equal models it covers 0 in about 90 % of windows', () => {
    let covered = 0;
    const windows = 60;
    for (let seed = 1; seed <= windows; seed += 1) {
      const w = syntheticWindow({
        count: 3000,
        fraudRate: 0.01,
        stableSkill: 2,
        canarySkill: 2,
        correlation: 0.6,
        seed,
      });
      const c = comparePaired(w, { resamples: 400, alpha: 0.05, seed });
      if (c.lower <= 0 && c.upper >= 0) covered += 1;
    }
    // Nominal 90 %; binomial sd at 60 windows is ~4 %: accept 75..100 %.
    expect(covered / windows).toBeGreaterThan(0.75);
  });

  it('a look over 200,000 labelled transactions takes well under a second', () => {
    const w = syntheticWindow({
      count: 200_000,
      fraudRate: 0.0005,
      stableSkill: 2,
      canarySkill: 2.2,
      correlation: 0.7,
      seed: 5,
    });
    const start = performance.now();
    const c = comparePaired(w, { resamples: 2000, alpha: 0.05, seed: 1 });
    expect(performance.now() - start).toBeLessThan(1500);
    expect(c.labelled).toBe(200_000);
  });

  it('refuses bad input naming the row', () => {
    expect(() => comparePaired({ labels: [1, 0], stable: [0.1, Number.NaN], canary: [0, 0] }, options)).toThrow(
      /stable\[1\] is NaN/,
    );
    expect(() => comparePaired({ labels: [1, 2], stable: [0, 0], canary: [0, 0] }, options)).toThrow(
      /labels\[1\] is 2/,
    );
    expect(() => comparePaired({ labels: [1, 0], stable: [0], canary: [0, 0] }, options)).toThrow(/pair them/);
    expect(() => comparePaired({ labels: [0, 0], stable: [0, 1], canary: [0, 0] }, options)).toThrow(/both classes/);
  });
});

describe('poisson', () => {
  for (const lambda of [0.5, 3, 9.5, 10, 47, 5000]) {
    it(`has mean and variance ${lambda}`, () => {
      const random = seededRandom(11);
      const draws = Array.from({ length: 40_000 }, () => poisson(random, lambda));
      const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
      const variance = draws.reduce((a, b) => a + (b - mean) ** 2, 0) / draws.length;
      const standardError = Math.sqrt(lambda / draws.length);
      expect(Math.abs(mean - lambda)).toBeLessThan(5 * standardError);
      expect(Math.abs(variance / lambda - 1)).toBeLessThan(0.05);
      expect(draws.every((d) => Number.isInteger(d) && d >= 0)).toBe(true);
    });
  }
  it('logFactorial agrees with the direct sum', () => {
    let direct = 0;
    for (let k = 1; k <= 200; k += 1) {
      direct += Math.log(k);
      expect(logFactorial(k)).toBeCloseTo(direct, 9);
    }
  });
});

describe('poissonSampler', () => {
  for (const lambda of [1, 7, 40, 41, 300]) {
    it(`draws with mean and variance ${lambda}`, () => {
      const random = seededRandom(5);
      const draw = poissonSampler(lambda);
      const draws = Array.from({ length: 40_000 }, () => draw(random));
      const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
      const variance = draws.reduce((a, b) => a + (b - mean) ** 2, 0) / draws.length;
      expect(Math.abs(mean - lambda)).toBeLessThan(5 * Math.sqrt(lambda / draws.length));
      expect(Math.abs(variance / lambda - 1)).toBeLessThan(0.05);
    });
  }
});

import { describe, expect, it } from 'vitest';
import { type CanaryStepInput, decideCanaryStep } from './decide-step.ts';
import { pairedBootstrapApDifference } from './paired-bootstrap.ts';
import { seededRandom } from './seeded-random.ts';

/** A window of `count` transactions with `frauds` frauds; scores come from the given ranking quality. */
function window(count: number, frauds: number, seed: number, stableSkill: number, canarySkill: number) {
  const random = seededRandom(seed);
  const labels: (0 | 1)[] = [];
  const stable: number[] = [];
  const canary: number[] = [];
  for (let index = 0; index < count; index += 1) {
    const label: 0 | 1 = index < frauds ? 1 : 0;
    const noise = random();
    labels.push(label);
    stable.push(label * stableSkill + noise);
    canary.push(label * canarySkill + noise * 0.5 + random() * 0.5);
  }
  return { stable: { scores: stable, labels }, canary: { scores: canary, labels } };
}

const base = {
  minLabelledFrauds: 5,
  maxPrAucLoss: 0.02,
  failedChecks: 0,
  maxFailedChecks: 2,
  deadlinePassed: false,
  paused: false,
};

describe('decideCanaryStep', () => {
  const cases: { name: string; input: CanaryStepInput; decision: string; reason: string; failedChecks: number }[] = [
    {
      name: 'no labels holds',
      input: { ...base, stable: { scores: [], labels: [] }, canary: { scores: [], labels: [] } },
      decision: 'hold',
      reason: 'NotEnoughFrauds',
      failedChecks: 0,
    },
    {
      name: 'no labels past the deadline rolls back',
      input: { ...base, deadlinePassed: true, stable: { scores: [], labels: [] }, canary: { scores: [], labels: [] } },
      decision: 'rollback',
      reason: 'InconclusivePastDeadline',
      failedChecks: 0,
    },
    {
      name: 'only legitimate transactions hold',
      input: { ...base, minLabelledFrauds: 0, ...window(50, 0, 1, 1, 1) },
      decision: 'hold',
      reason: 'NotEnoughFrauds',
      failedChecks: 0,
    },
    {
      name: 'only frauds (one class) hold',
      input: { ...base, ...window(8, 8, 2, 1, 1) },
      decision: 'hold',
      reason: 'OneClassOnly',
      failedChecks: 0,
    },
    {
      name: 'tiny window below minLabelledFrauds holds',
      input: { ...base, ...window(3, 1, 3, 2, 0) },
      decision: 'hold',
      reason: 'NotEnoughFrauds',
      failedChecks: 0,
    },
    {
      name: 'paused wins over everything',
      input: { ...base, paused: true, deadlinePassed: true, ...window(3, 1, 3, 2, 0) },
      decision: 'paused',
      reason: 'Paused',
      failedChecks: 0,
    },
    {
      name: 'an equal canary promotes the step',
      input: { ...base, ...window(400, 20, 4, 1.5, 1.5) },
      decision: 'promote-step',
      reason: 'PrAucWithinTolerance',
      failedChecks: 0,
    },
    {
      name: 'a better canary promotes the step',
      input: { ...base, ...window(400, 20, 5, 0.3, 2) },
      decision: 'promote-step',
      reason: 'PrAucWithinTolerance',
      failedChecks: 0,
    },
    {
      name: 'a clearly worse canary fails one check',
      input: { ...base, ...window(400, 20, 6, 2, 0) },
      decision: 'hold',
      reason: 'PrAucLossBeyondTolerance',
      failedChecks: 1,
    },
    {
      name: 'the last allowed failure rolls back',
      input: { ...base, failedChecks: 1, ...window(400, 20, 6, 2, 0) },
      decision: 'rollback',
      reason: 'TooManyFailedChecks',
      failedChecks: 2,
    },
  ];
  for (const testCase of cases) {
    it(testCase.name, () => {
      const result = decideCanaryStep(testCase.input);
      expect(result.decision).toBe(testCase.decision);
      expect(result.reason).toBe(testCase.reason);
      expect(result.failedChecks).toBe(testCase.failedChecks);
      expect(result.numbers.labelled).toBe(testCase.input.stable.labels.length);
    });
  }

  it('all-tied scores on both sides give identical AP and a zero interval: the step passes', () => {
    const labels: (0 | 1)[] = [1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0];
    const scores = labels.map(() => 0.5);
    const result = decideCanaryStep({ ...base, stable: { scores, labels }, canary: { scores, labels } });
    expect(result.decision).toBe('promote-step');
    expect(result.numbers.apStable).toBeCloseTo(5 / 15, 12);
    expect(result.numbers.delta).toBe(0);
    expect(result.numbers.ciLow).toBe(0);
    expect(result.numbers.ciHigh).toBe(0);
  });

  it('reports the numbers of a failed check, with the interval wholly below the tolerance', () => {
    const result = decideCanaryStep({ ...base, ...window(400, 20, 6, 2, 0) });
    expect(result.numbers.frauds).toBe(20);
    expect(result.numbers.apStable).toBeGreaterThan(0.9);
    expect(result.numbers.ciHigh).toBeLessThan(-base.maxPrAucLoss);
    expect(result.numbers.ciLow as number).toBeLessThanOrEqual(result.numbers.delta as number);
  });

  it('is deterministic for a seed', () => {
    const input = { ...base, ...window(200, 10, 7, 1, 0.9) };
    expect(decideCanaryStep(input)).toEqual(decideCanaryStep(input));
  });

  it('refuses unpaired windows with a message naming the mismatch', () => {
    const a = window(10, 2, 8, 1, 1);
    expect(() => decideCanaryStep({ ...base, stable: a.stable, canary: { scores: [0.1], labels: [1] } })).toThrow(
      /stable has 10 labelled transactions, canary 1/,
    );
    const flipped = { scores: a.canary.scores, labels: a.canary.labels.map((l) => (1 - l) as 0 | 1) };
    expect(() => decideCanaryStep({ ...base, stable: a.stable, canary: flipped })).toThrow(/label 0 differs/);
  });
});

describe('pairedBootstrapApDifference', () => {
  it('skips resamples that drew no fraud and still yields an interval on a tiny window', () => {
    const interval = pairedBootstrapApDifference([1, 0, 0], [0.9, 0.2, 0.1], [0.1, 0.2, 0.9], {
      resamples: 200,
      seed: 3,
      level: 0.9,
    });
    expect(interval.usable).toBeGreaterThan(0);
    expect(interval.usable).toBeLessThan(200);
    expect(interval.low).toBeLessThanOrEqual(interval.high);
    expect(interval.low).toBeLessThan(0);
  });
});

import { describe, expect, it } from 'vitest';
import { simulateRollouts } from './simulate-rollouts.ts';

const spec = {
  model: { version: 'v2', sha256: '2'.repeat(64) },
  rollout: {
    steps: [10, 50],
    analysisWindowMinutes: 1,
    minLabelledFrauds: 30,
    maxPrAucLoss: 0.05,
    maxFailedChecks: 2,
    stepDeadlineMinutes: 600,
  },
};
const base = { stableSkill: 2.5, correlation: 0.6, fraudRate: 0.002, fraudsPerCall: 10 };
const policy = { resamples: 300, leadMs: 1_000, horizonMs: 5_000, drainMarginMs: 2_000 };

describe('simulateRollouts (a small sample; the 200-rollout figures are in the README)', () => {
  it('promotes every clearly better canary and no clearly worse one', () => {
    const better = simulateRollouts({ ...base, name: 'better', canarySkill: 2.9 }, spec, 3, policy);
    expect(better.trueDelta).toBeGreaterThan(0.1);
    expect(better.promoted).toBe(3);
    const worse = simulateRollouts({ ...base, name: 'clearly worse', canarySkill: 1.8 }, spec, 3, policy);
    expect(worse.trueDelta).toBeLessThan(-0.15);
    expect(worse).toMatchObject({ promoted: 0, rolledBack: 3 });
  }, 60_000);
});

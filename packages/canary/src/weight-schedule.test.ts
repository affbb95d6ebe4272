import { describe, expect, it } from 'vitest';
import type { RolloutState, RolloutStatus } from './types.ts';
import { authoritySchedule, fleetPlan, weightAt } from './weight-schedule.ts';

const state = (phase: RolloutState['phase']): RolloutState => ({
  version: 'v2',
  sha256: 'b'.repeat(64),
  phase,
  stepIndex: 0,
  weight: 10,
  schedule: [
    { from: 0, weight: 0 },
    { from: 100, weight: 10 },
  ],
  coveredUntil: 200,
  stepStartedAt: 0,
  windowFrom: 0,
  looks: 0,
  failedChecks: 0,
  pausedAt: null,
  drainAfter: null,
  reason: '',
  metrics: null,
});
const status = (phase: RolloutState['phase'] | null): RolloutStatus => ({
  stableVersion: 'v1',
  stableSha256: 'a'.repeat(64),
  rollout: phase === null ? null : state(phase),
});

describe('the weight schedule', () => {
  it('weightAt: 0 before the first step, then the latest step in force', () => {
    const steps = state('Steps').schedule;
    expect([weightAt(steps, -1), weightAt(steps, 99), weightAt(steps, 100), weightAt(steps, 1e15)]).toEqual([
      0, 0, 10, 10,
    ]);
  });
  const cases: [RolloutState['phase'] | null, string[], boolean][] = [
    [null, ['v1:primary'], false],
    ['Gate', ['v1:primary'], false],
    ['Shadow', ['v1:canary', 'v2:canary'], true],
    ['Steps', ['v1:canary', 'v2:canary'], true],
    ['Promoting', ['v1:canary', 'v2:canary'], true],
    ['RollingBack', ['v1:canary', 'v2:canary'], true],
    ['RolledBack', ['v1:primary'], false],
    ['Refused', ['v1:primary'], false],
  ];
  for (const [phase, fleets, scheduled] of cases) {
    it(`${phase ?? 'no rollout'}: fleets ${fleets.join(', ')}`, () => {
      expect(fleetPlan(status(phase)).map((f) => `${f.version}:${f.mode}`)).toEqual(fleets);
      const schedule = authoritySchedule(status(phase));
      expect(schedule !== null).toBe(scheduled);
      if (schedule) expect(schedule).toMatchObject({ stableVersion: 'v1', canaryVersion: 'v2', coveredUntil: 200 });
    });
  }
});

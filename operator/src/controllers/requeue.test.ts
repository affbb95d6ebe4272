import type { RolloutState, RolloutStatus } from '@fraud-operator/canary';
import { describe, expect, it } from 'vitest';
import { COVERAGE_REQUEUE_FOR_MS, COVERAGE_REQUEUE_MS, requeueAfterMs } from './requeue.ts';

const NOW = 1_000_000;
const POLL = 5_000;
const rollout = (over: Partial<RolloutState>): RolloutState =>
  ({
    version: 'v2',
    sha256: 'a'.repeat(64),
    phase: 'Shadow',
    stepIndex: -1,
    weight: 0,
    schedule: [{ from: 0, weight: 0 }],
    coveredUntil: 0,
    stepStartedAt: NOW - 100,
    windowFrom: null,
    looks: 0,
    failedChecks: 0,
    pausedAt: null,
    drainAfter: null,
    reason: 'ShadowStarted',
    metrics: null,
    ...over,
  }) as RolloutState;
const status = (r: RolloutState | null, stableVersion: string | null = 'v1'): RolloutStatus => ({
  stableVersion,
  stableSha256: stableVersion === null ? null : 'b'.repeat(64),
  rollout: r,
});

describe('requeueAfterMs', () => {
  it.each<[string, RolloutStatus, number | undefined]>([
    ['no rollout: no requeue', status(null), undefined],
    ['a finished rollout: no requeue', status(rollout({ phase: 'Promoted' })), undefined],
    ['no stable version yet: poll', status(null, null), POLL],
    ['in the gate (no schedule yet): poll', status(rollout({ phase: 'Gate', schedule: [] })), POLL],
    ['shadow just started, no coverage yet: soon', status(rollout({})), COVERAGE_REQUEUE_MS],
    ['shadow with coverage: poll', status(rollout({ coveredUntil: 42 })), POLL],
    [
      'no coverage long after the step started (no traffic): poll',
      status(rollout({ stepStartedAt: NOW - COVERAGE_REQUEUE_FOR_MS })),
      POLL,
    ],
  ])('%s', (_, s, expected) => {
    expect(requeueAfterMs(s, POLL, NOW)).toBe(expected);
  });

  it('never polls slower than asked', () => {
    expect(requeueAfterMs(status(rollout({})), 100, NOW)).toBe(100);
  });
});

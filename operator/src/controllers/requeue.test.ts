import type { DecisionRecord, RolloutState, RolloutStatus } from '@fraud-operator/canary';
import { describe, expect, it } from 'vitest';
import { AFTER_GATE_PASS_MS, requeueAfterMs } from './requeue.ts';

const POLL = 5_000;
const rollout = (phase: RolloutState['phase']): RolloutState => ({ phase }) as RolloutState;
const status = (r: RolloutState | null, stableVersion: string | null = 'v1'): RolloutStatus => ({
  stableVersion,
  stableSha256: stableVersion === null ? null : 'b'.repeat(64),
  rollout: r,
});
const decided = (...decisions: DecisionRecord['decision'][]) =>
  decisions.map((decision) => ({ decision }) as DecisionRecord);

describe('requeueAfterMs', () => {
  it.each<[string, RolloutStatus, DecisionRecord[], number | undefined]>([
    ['no rollout: no requeue', status(null), [], undefined],
    ['a finished rollout: no requeue', status(rollout('Promoted')), decided('promoted'), undefined],
    ['no stable version yet: poll', status(null, null), [], POLL],
    ['in the gate: poll', status(rollout('Gate')), decided('hold'), POLL],
    ['the gate just passed: soon', status(rollout('Shadow')), decided('hold', 'gate-passed'), AFTER_GATE_PASS_MS],
    ['in shadow: poll', status(rollout('Shadow')), [], POLL],
    ['a step: poll', status(rollout('Steps')), decided('promote-step'), POLL],
  ])('%s', (_, s, decisions, expected) => {
    expect(requeueAfterMs(s, decisions, POLL)).toBe(expected);
  });

  it('never polls slower than asked', () => {
    expect(requeueAfterMs(status(rollout('Shadow')), decided('gate-passed'), 100)).toBe(100);
  });
});

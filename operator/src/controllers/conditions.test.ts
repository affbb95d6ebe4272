import { describe, expect, it } from 'vitest';
import { conditionTransitions, setCondition } from './conditions.ts';

const t0 = new Date('2026-01-01T00:00:00Z');
const t1 = new Date('2026-01-01T00:05:00Z');

describe('setCondition', () => {
  it('adds a condition with the current time', () => {
    const list = setCondition([], { type: 'Ready', status: 'True', reason: 'FleetsReady', observedGeneration: 1 }, t0);
    expect(list).toEqual([
      {
        type: 'Ready',
        status: 'True',
        reason: 'FleetsReady',
        observedGeneration: 1,
        lastTransitionTime: '2026-01-01T00:00:00Z',
      },
    ]);
  });

  it('keeps lastTransitionTime when only the reason, message or generation change', () => {
    const first = setCondition([], { type: 'Ready', status: 'False', reason: 'A', observedGeneration: 1 }, t0);
    const second = setCondition(
      first,
      { type: 'Ready', status: 'False', reason: 'B', message: 'm', observedGeneration: 2 },
      t1,
    );
    expect(second[0]).toMatchObject({
      reason: 'B',
      message: 'm',
      observedGeneration: 2,
      lastTransitionTime: '2026-01-01T00:00:00Z',
    });
  });

  it('bumps lastTransitionTime when the status flips, and leaves other conditions alone', () => {
    let list = setCondition([], { type: 'Degraded', status: 'False', reason: 'AsExpected' }, t0);
    list = setCondition(list, { type: 'Ready', status: 'False', reason: 'A' }, t0);
    list = setCondition(list, { type: 'Ready', status: 'True', reason: 'A' }, t1);
    expect(list.map((c) => [c.type, c.lastTransitionTime])).toEqual([
      ['Degraded', '2026-01-01T00:00:00Z'],
      ['Ready', '2026-01-01T00:05:00Z'],
    ]);
  });
});

describe('conditionTransitions', () => {
  it('reports new conditions and changes of status or reason, not of message', () => {
    const before = [
      { type: 'Ready', status: 'True' as const, reason: 'FleetsReady', message: 'a' },
      { type: 'Degraded', status: 'False' as const, reason: 'AsExpected' },
    ];
    const after = [
      { type: 'Ready', status: 'True' as const, reason: 'FleetsReady', message: 'b' },
      { type: 'Degraded', status: 'True' as const, reason: 'TopicMismatch' },
      { type: 'Progressing', status: 'False' as const, reason: 'Reconciled' },
    ];
    expect(conditionTransitions(before, after).map((t) => t.condition.type)).toEqual(['Degraded', 'Progressing']);
  });
});

import type { DecisionRecord, RolloutState, RolloutStatus } from '@fraud-operator/canary';
import { describe, expect, it } from 'vitest';
import type { FraudModel, FraudModelStatusFleetsItem } from '../api/v1alpha1/index.ts';
import { nextStatus, type ReconcileObservations } from './next-status.ts';

const now = new Date('2026-01-01T00:00:00Z');
const sha = 'a'.repeat(64);
const model = (status?: FraudModel['status']): FraudModel => ({
  metadata: { name: 'fm', namespace: 'ns', uid: 'u', generation: 3 },
  spec: { model: { uri: 's3://m/v1', version: 'v1', sha256: sha, threshold: 0.5 } } as FraudModel['spec'],
  ...(status ? { status } : {}),
});
const fleet = (ready: number): FraudModelStatusFleetsItem => ({
  version: 'v1',
  role: 'stable',
  mode: 'primary',
  deployment: 'fm-v1',
  replicas: 2,
  readyReplicas: ready,
});
const rollout = (phase: RolloutState['phase'], extra: Partial<RolloutState> = {}): RolloutState => ({
  version: 'v2',
  sha256: 'b'.repeat(64),
  phase,
  stepIndex: 0,
  weight: 10,
  schedule: [
    { from: 0, weight: 0 },
    { from: 100, weight: 10 },
  ],
  coveredUntil: 1000,
  stepStartedAt: 0,
  windowFrom: 0,
  looks: 0,
  failedChecks: 0,
  pausedAt: null,
  drainAfter: null,
  reason: 'WindowFilling',
  metrics: null,
  ...extra,
});
const stable: RolloutStatus = { stableVersion: 'v1', stableSha256: sha, rollout: null };
const obs = (o: Partial<ReconcileObservations>): ReconcileObservations => ({
  rollout: stable,
  decisions: [],
  cards: { stableModel: { uri: 's3://m/v1', version: 'v1', sha256: sha, threshold: 0.5 }, canaryModel: null },
  fleets: [fleet(2)],
  frontier: null,
  topicMismatches: [],
  error: null,
  ...o,
});
const cond = (s: ReturnType<typeof nextStatus>, type: string) => {
  const c = s.conditions?.find((x) => x.type === type);
  return [c?.status, c?.reason];
};

describe('nextStatus', () => {
  it.each([
    ['stable and ready', obs({}), 'Stable', ['True', 'FleetsReady'], ['False', 'Reconciled'], ['False', 'AsExpected']],
    [
      'no ready scorer',
      obs({ fleets: [fleet(0)] }),
      'Stable',
      ['False', 'FleetsNotReady'],
      ['False', 'Reconciled'],
      ['False', 'AsExpected'],
    ],
    [
      'no version admitted yet',
      obs({ rollout: { stableVersion: null, stableSha256: null, rollout: null }, fleets: [] }),
      'Pending',
      ['False', 'NoStableVersion'],
      ['False', 'Reconciled'],
      ['False', 'AsExpected'],
    ],
    [
      'a canary at 10 %',
      obs({ rollout: { ...stable, rollout: rollout('Steps') } }),
      'Canary',
      ['True', 'FleetsReady'],
      ['True', 'RolloutInProgress'],
      ['False', 'AsExpected'],
    ],
    [
      'a paused rollout',
      obs({ rollout: { ...stable, rollout: rollout('Steps', { pausedAt: 5 }) } }),
      'Paused',
      ['True', 'FleetsReady'],
      ['False', 'RolloutPaused'],
      ['False', 'AsExpected'],
    ],
    [
      'Kafka down',
      obs({ error: 'kafka: connection refused' }),
      'Stable',
      ['True', 'FleetsReady'],
      ['False', 'Reconciled'],
      ['True', 'ReconcileFailed'],
    ],
    [
      'an input topic with the wrong partitions',
      obs({ topicMismatches: ['input topic tx has 3 partitions'] }),
      'Stable',
      ['True', 'FleetsReady'],
      ['False', 'Reconciled'],
      ['True', 'TopicMismatch'],
    ],
  ])('%s', (_name, o, phase, ready, progressing, degraded) => {
    const s = nextStatus(model(), o, now);
    expect(s.phase).toBe(phase);
    expect(cond(s, 'Ready')).toEqual(ready);
    expect(cond(s, 'Progressing')).toEqual(progressing);
    expect(cond(s, 'Degraded')).toEqual(degraded);
    for (const c of s.conditions ?? []) expect(c.observedGeneration).toBe(3);
  });

  it('marks the spec version Degraded while it is the refused one, not once spec moves on', () => {
    const refused = { ...stable, rollout: rollout('Refused', { version: 'v1x', reason: 'ChecksumMismatch' }) };
    const m = model();
    m.spec.model = { ...m.spec.model, version: 'v1x', sha256: 'b'.repeat(64) };
    expect(cond(nextStatus(m, obs({ rollout: refused }), now), 'Degraded')).toEqual(['True', 'VersionRefused']);
    expect(cond(nextStatus(model(), obs({ rollout: refused }), now), 'Degraded')).toEqual(['False', 'AsExpected']);
  });

  it('keeps observedGeneration from before when the reconcile failed', () => {
    const s = nextStatus(model({ observedGeneration: 2 }), obs({ error: 'boom' }), now);
    expect(s.observedGeneration).toBe(2);
    expect(nextStatus(model({ observedGeneration: 2 }), obs({}), now).observedGeneration).toBe(3);
  });

  it('shows the weight in force at the frontier and appends decisions to a bounded history', () => {
    const d = {
      time: '2026-01-01T00:00:00.000Z',
      decision: 'hold',
      reason: 'x',
      message: 'm',
      phase: 'Steps',
      version: 'v2',
      sha256: sha,
      step: 0,
      weight: 10,
      apStable: null,
      apCanary: 0.5,
      delta: null,
      ciLow: null,
      ciHigh: null,
      labelled: 1,
      frauds: 0,
      failedChecks: 0,
    } as DecisionRecord;
    const history = Array.from({ length: 100 }, (_, i) => ({ time: 't', decision: 'hold', reason: `r${i}` }));
    const s = nextStatus(
      model({ history }),
      obs({ rollout: { ...stable, rollout: rollout('Steps') }, frontier: 50, decisions: [d] }),
      now,
    );
    expect(s.canaryWeight).toBe(0);
    expect(s.canaryVersion).toBe('v2');
    expect(s.history).toHaveLength(100);
    expect(s.history?.at(-1)).toMatchObject({ decision: 'hold', apCanary: 0.5, time: '2026-01-01T00:00:00Z' });
    expect(s.history?.at(-1)).not.toHaveProperty('apStable');
    expect(
      nextStatus(model(), obs({ rollout: { ...stable, rollout: rollout('Steps') }, frontier: 150 }), now).canaryWeight,
    ).toBe(10);
  });
});

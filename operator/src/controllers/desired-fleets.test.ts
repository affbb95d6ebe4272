import type { RolloutState, RolloutStatus } from '@fraud-operator/canary';
import { describe, expect, it } from 'vitest';
import type { FraudModel } from '../api/v1alpha1/index.ts';
import { desiredFleets, modelCards } from './desired-fleets.ts';

const sha = (c: string) => c.repeat(64);
const spec = (version: string, s: string) =>
  ({
    model: { uri: `s3://m/${version}.onnx`, version, sha256: s, threshold: 0.5, featureCount: 15, inputName: 'input' },
    kafka: {
      bootstrapSecret: 'b',
      partitions: 6,
      topics: { input: 'tx', verdicts: 'v', labels: 'l', deadLetters: 'd' },
    },
    scaling: { minReplicas: 2, maxReplicas: 6 },
    rollout: { steps: [10, 50, 100] },
  }) as unknown as FraudModel['spec'];
const owner = (s: FraudModel['spec']): FraudModel => ({ metadata: { name: 'fm', namespace: 'ns', uid: 'u' }, spec: s });
const rollout = (phase: RolloutState['phase'], version: string, s: string, weight: number): RolloutState => ({
  version,
  sha256: s,
  phase,
  stepIndex: 0,
  weight,
  schedule: [
    { from: 0, weight: 0 },
    { from: 1000, weight },
  ],
  coveredUntil: 5000,
  stepStartedAt: 0,
  windowFrom: 0,
  looks: 0,
  failedChecks: 0,
  pausedAt: null,
  drainAfter: null,
  reason: 'x',
  metrics: null,
});

describe('desiredFleets', () => {
  it('runs nothing before the first version is admitted', () => {
    const next: RolloutStatus = { stableVersion: null, stableSha256: null, rollout: null };
    const s = spec('v1', sha('a'));
    expect(desiredFleets(owner(s), next, modelCards(undefined, next, s.model))).toEqual([]);
  });

  it('runs the stable version alone, primary, with spec bounds', () => {
    const s = spec('v1', sha('a'));
    const next: RolloutStatus = { stableVersion: 'v1', stableSha256: sha('a'), rollout: null };
    const previous = { stableModel: { uri: 's3://m/v1.onnx', version: 'v1', sha256: sha('a'), threshold: 0.9 } };
    const fleets = desiredFleets(owner(s), next, modelCards(previous, next, s.model));
    // A threshold changed in spec on the same version and artifact applies without a rollout.
    expect(fleets[0]?.model.threshold).toBe(0.5);
    expect(fleets.map((f) => [f.model.version, f.role, f.mode, f.minReplicas, f.maxReplicas, f.authority])).toEqual([
      ['v1', 'stable', 'primary', 2, 6, undefined],
    ]);
  });

  it('during a 10 % canary: both fleets in canary mode with the same schedule, the partitions split', () => {
    const s = spec('v2', sha('b'));
    const previous = { stableModel: { uri: 's3://m/v1.onnx', version: 'v1', sha256: sha('a'), threshold: 0.4 } };
    const next: RolloutStatus = {
      stableVersion: 'v1',
      stableSha256: sha('a'),
      rollout: rollout('Steps', 'v2', sha('b'), 10),
    };
    const fleets = desiredFleets(owner(s), next, modelCards(previous, next, s.model));
    expect(fleets.map((f) => [f.model.version, f.model.uri, f.role, f.mode, f.maxReplicas])).toEqual([
      ['v1', 's3://m/v1.onnx', 'stable', 'canary', 5],
      ['v2', 's3://m/v2.onnx', 'canary', 'canary', 1],
    ]);
    expect(fleets[0]!.authority).toEqual(fleets[1]!.authority);
    expect(fleets[0]!.authority).toMatchObject({ stableVersion: 'v1', canaryVersion: 'v2', coveredUntil: 5000 });
    expect(fleets.reduce((n, f) => n + f.maxReplicas, 0)).toBeLessThanOrEqual(6);
  });

  it('keeps the rolled-back canary card while it drains even though spec went back to stable', () => {
    const s = spec('v1', sha('a'));
    const previous = {
      stableModel: { uri: 's3://m/v1.onnx', version: 'v1', sha256: sha('a'), threshold: 0.4 },
      canaryModel: { uri: 's3://m/v2.onnx', version: 'v2', sha256: sha('b'), threshold: 0.5 },
    };
    const next: RolloutStatus = {
      stableVersion: 'v1',
      stableSha256: sha('a'),
      rollout: rollout('RollingBack', 'v2', sha('b'), 0),
    };
    const cards = modelCards(previous, next, s.model);
    expect(cards.canaryModel?.uri).toBe('s3://m/v2.onnx');
    expect(desiredFleets(owner(s), next, cards).map((f) => f.model.version)).toEqual(['v1', 'v2']);
  });

  it('after promotion the canary card becomes the stable card and the old fleet goes', () => {
    const s = spec('v3', sha('c'));
    const previous = {
      stableModel: { uri: 's3://m/v1.onnx', version: 'v1', sha256: sha('a'), threshold: 0.4 },
      canaryModel: { uri: 's3://m/v2-x.onnx', version: 'v2', sha256: sha('b'), threshold: 0.5 },
    };
    const next: RolloutStatus = {
      stableVersion: 'v2',
      stableSha256: sha('b'),
      rollout: rollout('Promoted', 'v2', sha('b'), 100),
    };
    const cards = modelCards(previous, next, s.model);
    expect(cards).toMatchObject({ stableModel: { uri: 's3://m/v2-x.onnx' }, canaryModel: null });
    expect(desiredFleets(owner(s), next, cards).map((f) => [f.model.version, f.mode])).toEqual([['v2', 'primary']]);
  });
});

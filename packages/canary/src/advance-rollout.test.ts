import { describe, expect, it } from 'vitest';
import { advanceRollout } from './advance-rollout.ts';
import { ABORT_ANNOTATION, PAUSE_ANNOTATION } from './control.ts';
import { syntheticWindow } from './synthetic.ts';
import type {
  AdvanceInput,
  FraudModelRolloutSpec,
  PairedScores,
  RolloutEvidence,
  RolloutPolicy,
  RolloutStatus,
} from './types.ts';
import { authoritySchedule, fleetPlan } from './weight-schedule.ts';

const SHA1 = 'a'.repeat(64);
const SHA2 = 'b'.repeat(64);
const MINUTE = 60_000;
const T0 = 1_700_000_000_000;
const policy: Partial<RolloutPolicy> = { resamples: 400, leadMs: 1_000, horizonMs: 5_000, drainMarginMs: 2_000 };

const spec = (version = 'v2', sha256 = SHA2, rollout: Partial<FraudModelRolloutSpec['rollout']> = {}) => ({
  model: { version, sha256 },
  rollout: {
    steps: [10, 50],
    analysisWindowMinutes: 1,
    minLabelledFrauds: 20,
    maxPrAucLoss: 0.02,
    maxFailedChecks: 2,
    stepDeadlineMinutes: 60,
    ...rollout,
  },
});
const stableV1: RolloutStatus = { stableVersion: 'v1', stableSha256: SHA1, rollout: null };
const good = (seed: number, count = 20_000): PairedScores =>
  syntheticWindow({ count, fraudRate: 0.005, stableSkill: 1.5, canarySkill: 3, correlation: 0.5, seed });
const bad = (seed: number): PairedScores =>
  syntheticWindow({ count: 20_000, fraudRate: 0.005, stableSkill: 3, canarySkill: 1.5, correlation: 0.5, seed });
const gatePass = (replaySeed = 1) => ({ sha256: SHA2, contract: { ok: true as const }, replay: good(replaySeed) });

/** Evidence whose window starts where the status says, with both frontiers at `frontier`. */
function evidence(status: RolloutStatus, frontier: number | null, window?: PairedScores): RolloutEvidence {
  const from = status.rollout?.windowFrom;
  return {
    frontier: { stable: frontier, canary: frontier },
    ...(window && from != null ? { window: { ...window, from } } : {}),
  };
}

/** A rollout of v2 that has passed its gate at event time T0 and wall time T0. */
function inShadow(rollout: Partial<FraudModelRolloutSpec['rollout']> = {}) {
  const s = spec('v2', SHA2, rollout);
  const started = advanceRollout({
    spec: s,
    status: stableV1,
    evidence: { frontier: { stable: T0, canary: null } },
    now: T0,
    policy,
  });
  const gated = advanceRollout({
    spec: s,
    status: started.status,
    evidence: { frontier: { stable: T0, canary: null }, gate: gatePass() },
    now: T0,
    policy,
  });
  expect(gated.status.rollout?.phase).toBe('Shadow');
  return { spec: s, status: gated.status };
}

const step = (input: Omit<AdvanceInput, 'policy'>) => advanceRollout({ ...input, policy });

describe('advanceRollout: the first version', () => {
  const first: RolloutStatus = { stableVersion: null, stableSha256: null, rollout: null };
  const cases = [
    { name: 'waits for the artifact check', gate: undefined, decisions: ['hold', 'hold'], stable: null },
    {
      name: 'is admitted on a matching checksum and contract, without a replay',
      gate: { sha256: SHA1, contract: { ok: true as const }, replay: null },
      decisions: ['hold', 'admitted'],
      stable: 'v1',
    },
    {
      name: 'is refused on a checksum mismatch',
      gate: { sha256: SHA2, contract: { ok: true as const }, replay: null },
      decisions: ['hold', 'refused'],
      stable: null,
    },
    {
      name: 'is refused on a contract mismatch',
      gate: {
        sha256: SHA1,
        contract: { ok: false as const, message: 'input has 12 features, schema 14' },
        replay: null,
      },
      decisions: ['hold', 'refused'],
      stable: null,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const out = step({
        spec: spec('v1', SHA1),
        status: first,
        evidence: { frontier: { stable: null, canary: null }, gate: c.gate },
        now: T0,
      });
      expect(out.decisions.map((d) => d.decision)).toEqual(c.decisions);
      expect(out.status.stableVersion).toBe(c.stable);
      if (c.stable)
        expect(fleetPlan(out.status)).toEqual([{ version: 'v1', sha256: SHA1, role: 'stable', mode: 'primary' }]);
    });
  }
});

describe('advanceRollout: the gate refuses before live traffic', () => {
  const cases = [
    { name: 'checksum', gate: { ...gatePass(), sha256: SHA1 }, reason: 'ChecksumMismatch' },
    {
      name: 'contract',
      gate: { ...gatePass(), contract: { ok: false as const, message: 'output 0 is not float32' } },
      reason: 'ContractMismatch',
    },
    { name: 'replay regression', gate: { ...gatePass(), replay: bad(2) }, reason: 'ReplayRegression' },
    {
      name: 'replay with too few frauds',
      gate: { ...gatePass(), replay: good(3, 1000) },
      reason: 'ReplayInconclusive',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const out = step({
        spec: spec(),
        status: stableV1,
        evidence: { frontier: { stable: T0, canary: null }, gate: c.gate },
        now: T0,
      });
      expect(out.decisions.map((d) => [d.decision, d.reason])).toEqual([
        ['hold', 'GateStarted'],
        ['refused', c.reason],
      ]);
      expect(out.status.rollout?.phase).toBe('Refused');
      expect(fleetPlan(out.status).map((f) => f.version)).toEqual(['v1']);
      // A refused version stays refused: the same spec again decides nothing.
      const again = step({
        spec: spec(),
        status: out.status,
        evidence: { frontier: { stable: T0, canary: null }, gate: c.gate },
        now: T0 + MINUTE,
      });
      expect(again.decisions).toEqual([]);
    });
  }

  it('holds while the replay runs, then refuses past the deadline', () => {
    const waiting = { ...gatePass(), replay: null };
    const a = step({
      spec: spec(),
      status: stableV1,
      evidence: { frontier: { stable: T0, canary: null }, gate: waiting },
      now: T0,
    });
    expect(a.status.rollout?.reason).toBe('GateWaiting');
    const b = step({
      spec: spec(),
      status: a.status,
      evidence: { frontier: { stable: T0, canary: null }, gate: waiting },
      now: T0 + 61 * MINUTE,
    });
    expect(b.decisions.map((d) => d.reason)).toEqual(['GatePastDeadline']);
  });

  it('without a configured replay, the artifact alone opens shadow (where the canary has no authority)', () => {
    const noReplay = spec();
    const a = step({
      spec: { ...noReplay, rollout: { ...noReplay.rollout, replay: false } },
      status: stableV1,
      evidence: { frontier: { stable: T0, canary: null }, gate: { ...gatePass(), replay: null } },
      now: T0,
    });
    expect(a.status.rollout).toMatchObject({ phase: 'Shadow', weight: 0 });
    expect(a.decisions.map((d) => d.reason)).toEqual(['GateStarted', 'GatePassed']);
    expect(a.decisions[1]?.message).toMatch(/no offline replay configured/);
  });

  it('keeps the schedule in event time when the traffic is far from the wall clock (replayed or simulated)', () => {
    const EVENT = Date.UTC(2018, 3, 1);
    const a = step({
      spec: spec(),
      status: stableV1,
      evidence: { frontier: { stable: null, canary: null }, gate: gatePass() },
      now: T0,
    });
    expect(a.status.rollout).toMatchObject({ phase: 'Shadow', coveredUntil: 0 });
    const b = step({
      spec: spec(),
      status: a.status,
      evidence: { frontier: { stable: EVENT, canary: null } },
      now: T0,
    });
    expect(b.status.rollout?.coveredUntil).toBe(EVENT + 5_000);
  });

  it('a passed gate starts shadow: weight 0 from event time 0, both fleets in canary mode, the window at the frontier', () => {
    const { status } = inShadow();
    expect(status.rollout).toMatchObject({ phase: 'Shadow', weight: 0, windowFrom: T0, stepIndex: -1 });
    expect(authoritySchedule(status)).toEqual({
      stableVersion: 'v1',
      canaryVersion: 'v2',
      steps: [{ from: 0, weight: 0 }],
      coveredUntil: T0 + 5_000,
    });
    expect(fleetPlan(status).map((f) => [f.version, f.mode])).toEqual([
      ['v1', 'canary'],
      ['v2', 'canary'],
    ]);
  });
});

describe('advanceRollout: a check window', () => {
  const later = T0 + 2 * MINUTE;
  const noLabels: PairedScores = { labels: [], stable: [], canary: [] };
  const onlyFrauds: PairedScores = {
    labels: Array(30).fill(1),
    stable: Array(30).fill(0.9),
    canary: Array(30).fill(0.8),
  };
  const tiny: PairedScores = { labels: [1, 0, 0], stable: [0.9, 0.1, 0.2], canary: [0.1, 0.9, 0.8] };
  const tied = good(4);
  const ties: PairedScores = { labels: tied.labels, stable: tied.stable, canary: tied.stable };
  const cases: {
    name: string;
    frontier: number | null;
    window?: PairedScores;
    decision: string | null;
    reason: string;
  }[] = [
    { name: 'no traffic yet', frontier: null, decision: 'hold', reason: 'NoTraffic' },
    { name: 'no evidence for this window', frontier: later, decision: 'hold', reason: 'EvidencePending' },
    {
      name: 'window not yet spanning analysisWindowMinutes',
      frontier: T0 + 30_000,
      window: good(5),
      decision: 'hold',
      reason: 'WindowFilling',
    },
    { name: 'no labels', frontier: later, window: noLabels, decision: 'hold', reason: 'NotEnoughFrauds' },
    { name: 'one class only (frauds)', frontier: later, window: onlyFrauds, decision: 'hold', reason: 'OneClassOnly' },
    { name: 'tiny window', frontier: later, window: tiny, decision: 'hold', reason: 'NotEnoughFrauds' },
    {
      name: 'identical scores (all ties between versions)',
      frontier: later,
      window: ties,
      decision: 'promote-step',
      reason: 'NonInferior',
    },
    { name: 'a better canary', frontier: later, window: good(6), decision: 'promote-step', reason: 'NonInferior' },
    {
      name: 'a worse canary',
      frontier: later,
      window: bad(7),
      decision: 'failed-check',
      reason: 'PrAucLossBeyondTolerance',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const { spec: s, status } = inShadow();
      const out = step({ spec: s, status, evidence: evidence(status, c.frontier, c.window), now: T0 + MINUTE });
      expect(out.decisions.map((d) => d.decision)[0] ?? null).toBe(c.decision);
      expect(out.status.rollout?.reason).toBe(c.reason);
      // The same evidence again: a hold is not recorded twice.
      if (c.decision === 'hold') {
        expect(
          step({ spec: s, status: out.status, evidence: evidence(out.status, c.frontier, c.window), now: T0 + MINUTE })
            .decisions,
        ).toEqual([]);
      }
    });
  }

  it('records the numbers of a look', () => {
    const { spec: s, status } = inShadow();
    const [d] = step({ spec: s, status, evidence: evidence(status, later, good(6)), now: T0 + MINUTE }).decisions;
    // The record shows the state after the decision: step 0 at weight 10.
    expect(d).toMatchObject({
      decision: 'promote-step',
      version: 'v2',
      sha256: SHA2,
      step: 0,
      weight: 10,
      labelled: 20_000,
    });
    expect(d?.frauds).toBeGreaterThan(60);
    expect(d?.apCanary as number).toBeGreaterThan(d?.apStable as number);
    expect(d?.delta).toBeCloseTo((d?.apCanary as number) - (d?.apStable as number), 12);
    expect(d?.ciLow as number).toBeLessThanOrEqual(d?.delta as number);
    expect(d?.ciHigh as number).toBeGreaterThanOrEqual(d?.delta as number);
  });

  it('an interval straddling −tolerance waits for the next look, and after the last look is a failed check', () => {
    const { spec: s, status } = inShadow({ maxPrAucLoss: 0 });
    const close = syntheticWindow({
      count: 3000,
      fraudRate: 0.01,
      stableSkill: 2,
      canarySkill: 1.95,
      correlation: 0.3,
      seed: 8,
    });
    const p = { ...policy, maxLooks: 2 };
    const a = advanceRollout({
      spec: s,
      status,
      evidence: evidence(status, later, close),
      now: T0 + MINUTE,
      policy: p,
    });
    expect(a.decisions.map((d) => [d.decision, d.reason])).toEqual([['hold', 'Inconclusive']]);
    expect(a.status.rollout?.looks).toBe(1);
    // Same frauds: no second look until the window holds twice the minimum.
    const b = advanceRollout({
      spec: s,
      status: a.status,
      evidence: evidence(a.status, later, close),
      now: T0 + MINUTE,
      policy: p,
    });
    expect(b.decisions).toEqual([]);
    const more = syntheticWindow({
      count: 12_000,
      fraudRate: 0.01,
      stableSkill: 2,
      canarySkill: 1.95,
      correlation: 0.3,
      seed: 9,
    });
    const c = advanceRollout({
      spec: s,
      status: a.status,
      evidence: evidence(a.status, later, more),
      now: T0 + MINUTE,
      policy: p,
    });
    expect(c.decisions.map((d) => [d.decision, d.reason])).toEqual([['failed-check', 'NonInferiorityNotShown']]);
    expect(c.status.rollout).toMatchObject({ failedChecks: 1, looks: 0, windowFrom: later });
  });
});

describe('advanceRollout: the whole rollout', () => {
  /** Drives a rollout with fresh windows from `make`, advancing event time and wall time a minute per call. */
  function drive(s: ReturnType<typeof spec>, status: RolloutStatus, make: (i: number) => PairedScores, calls = 20) {
    const log: string[] = [];
    let coveredBefore = status.rollout?.coveredUntil ?? 0;
    for (let i = 1; i <= calls; i += 1) {
      const frontier = T0 + i * 2 * MINUTE;
      const out = step({ spec: s, status, evidence: evidence(status, frontier, make(i)), now: T0 + i * MINUTE });
      const r = out.status.rollout;
      // Invariants: a weight change is never before the coverage already promised; coverage never shrinks.
      const prior = status.rollout?.schedule.length ?? 0;
      for (const added of r?.schedule.slice(prior) ?? []) expect(added.from).toBeGreaterThanOrEqual(coveredBefore);
      expect(r?.coveredUntil ?? 0).toBeGreaterThanOrEqual(coveredBefore);
      coveredBefore = r?.coveredUntil ?? 0;
      log.push(...out.decisions.map((d) => `${d.decision}:${d.reason}@${d.weight}`));
      status = out.status;
      if (r && ['Promoted', 'RolledBack', 'Refused'].includes(r.phase)) break;
    }
    return { status, log };
  }

  it('a better canary goes shadow → 10 → 50 → 100 and is promoted after the drain', () => {
    const { spec: s, status } = inShadow();
    const out = drive(s, status, (i) => good(100 + i));
    expect(out.log).toEqual([
      'promote-step:NonInferior@10',
      'promote-step:NonInferior@50',
      'promote:NonInferior@100',
      'hold:Draining@100',
      'promoted:Promoted@100',
    ]);
    expect(out.status).toMatchObject({ stableVersion: 'v2', stableSha256: SHA2 });
    expect(out.status.rollout?.schedule.map((x) => x.weight)).toEqual([0, 10, 50, 100]);
    expect(fleetPlan(out.status)).toEqual([{ version: 'v2', sha256: SHA2, role: 'stable', mode: 'primary' }]);
    expect(authoritySchedule(out.status)).toBeNull();
  });

  it('a worse canary fails two checks at 10 % and is rolled back to weight 0, then drained', () => {
    const { spec: s, status } = inShadow();
    const out = drive(s, status, (i) => (i === 1 ? good(200) : bad(200 + i)));
    expect(out.log).toEqual([
      'promote-step:NonInferior@10',
      'failed-check:PrAucLossBeyondTolerance@10',
      'failed-check:PrAucLossBeyondTolerance@10',
      'rollback:TooManyFailedChecks@0',
      'hold:Draining@0',
      'rolled-back:RolledBack@0',
    ]);
    expect(out.status.stableVersion).toBe('v1');
    expect(out.status.rollout?.schedule.map((x) => x.weight)).toEqual([0, 10, 0]);
    expect(fleetPlan(out.status).map((f) => [f.version, f.mode])).toEqual([['v1', 'primary']]);
  });

  it('deadline passed with no labels in shadow: rolled back at once (the canary never had authority)', () => {
    const { spec: s, status } = inShadow();
    const out = step({
      spec: s,
      status,
      evidence: evidence(status, T0 + 2 * MINUTE, { labels: [], stable: [], canary: [] }),
      now: T0 + 61 * MINUTE,
    });
    expect(out.decisions.map((d) => [d.decision, d.reason])).toEqual([['rollback', 'InconclusivePastDeadline']]);
    expect(out.status.rollout?.phase).toBe('RolledBack');
  });

  it('abort mid-step rolls back from the current weight, with a drain', () => {
    const { spec: s, status } = inShadow();
    const at10 = step({
      spec: s,
      status,
      evidence: evidence(status, T0 + 2 * MINUTE, good(11)),
      now: T0 + MINUTE,
    }).status;
    expect(at10.rollout?.weight).toBe(10);
    const out = step({
      spec: s,
      status: at10,
      evidence: evidence(at10, T0 + 3 * MINUTE, good(12)),
      now: T0 + 2 * MINUTE,
      annotations: { [ABORT_ANNOTATION]: 'v2' },
    });
    expect(out.decisions.map((d) => [d.decision, d.reason, d.weight])).toEqual([
      ['rollback', 'Aborted', 0],
      ['hold', 'Draining', 0],
    ]);
    expect(out.status.rollout?.phase).toBe('RollingBack');
    // An abort naming another version is ignored.
    const other = step({
      spec: s,
      status: at10,
      evidence: evidence(at10, T0 + 3 * MINUTE),
      now: T0 + 2 * MINUTE,
      annotations: { [ABORT_ANNOTATION]: 'v9' },
    });
    expect(other.status.rollout?.phase).toBe('Steps');
  });

  it('pause holds everything and stops the deadline; resume continues where it was', () => {
    const { spec: s, status } = inShadow();
    const paused = { [PAUSE_ANNOTATION]: 'true' };
    const a = step({
      spec: s,
      status,
      evidence: evidence(status, T0 + 2 * MINUTE, good(13)),
      now: T0 + MINUTE,
      annotations: paused,
    });
    expect(a.decisions.map((d) => d.decision)).toEqual(['paused']);
    expect(a.status.rollout?.phase).toBe('Shadow');
    // Still paused, long past the deadline, with evidence that would pass: nothing happens.
    const b = step({
      spec: s,
      status: a.status,
      evidence: evidence(a.status, T0 + 200 * MINUTE, good(13)),
      now: T0 + 100 * MINUTE,
      annotations: paused,
    });
    expect(b.decisions).toEqual([]);
    // Resumed 100 minutes later: 59 minutes of deadline were left, so no rollback; the step passes on its evidence.
    const c = step({
      spec: s,
      status: b.status,
      evidence: evidence(b.status, T0 + 201 * MINUTE, { labels: [], stable: [], canary: [] }),
      now: T0 + 101 * MINUTE,
    });
    expect(c.decisions.map((d) => [d.decision, d.reason])).toEqual([
      ['resumed', 'Resumed'],
      ['hold', 'NotEnoughFrauds'],
    ]);
    const d = step({
      spec: s,
      status: c.status,
      evidence: evidence(c.status, T0 + 202 * MINUTE, good(14)),
      now: T0 + 102 * MINUTE,
    });
    expect(d.decisions.map((x) => x.decision)).toEqual(['promote-step']);
    // spec.rollout.paused pauses the same way.
    const e = step({
      spec: spec('v2', SHA2, { paused: true }),
      status,
      evidence: evidence(status, T0 + 2 * MINUTE, good(13)),
      now: T0 + MINUTE,
    });
    expect(e.decisions.map((x) => x.decision)).toEqual(['paused']);
  });

  it('spec reverted to the stable version mid-rollout rolls back, and does not start again', () => {
    const { spec: s, status } = inShadow();
    const at10 = step({
      spec: s,
      status,
      evidence: evidence(status, T0 + 2 * MINUTE, good(15)),
      now: T0 + MINUTE,
    }).status;
    const back = spec('v1', SHA1);
    const out = step({ spec: back, status: at10, evidence: evidence(at10, T0 + 3 * MINUTE), now: T0 + 2 * MINUTE });
    expect(out.decisions[0]).toMatchObject({ decision: 'rollback', reason: 'SpecReverted' });
    const drained = step({
      spec: back,
      status: out.status,
      evidence: evidence(out.status, T0 + 10 * MINUTE),
      now: T0 + 3 * MINUTE,
    });
    expect(drained.status.rollout?.phase).toBe('RolledBack');
    expect(
      step({
        spec: back,
        status: drained.status,
        evidence: evidence(drained.status, T0 + 11 * MINUTE),
        now: T0 + 4 * MINUTE,
      }).decisions,
    ).toEqual([]);
  });

  it('a new version while one is in shadow supersedes it; the next call starts the new gate', () => {
    const { status } = inShadow();
    const v3 = spec('v3', 'c'.repeat(64));
    const out = step({ spec: v3, status, evidence: evidence(status, T0 + MINUTE), now: T0 + MINUTE });
    expect(out.decisions.map((d) => [d.decision, d.reason])).toEqual([['rollback', 'Superseded']]);
    const next = step({ spec: v3, status: out.status, evidence: evidence(out.status, T0 + MINUTE), now: T0 + MINUTE });
    expect(next.status.rollout).toMatchObject({ version: 'v3', phase: 'Gate' });
  });

  it('refuses a bad spec naming the field', () => {
    expect(() =>
      step({
        spec: spec('v2', SHA2, { steps: [50, 10] }),
        status: stableV1,
        evidence: evidence(stableV1, T0),
        now: T0,
      }),
    ).toThrow(/spec.rollout.steps\[1\] is 10/);
    expect(() =>
      step({
        spec: spec(),
        status: stableV1,
        evidence: evidence(stableV1, T0),
        now: T0,
        annotations: { [PAUSE_ANNOTATION]: 'yes' },
      }),
    ).toThrow(/pause-rollout is "yes"/);
  });
});

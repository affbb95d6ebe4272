import { advanceRollout, isTerminal } from './advance-rollout.ts';
import { syntheticWindow } from './synthetic.ts';
import { averagePrecisionOfModel } from './true-ap.ts';
import type { FraudModelRolloutSpec, PairedScores, RolloutPolicy, RolloutStatus } from './types.ts';

export interface Scenario {
  name: string;
  stableSkill: number;
  canarySkill: number;
  correlation: number;
  fraudRate: number;
  /** Labelled frauds (on average) arriving per reconcile. */
  fraudsPerCall: number;
}

export interface SimulationResult {
  scenario: string;
  rollouts: number;
  promoted: number;
  rolledBack: number;
  unfinished: number;
  /** AP(canary) − AP(stable) of the two synthetic models, measured on a large sample. */
  trueDelta: number;
  meanCalls: number;
  reasons: Record<string, number>;
}

const MINUTE = 60_000;

/**
 * Runs `rollouts` complete rollouts of a synthetic canary against a synthetic stable model through advanceRollout:
 * each reconcile brings a fresh chunk of paired labelled transactions into the current window (a new window after
 * every step or failed check starts empty), one minute of wall time and two of event time later.
 */
export function simulateRollouts(
  scenario: Scenario,
  spec: FraudModelRolloutSpec,
  rollouts: number,
  policy: Partial<RolloutPolicy>,
  maxCalls = 200,
): SimulationResult {
  const result: SimulationResult = {
    scenario: scenario.name,
    rollouts,
    promoted: 0,
    rolledBack: 0,
    unfinished: 0,
    trueDelta: averagePrecisionOfModel(scenario, 'canary') - averagePrecisionOfModel(scenario, 'stable'),
    meanCalls: 0,
    reasons: {},
  };
  const chunkSize = Math.round(scenario.fraudsPerCall / scenario.fraudRate);
  for (let run = 0; run < rollouts; run += 1) {
    let status: RolloutStatus = { stableVersion: 'v1', stableSha256: '1'.repeat(64), rollout: null };
    // Skip the gate: it is exercised in its own tests; the simulation measures the live checks.
    const t0 = 1_000_000_000_000;
    const start = advanceRollout({
      spec,
      status,
      now: t0,
      policy,
      evidence: {
        frontier: { stable: t0, canary: t0 },
        gate: { sha256: spec.model.sha256, contract: { ok: true }, replay: identicalReplay() },
      },
    });
    status = start.status;
    let windowFrom = status.rollout?.windowFrom ?? null;
    let window: PairedScores = { labels: [], stable: [], canary: [] };
    let calls = 0;
    for (let call = 1; call <= maxCalls; call += 1) {
      calls = call;
      const r = status.rollout;
      if (r === null || isTerminal(r.phase)) break;
      if (r.windowFrom !== windowFrom) {
        windowFrom = r.windowFrom;
        window = { labels: [], stable: [], canary: [] };
      }
      const chunk = syntheticWindow({ ...scenario, count: chunkSize, seed: run * 100_003 + call * 7 + 1 });
      window = concat(window, chunk);
      const frontier = t0 + call * 2 * MINUTE;
      const out = advanceRollout({
        spec,
        status,
        now: t0 + call * MINUTE,
        policy,
        evidence: { frontier: { stable: frontier, canary: frontier }, window: { ...window, from: windowFrom ?? t0 } },
      });
      status = out.status;
      for (const d of out.decisions) {
        if (d.decision === 'rollback' || d.decision === 'failed-check') {
          const key = `${d.decision}:${d.reason}`;
          result.reasons[key] = (result.reasons[key] ?? 0) + 1;
        }
      }
    }
    result.meanCalls += calls / rollouts;
    const phase = status.rollout?.phase;
    if (status.stableVersion === spec.model.version) result.promoted += 1;
    else if (phase === 'RolledBack') result.rolledBack += 1;
    else result.unfinished += 1;
  }
  return result;
}

function concat(a: PairedScores, b: PairedScores): PairedScores {
  const join = (x: ArrayLike<number>, y: ArrayLike<number>) => {
    const out = new Float64Array(x.length + y.length);
    out.set(x as Float64Array);
    out.set(y as Float64Array, x.length);
    return out;
  };
  return { labels: join(a.labels, b.labels), stable: join(a.stable, b.stable), canary: join(a.canary, b.canary) };
}

function identicalReplay(): PairedScores {
  const labels = Array.from({ length: 200 }, (_, i) => (i < 100 ? 1 : 0));
  const scores = labels.map((l, i) => l + (i % 7) / 10);
  return { labels, stable: scores, canary: scores };
}

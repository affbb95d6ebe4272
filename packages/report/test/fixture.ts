// A realistic DemoRun, deterministic (seeded): three versions scored on one labelled hold-out; v2 is canaried and
// promoted, v3 is canaried and rolled back; 2,000 tx/s sampled every 5 s for 12 minutes.
import { prCurve } from '../src/pr-curve.ts';
import { DEMO_RUN_FORMAT, type DecisionRow, type DemoRun, type Sample, type VersionCurve } from '../src/types.ts';

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

/** Scores of a model with the given separation of frauds from legitimate transactions. */
function version(rand: () => number, labels: number[], separation: number, name: string, role: string): VersionCurve {
  const scores = labels.map((l) => 1 / (1 + Math.exp(-(l * separation + gaussian(rand) - 3))));
  const pr = prCurve(scores, labels);
  const sha256 = Array.from({ length: 64 }, () => Math.floor(rand() * 16).toString(16)).join('');
  return { version: name, sha256, role, ...pr };
}

const T0 = Date.parse('2026-11-25T10:00:00Z');
const iso = (seconds: number): string => new Date(T0 + seconds * 1000).toISOString();

export function fixtureRun(): DemoRun {
  const rand = mulberry32(42);
  const labels = Array.from({ length: 20_000 }, () => (rand() < 0.02 ? 1 : 0));
  const versions = [
    version(rand, labels, 2.6, 'v1', 'baseline'),
    version(rand, labels, 3.4, 'v2', 'better'),
    version(rand, labels, 1.6, 'v3', 'degraded'),
  ];
  const ap = (v: string) => versions.find((x) => x.version === v)?.ap ?? 0;
  const sha = (v: string) => versions.find((x) => x.version === v)?.sha256 ?? '';

  // The rollout as the operator decided it: [seconds, version, phase, decision, reason, weight].
  const plan: [number, string, string, string, string, number][] = [
    [20, 'v2', 'Gate', 'admitted', 'NewVersion', 0],
    [45, 'v2', 'Shadow', 'gate-passed', 'ReplayPassed', 0],
    [110, 'v2', 'Steps', 'promote-step', 'CheckPassed', 10],
    [180, 'v2', 'Steps', 'hold', 'NotEnoughFrauds', 10],
    [230, 'v2', 'Steps', 'promote-step', 'CheckPassed', 25],
    [300, 'v2', 'Steps', 'promote-step', 'CheckPassed', 50],
    [360, 'v2', 'Promoting', 'promote', 'CheckPassed', 100],
    [385, 'v2', 'Promoted', 'promoted', 'Drained', 100],
    [420, 'v3', 'Gate', 'admitted', 'NewVersion', 0],
    [445, 'v3', 'Shadow', 'gate-passed', 'ReplayPassed', 0],
    [510, 'v3', 'Steps', 'promote-step', 'CheckPassed', 10],
    [570, 'v3', 'Steps', 'failed-check', 'PrAucLoss', 10],
    [630, 'v3', 'Steps', 'failed-check', 'PrAucLoss', 10],
    [640, 'v3', 'RollingBack', 'rollback', 'TooManyFailedChecks', 0],
    [665, 'v3', 'RolledBack', 'rolled-back', 'Drained', 0],
  ];
  const decisions: DecisionRow[] = plan.map(([s, v, phase, decision, reason, weight], i) => {
    const stable = v === 'v2' ? 'v1' : 'v2';
    const looked = decision !== 'admitted';
    const frauds = looked ? 40 + 12 * i : 0;
    const apStable = looked ? ap(stable) - 0.01 + rand() * 0.02 : null;
    const apCanary = looked ? ap(v) - 0.01 + rand() * 0.02 : null;
    const delta = apStable !== null && apCanary !== null ? apCanary - apStable : null;
    return {
      time: iso(s),
      decision,
      reason,
      message: `${decision} ${v} at ${weight}% <${reason}>`,
      phase,
      version: v,
      sha256: sha(v),
      step: phase === 'Steps' ? [10, 25, 50].indexOf(weight) : -1,
      weight,
      apStable,
      apCanary,
      delta,
      ciLow: delta === null ? null : delta - 0.03,
      ciHigh: delta === null ? null : delta + 0.03,
      labelled: frauds * 50,
      frauds,
    };
  });

  const samples: Sample[] = [];
  for (let s = 0; s <= 720; s += 5) {
    const passed = plan.filter(([at]) => at <= s);
    const last = passed.at(-1);
    const stableVersion = s >= 385 ? 'v2' : 'v1';
    const inRollout = last !== undefined && !['promoted', 'rolled-back'].includes(last[3]);
    const canaryVersion = inRollout ? (last?.[1] ?? null) : null;
    const lastLook = [...passed].reverse().find(([, v, , d]) => v === canaryVersion && d !== 'admitted');
    const tx = s < 10 ? 400 * (s / 5) : 2000 + 60 * gaussian(rand);
    const busy = plan.some(([at]) => s >= at && s < at + 15) ? 1.8 : 1;
    const lag: Record<string, number | null> = {
      v1: s <= 390 ? Math.round(Math.max(0, 150 * busy + 80 * gaussian(rand))) : null,
      v2: s >= 20 ? Math.round(Math.max(0, 120 * busy + 60 * gaussian(rand))) : null,
      v3: s >= 420 && s <= 670 ? Math.round(Math.max(0, 200 * busy + 90 * gaussian(rand))) : null,
    };
    samples.push({
      time: iso(s),
      txPerSec: Math.max(0, tx),
      verdictsPerSec: Math.max(0, tx - 15 * busy + 10 * gaussian(rand)),
      latencyP50Ms: s < 5 ? null : (12 + 2 * rand()) * busy,
      latencyP99Ms: s < 5 ? null : (60 + 25 * rand()) * busy,
      lag,
      canaryWeight: canaryVersion ? (last?.[5] ?? 0) : 0,
      stableVersion,
      canaryVersion,
      stablePrAuc: lastLook ? ap(stableVersion) : null,
      canaryPrAuc: lastLook && canaryVersion ? ap(canaryVersion) : null,
    });
  }
  return {
    format: DEMO_RUN_FORMAT,
    title: 'fraud-operator demo <fixture>',
    startedAt: iso(0),
    endedAt: iso(725),
    model: { namespace: 'fraud-demo', name: 'cards' },
    versions,
    samples,
    decisions,
  };
}

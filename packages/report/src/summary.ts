import type { DemoRun, Sample } from './types.ts';

export interface RunSummary {
  durationSeconds: number;
  /** Transactions in and verdicts out over the run (the per-second samples integrated over time). */
  transactions: number;
  verdicts: number;
  peakTxPerSec: number | null;
  meanTxPerSec: number | null;
  /** Median of the sampled p50s, and the worst sampled p99. */
  latencyP50Ms: number | null;
  worstP99Ms: number | null;
  maxLag: number | null;
  /** The version serving authoritative verdicts at the end. */
  finalStable: string | null;
  /** Per version, how its rollout ended: the last terminal decision, else "in progress". */
  outcomes: { version: string; outcome: string }[];
}

const TERMINAL = new Set(['admitted', 'promoted', 'rolled-back', 'refused']);
/** How a decision ends a version's rollout, or null: a rollback of a canary that never had authority is final at once. */
const ending = (d: DemoRun['decisions'][number]): string | null =>
  TERMINAL.has(d.decision) ? d.decision : d.decision === 'rollback' && d.phase === 'RolledBack' ? 'rolled-back' : null;

const present = (values: (number | null)[]): number[] => values.filter((v): v is number => v !== null);

/** Trapezoid integral of a per-second series over the samples' times; gaps (null) contribute nothing. */
function integrate(samples: Sample[], pick: (s: Sample) => number | null): number {
  let total = 0;
  for (let i = 1; i < samples.length; i++) {
    const a = samples[i - 1] as Sample;
    const b = samples[i] as Sample;
    const va = pick(a);
    const vb = pick(b);
    if (va === null || vb === null) continue;
    total += ((va + vb) / 2) * ((Date.parse(b.time) - Date.parse(a.time)) / 1000);
  }
  return Math.round(total);
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function summarize(run: DemoRun): RunSummary {
  const s = run.samples;
  const tx = present(s.map((x) => x.txPerSec));
  const lags = s.flatMap((x) => present(Object.values(x.lag)));
  const p99 = present(s.map((x) => x.latencyP99Ms));
  const outcomes = run.versions.map(({ version }) => {
    const last = run.decisions
      .filter((d) => d.version === version)
      .map(ending)
      .filter((e) => e !== null)
      .at(-1);
    if (last) return { version, outcome: last };
    if (run.decisions.some((d) => d.version === version)) return { version, outcome: 'in progress' };
    return { version, outcome: s[0]?.stableVersion === version ? 'stable at start' : 'not rolled out' };
  });
  return {
    durationSeconds: Math.round((Date.parse(run.endedAt) - Date.parse(run.startedAt)) / 1000),
    transactions: integrate(s, (x) => x.txPerSec),
    verdicts: integrate(s, (x) => x.verdictsPerSec),
    peakTxPerSec: tx.length ? Math.max(...tx) : null,
    meanTxPerSec: tx.length ? tx.reduce((a, b) => a + b, 0) / tx.length : null,
    latencyP50Ms: median(present(s.map((x) => x.latencyP50Ms))),
    worstP99Ms: p99.length ? Math.max(...p99) : null,
    maxLag: lags.length ? Math.max(...lags) : null,
    finalStable: s.at(-1)?.stableVersion ?? null,
    outcomes,
  };
}

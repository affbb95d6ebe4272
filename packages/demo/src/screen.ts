import type { DecisionRow, Sample } from '@fraud-operator/report';

export interface Frame {
  elapsedMs: number;
  /** What the demo is doing now, e.g. "canarying best-1a2b3c4d against baseline-…". */
  stage: string;
  /** `kubectl get fraudmodels` as kubectl prints it. */
  fraudModels: string;
  sample: Sample | null;
  decisions: DecisionRow[];
  totals: { transactions: number; labels: number; verdicts: number; duplicates: number };
}

const n = (v: number | null | undefined, unit = '') =>
  v === null || v === undefined ? '–' : `${Math.round(v).toLocaleString('en-US')}${unit}`;
const clock = (ms: number) => {
  const s = Math.floor(ms / 1000);
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
};

export function decisionLine(d: DecisionRow): string {
  const ap =
    d.apCanary === undefined || d.apCanary === null
      ? ''
      : `  AP ${d.apCanary.toFixed(3)} vs ${d.apStable?.toFixed(3)} (Δ CI ${d.ciLow?.toFixed(3)}..${d.ciHigh?.toFixed(3)}, ${d.frauds} frauds)`;
  return `${d.time.slice(11, 19)} ${d.version ?? ''} ${d.decision} ${d.reason}${d.weight === undefined ? '' : ` w=${d.weight}`}${ap}`;
}

/** One screenful of the demo's state: the resource, the traffic and the decisions (holds left out). */
export function renderFrame(f: Frame, width = 120): string {
  const s = f.sample;
  const lag = s ? Object.entries(s.lag).map(([v, l]) => `${v} ${n(l)}`) : [];
  const lines = [
    `fraud-operator demo  ${clock(f.elapsedMs)}  ${f.stage}`,
    '',
    '$ kubectl get fraudmodels',
    ...f.fraudModels.trimEnd().split('\n'),
    '',
    `throughput  in ${n(s?.txPerSec, ' tx/s')}   verdicts ${n(s?.verdictsPerSec, '/s')}   produce→verdict p50 ${n(s?.latencyP50Ms, ' ms')} p99 ${n(s?.latencyP99Ms, ' ms')}`,
    `lag         ${lag.length > 0 ? lag.join('   ') : '–'}`,
    `totals      ${n(f.totals.transactions)} transactions, ${n(f.totals.labels)} fraud labels, ${n(f.totals.verdicts)} verdicts, ${f.totals.duplicates} with two`,
    '',
    'decisions (status.history, holds left out)',
    ...f.decisions
      .filter((d) => d.decision !== 'hold')
      .slice(-10)
      .map((d) => `  ${decisionLine(d)}`),
  ];
  return lines.map((l) => (l.length > width ? `${l.slice(0, width - 1)}…` : l)).join('\n');
}

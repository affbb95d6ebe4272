import { readFileSync } from 'node:fs';
import { stripTypeScriptTypes } from 'node:module';
import { clock, escapeHtml as e, embedJson, fmt } from './html.ts';
import { STYLES } from './styles.ts';
import { summarize } from './summary.ts';
import type { DecisionRow, DemoRun } from './types.ts';
import { parseDemoRun } from './validate.ts';

const CHARTS = [
  { id: 'pr-curves', title: 'Precision-recall curves of the model versions (hold-out)' },
  { id: 'throughput-latency', title: 'Throughput (tx/s in, verdicts/s) and produce→verdict latency p50/p99' },
  { id: 'canary', title: 'Canary weight and PR-AUC of stable and canary (dotted lines: decisions)' },
  { id: 'lag', title: 'Consumer lag of each scorer fleet' },
] as const;

let drawScript: string | undefined;

/** draw.ts as browser JavaScript: Node's own type stripping (its one-time ExperimentalWarning silenced). */
function browserScript(): string {
  if (drawScript === undefined) {
    const source = readFileSync(new URL('./browser/draw.ts', import.meta.url), 'utf8');
    const emit = process.emitWarning;
    process.emitWarning = () => {};
    try {
      drawScript = stripTypeScriptTypes(source);
    } finally {
      process.emitWarning = emit;
    }
  }
  return drawScript;
}

const card = (k: string, v: string): string =>
  `<div class="card"><div class="k">${e(k)}</div><div class="v">${e(v)}</div></div>`;

function header(run: DemoRun): string {
  const s = summarize(run);
  const outcomes = s.outcomes
    .map((o) => `<span class="outcome ${e(o.outcome.replace(/\s+/g, '-'))}">${e(o.version)}: ${e(o.outcome)}</span>`)
    .join('');
  return `<header>
<h1>${e(run.title)}</h1>
<p class="sub">FraudModel <code>${e(run.model.namespace)}/${e(run.model.name)}</code> · ${e(run.startedAt)} → ${e(run.endedAt)}</p>
<div class="cards" id="summary">
${card('duration', clock(s.durationSeconds))}
${card('transactions in', fmt(s.transactions))}
${card('verdicts out', fmt(s.verdicts))}
${card('mean / peak tx/s', `${fmt(s.meanTxPerSec)} / ${fmt(s.peakTxPerSec)}`)}
${card('latency p50 / worst p99', `${fmt(s.latencyP50Ms)} / ${fmt(s.worstP99Ms)} ms`)}
${card('max consumer lag', fmt(s.maxLag))}
${card('stable at the end', s.finalStable ?? '—')}
</div>
<p id="outcomes">${outcomes}</p>
</header>`;
}

function versionsTable(run: DemoRun): string {
  const rows = run.versions
    .map(
      (v) =>
        `<tr><td>${e(v.version)}</td><td>${e(v.role)}</td><td class="n">${fmt(v.ap, 4)}</td><td class="n">${fmt(v.labelled)}</td><td class="n">${fmt(v.frauds)}</td><td><code title="${e(v.sha256)}">${e(v.sha256.slice(0, 12))}</code></td></tr>`,
    )
    .join('\n');
  return `<table id="versions"><thead><tr><th>version</th><th>role</th><th>AP (PR-AUC)</th><th>labelled</th><th>frauds</th><th>sha256</th></tr></thead>
<tbody>
${rows}
</tbody></table>`;
}

function decisionRow(run: DemoRun, d: DecisionRow): string {
  const at = (Date.parse(d.time) - Date.parse(run.startedAt)) / 1000;
  const ci = d.ciLow != null && d.ciHigh != null ? ` [${fmt(d.ciLow, 4)}, ${fmt(d.ciHigh, 4)}]` : '';
  const cells = [
    `<td title="${e(d.time)}">${clock(at)}</td>`,
    `<td>${e(d.phase ?? '—')}</td>`,
    `<td><strong>${e(d.decision)}</strong></td>`,
    `<td>${e(d.reason)}</td>`,
    `<td>${e(d.version ?? '—')}</td>`,
    `<td class="n">${d.weight === undefined ? '—' : `${d.weight}%`}</td>`,
    `<td class="n">${fmt(d.apStable, 4)}</td>`,
    `<td class="n">${fmt(d.apCanary, 4)}</td>`,
    `<td class="n">${fmt(d.delta, 4)}${ci}</td>`,
    `<td class="n">${fmt(d.labelled)} / ${fmt(d.frauds)}</td>`,
    `<td><code title="${e(d.sha256 ?? '')}">${e((d.sha256 ?? '—').slice(0, 12))}</code></td>`,
    `<td class="msg">${e(d.message ?? '')}</td>`,
  ];
  return `<tr class="decision d-${e(d.decision)}" data-decision="${e(d.decision)}">${cells.join('')}</tr>`;
}

function decisionsTable(run: DemoRun): string {
  const head = [
    'time',
    'phase',
    'decision',
    'reason',
    'version',
    'weight',
    'AP stable',
    'AP canary',
    'Δ AP [bounds]',
    'labelled / frauds',
    'model sha256',
    'message',
  ];
  return `<table id="decisions"><thead><tr>${head.map((h) => `<th>${e(h)}</th>`).join('')}</tr></thead>
<tbody>
${run.decisions.map((d) => decisionRow(run, d)).join('\n')}
</tbody></table>`;
}

/** One self-contained HTML page (inline CSS and script, no network) for a demo run; the charts draw in the browser. */
export function renderReport(run: DemoRun): string {
  const checked = parseDemoRun(run);
  const charts = CHARTS.map(
    (c) =>
      `<figure><figcaption>${e(c.title)}</figcaption><div class="chart" id="chart-${c.id}"><noscript>The charts need JavaScript.</noscript></div></figure>`,
  ).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>${e(checked.title)}</title>
<style>${STYLES}</style>
</head>
<body>
${header(checked)}
<h2>Charts</h2>
<section class="charts">
${charts}
</section>
<h2>Model versions</h2>
${versionsTable(checked)}
<h2>Decisions (${checked.decisions.length})</h2>
${decisionsTable(checked)}
<script type="application/json" id="demo-run">${embedJson(checked)}</script>
<script type="module">
${browserScript()}
drawReport(document);
</script>
</body>
</html>
`;
}

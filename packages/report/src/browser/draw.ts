// Runs in the report page, inlined with its types stripped: no imports, and only the few DOM calls declared below
// (the repo's typecheck has no DOM library). Pure parts (chartSpecs, niceTicks, pathData) are unit-tested in Node.

/** The parts of the DemoRun the charts read (structural, so this file stays import-free). */
export interface RunData {
  startedAt: string;
  versions: { version: string; role: string; ap: number; curve: { recall: number; precision: number }[] }[];
  samples: {
    time: string;
    txPerSec: number | null;
    verdictsPerSec: number | null;
    latencyP50Ms: number | null;
    latencyP99Ms: number | null;
    lag: Record<string, number | null>;
    canaryWeight: number | null;
    stablePrAuc: number | null;
    canaryPrAuc: number | null;
  }[];
  decisions: { time: string; decision: string; version?: string | undefined }[];
}

export type Point = [number, number | null];

export interface Series {
  name: string;
  color: string;
  axis: 'left' | 'right';
  dashed: boolean;
  points: Point[];
}

export interface Axis {
  label: string;
  max: number;
  format: 'number' | 'fraction' | 'percent' | 'time';
}

export interface ChartSpec {
  id: string;
  x: Axis;
  left: Axis;
  right: Axis | null;
  series: Series[];
  markers: { x: number; label: string }[];
}

const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#4b5563'];

/** 0 and evenly spaced round steps (1, 2, 2.5, 5 × 10^k) up to at least max. */
export function niceTicks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude;
  const ticks: number[] = [];
  for (let i = 0; i * step < max + step * 1e-9 || ticks.length < 2; i++) ticks.push(Number((i * step).toPrecision(12)));
  if ((ticks.at(-1) as number) < max) ticks.push(Number((ticks.length * step).toPrecision(12)));
  return ticks;
}

/** SVG path data through the points, a new sub-path after each gap (null y). */
export function pathData(points: Point[], x: (v: number) => number, y: (v: number) => number): string {
  let d = '';
  let pen = false;
  for (const [px, py] of points) {
    if (py === null) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${x(px).toFixed(1)},${y(py).toFixed(1)}`;
    pen = true;
  }
  return d;
}

const hasData = (s: Series): boolean => s.points.some(([, v]) => v !== null);
const maxOf = (series: Series[], axis: 'left' | 'right'): number =>
  Math.max(0, ...series.filter((s) => s.axis === axis).flatMap((s) => s.points.map(([, v]) => v ?? 0)));

/** The four charts of a run: what to draw, independent of the DOM. */
export function chartSpecs(run: RunData): ChartSpec[] {
  const t0 = Date.parse(run.startedAt);
  const at = (time: string): number => (Date.parse(time) - t0) / 1000;
  const span = Math.max(1, ...run.samples.map((s) => at(s.time)));
  const time: Axis = { label: 'time since start', max: span, format: 'time' };
  const over = (pick: (s: RunData['samples'][number]) => number | null): Point[] =>
    run.samples.map((s) => [at(s.time), pick(s)]);
  const line = (name: string, i: number, axis: 'left' | 'right', points: Point[], dashed = false): Series => ({
    name,
    color: COLORS[i % COLORS.length] as string,
    axis,
    dashed,
    points,
  });

  const pr = run.versions.map((v, i) =>
    line(
      `${v.version} (${v.role}) AP ${v.ap.toFixed(3)}`,
      i,
      'left',
      v.curve.map((p): Point => [p.recall, p.precision]),
    ),
  );
  const throughput = [
    line(
      'tx/s in',
      0,
      'left',
      over((s) => s.txPerSec),
    ),
    line(
      'verdicts/s',
      2,
      'left',
      over((s) => s.verdictsPerSec),
    ),
    line(
      'latency p50 (ms)',
      4,
      'right',
      over((s) => s.latencyP50Ms),
      true,
    ),
    line(
      'latency p99 (ms)',
      1,
      'right',
      over((s) => s.latencyP99Ms),
      true,
    ),
  ].filter(hasData);
  const canary = [
    line(
      'canary weight (%)',
      4,
      'left',
      over((s) => s.canaryWeight),
    ),
    line(
      'stable PR-AUC',
      0,
      'right',
      over((s) => s.stablePrAuc),
    ),
    line(
      'canary PR-AUC',
      1,
      'right',
      over((s) => s.canaryPrAuc),
    ),
  ].filter(hasData);
  const fleets = [...new Set(run.samples.flatMap((s) => Object.keys(s.lag)))];
  const lag = fleets
    .map((f, i) =>
      line(
        `${f} lag`,
        i,
        'left',
        over((s) => s.lag[f] ?? null),
      ),
    )
    .filter(hasData);

  return [
    {
      id: 'pr-curves',
      x: { label: 'recall', max: 1, format: 'fraction' },
      left: { label: 'precision', max: 1, format: 'fraction' },
      right: null,
      series: pr,
      markers: [],
    },
    {
      id: 'throughput-latency',
      x: time,
      left: { label: 'per second', max: maxOf(throughput, 'left'), format: 'number' },
      right: { label: 'ms', max: maxOf(throughput, 'right'), format: 'number' },
      series: throughput,
      markers: [],
    },
    {
      id: 'canary',
      x: time,
      left: { label: 'canary weight %', max: 100, format: 'percent' },
      right: { label: 'PR-AUC', max: 1, format: 'fraction' },
      series: canary,
      markers: run.decisions
        .filter((d) => d.decision !== 'hold')
        .map((d) => ({ x: at(d.time), label: `${d.decision}${d.version ? ` ${d.version}` : ''}` })),
    },
    {
      id: 'lag',
      x: time,
      left: { label: 'messages behind', max: maxOf(lag, 'left'), format: 'number' },
      right: null,
      series: lag,
      markers: [],
    },
  ];
}

export function formatTick(v: number, format: Axis['format']): string {
  if (format === 'time') return `${Math.floor(v / 60)}:${String(Math.round(v % 60)).padStart(2, '0')}`;
  if (format === 'fraction') return v.toFixed(1);
  if (format === 'percent') return `${v}%`;
  return v >= 1000 ? `${Number((v / 1000).toPrecision(3))}k` : String(v);
}

/** The few DOM calls the drawing makes. */
interface DomNode {
  setAttribute(name: string, value: string): void;
  appendChild(child: DomNode): DomNode;
  textContent: string | null;
}
interface Doc {
  getElementById(id: string): DomNode | null;
  createElementNS(ns: string, tag: string): DomNode;
  createElement(tag: string): DomNode;
}

const SVG = 'http://www.w3.org/2000/svg';
const W = 760;
const H = 300;
const M = { top: 16, right: 64, bottom: 44, left: 64 };

function el(doc: Doc, parent: DomNode, tag: string, attrs: Record<string, string | number>, text?: string): DomNode {
  const node = doc.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  parent.appendChild(node);
  return node;
}

function drawChart(doc: Doc, host: DomNode, spec: ChartSpec): void {
  const svg = el(doc, host, 'svg', {
    viewBox: `0 0 ${W} ${H}`,
    role: 'img',
    'data-chart': spec.id,
    'data-series-count': spec.series.length,
  });
  const iw = W - M.left - M.right;
  const ih = H - M.top - M.bottom;
  const xTicks = niceTicks(spec.x.max, 8);
  const xMax = spec.x.max;
  const x = (v: number) => M.left + (v / xMax) * iw;
  const scaleY = (axis: Axis) => {
    const ticks = niceTicks(axis.max);
    const top = axis.format === 'fraction' || axis.format === 'percent' ? axis.max : (ticks.at(-1) as number);
    return { ticks: ticks.filter((t) => t <= top + 1e-9), y: (v: number) => M.top + ih - (v / top) * ih };
  };
  const left = scaleY(spec.left);
  const right = spec.right ? scaleY(spec.right) : null;

  const axes = el(doc, svg, 'g', { class: 'axes' });
  for (const t of left.ticks) {
    el(doc, axes, 'line', { class: 'grid', x1: M.left, x2: W - M.right, y1: left.y(t), y2: left.y(t) });
    el(doc, axes, 'text', { x: M.left - 6, y: left.y(t) + 4, 'text-anchor': 'end' }, formatTick(t, spec.left.format));
  }
  if (right && spec.right)
    for (const t of right.ticks)
      el(doc, axes, 'text', { x: W - M.right + 6, y: right.y(t) + 4 }, formatTick(t, spec.right.format));
  for (const t of xTicks.filter((v) => v <= xMax + 1e-9))
    el(doc, axes, 'text', { x: x(t), y: H - M.bottom + 16, 'text-anchor': 'middle' }, formatTick(t, spec.x.format));
  el(doc, axes, 'text', { x: M.left + iw / 2, y: H - 6, 'text-anchor': 'middle', class: 'label' }, spec.x.label);
  el(
    doc,
    axes,
    'text',
    {
      x: 12,
      y: M.top + ih / 2,
      class: 'label',
      transform: `rotate(-90 12 ${M.top + ih / 2})`,
      'text-anchor': 'middle',
    },
    spec.left.label,
  );
  if (spec.right) {
    const rx = W - 10;
    el(
      doc,
      axes,
      'text',
      {
        x: rx,
        y: M.top + ih / 2,
        class: 'label',
        transform: `rotate(90 ${rx} ${M.top + ih / 2})`,
        'text-anchor': 'middle',
      },
      spec.right.label,
    );
  }
  el(doc, axes, 'rect', { class: 'frame', x: M.left, y: M.top, width: iw, height: ih });

  const markers = el(doc, svg, 'g', { class: 'markers' });
  for (const m of spec.markers) {
    const g = el(doc, markers, 'g', { class: 'marker' });
    el(doc, g, 'line', { x1: x(m.x), x2: x(m.x), y1: M.top, y2: M.top + ih });
    el(doc, g, 'title', {}, m.label);
  }

  const lines = el(doc, svg, 'g', { class: 'lines' });
  for (const s of spec.series) {
    const y = s.axis === 'right' && right ? right.y : left.y;
    const path = el(doc, lines, 'path', {
      class: 'series',
      'data-series': s.name,
      d: pathData(s.points, x, y),
      stroke: s.color,
      fill: 'none',
      'stroke-width': 2,
      ...(s.dashed ? { 'stroke-dasharray': '6 4' } : {}),
    });
    el(doc, path, 'title', {}, s.name);
  }
}

function drawLegend(doc: Doc, host: DomNode, spec: ChartSpec): void {
  const list = doc.createElement('ul');
  list.setAttribute('class', 'legend');
  for (const s of spec.series) {
    const item = doc.createElement('li');
    item.setAttribute('style', `--c:${s.color}`);
    item.setAttribute('class', s.dashed ? 'dashed' : 'solid');
    item.textContent = s.name;
    list.appendChild(item);
  }
  host.appendChild(list);
}

/** Reads the embedded run and draws each chart into the element `chart-<id>`. */
export function drawReport(doc: Doc): void {
  const run = JSON.parse(doc.getElementById('demo-run')?.textContent ?? 'null') as RunData;
  for (const spec of chartSpecs(run)) {
    const host = doc.getElementById(`chart-${spec.id}`);
    if (!host) continue;
    host.textContent = '';
    drawChart(doc, host, spec);
    drawLegend(doc, host, spec);
  }
}

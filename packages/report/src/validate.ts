import { DEMO_RUN_FORMAT, type DemoRun } from './types.ts';

/** Every problem found, each naming its field (`samples[3].lag.v2`); thrown as one error. */
export class DemoRunError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    const shown = problems.slice(0, 20);
    const more = problems.length > shown.length ? `\n  … and ${problems.length - shown.length} more` : '';
    super(`invalid demo run:\n  ${shown.join('\n  ')}${more}`);
    this.name = 'DemoRunError';
    this.problems = problems;
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const show = (v: unknown): string => (v === undefined ? 'nothing' : (JSON.stringify(v)?.slice(0, 60) ?? String(v)));

/** Checks a parsed JSON value against DemoRun and returns it typed, or throws DemoRunError. */
export function parseDemoRun(value: unknown): DemoRun {
  const problems: string[] = [];
  const bad = (path: string, want: string, got: unknown) =>
    problems.push(`${path}: expected ${want}, got ${show(got)}`);

  const str = (o: Obj, path: string, key: string): string => {
    const v = o[key];
    if (typeof v !== 'string' || v === '') bad(`${path}${key}`, 'a non-empty string', v);
    return String(v);
  };
  const time = (o: Obj, path: string, key: string): number => {
    const v = str(o, path, key);
    const ms = Date.parse(v);
    if (typeof o[key] === 'string' && Number.isNaN(ms)) bad(`${path}${key}`, 'an RFC 3339 time', v);
    return ms;
  };
  const num = (v: unknown, path: string, min: number, max: number, nullable: boolean): void => {
    if (v === null && nullable) return;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
      const range = max === Number.POSITIVE_INFINITY ? `≥ ${min}` : `in [${min}, ${max}]`;
      bad(path, `a number ${range}${nullable ? ' or null' : ''}`, v);
    }
  };
  const optNum = (o: Obj, path: string, key: string, min: number, max: number, nullable: boolean) => {
    if (key in o && o[key] !== undefined) num(o[key], `${path}${key}`, min, max, nullable);
  };
  const optStr = (o: Obj, path: string, key: string) => {
    if (key in o && o[key] !== undefined && typeof o[key] !== 'string') bad(`${path}${key}`, 'a string', o[key]);
  };
  const nullableStr = (o: Obj, path: string, key: string) => {
    if (o[key] !== null && (typeof o[key] !== 'string' || o[key] === ''))
      bad(`${path}${key}`, 'a non-empty string or null', o[key]);
  };
  const list = (o: Obj, path: string, key: string): unknown[] => {
    const v = o[key];
    if (!Array.isArray(v)) {
      bad(`${path}${key}`, 'an array', v);
      return [];
    }
    return v;
  };

  if (!isObj(value)) throw new DemoRunError([`the run: expected a JSON object, got ${show(value)}`]);
  if (value.format !== DEMO_RUN_FORMAT) bad('format', JSON.stringify(DEMO_RUN_FORMAT), value.format);
  str(value, '', 'title');
  const started = time(value, '', 'startedAt');
  const ended = time(value, '', 'endedAt');
  if (ended < started) problems.push('endedAt: before startedAt');
  if (!isObj(value.model)) bad('model', 'an object {namespace, name}', value.model);
  else {
    str(value.model, 'model.', 'namespace');
    str(value.model, 'model.', 'name');
  }

  const seen = new Set<string>();
  list(value, '', 'versions').forEach((v, i) => {
    const p = `versions[${i}].`;
    if (!isObj(v)) {
      bad(`versions[${i}]`, 'an object', v);
      return;
    }
    const version = str(v, p, 'version');
    if (seen.has(version)) problems.push(`${p}version: ${show(version)} appears twice`);
    seen.add(version);
    str(v, p, 'sha256');
    str(v, p, 'role');
    num(v.ap, `${p}ap`, 0, 1, false);
    num(v.labelled, `${p}labelled`, 0, Number.POSITIVE_INFINITY, false);
    num(v.frauds, `${p}frauds`, 0, Number.POSITIVE_INFINITY, false);
    const curve = list(v, p, 'curve');
    if (Array.isArray(v.curve) && curve.length < 2) bad(`${p}curve`, 'at least 2 points', curve.length);
    let lastRecall = 0;
    curve.forEach((pt, j) => {
      const q = `${p}curve[${j}]`;
      if (!isObj(pt)) {
        bad(q, 'an object {recall, precision}', pt);
        return;
      }
      num(pt.recall, `${q}.recall`, 0, 1, false);
      num(pt.precision, `${q}.precision`, 0, 1, false);
      if (typeof pt.recall === 'number' && pt.recall < lastRecall) problems.push(`${q}.recall: decreases`);
      if (typeof pt.recall === 'number') lastRecall = pt.recall;
    });
  });

  let lastSample = Number.NEGATIVE_INFINITY;
  list(value, '', 'samples').forEach((s, i) => {
    const p = `samples[${i}].`;
    if (!isObj(s)) {
      bad(`samples[${i}]`, 'an object', s);
      return;
    }
    const t = time(s, p, 'time');
    if (t < lastSample) problems.push(`${p}time: earlier than samples[${i - 1}]`);
    if (!Number.isNaN(t)) lastSample = t;
    for (const key of ['txPerSec', 'verdictsPerSec', 'latencyP50Ms', 'latencyP99Ms'])
      num(s[key], `${p}${key}`, 0, Number.POSITIVE_INFINITY, true);
    num(s.canaryWeight, `${p}canaryWeight`, 0, 100, true);
    num(s.stablePrAuc, `${p}stablePrAuc`, 0, 1, true);
    num(s.canaryPrAuc, `${p}canaryPrAuc`, 0, 1, true);
    nullableStr(s, p, 'stableVersion');
    nullableStr(s, p, 'canaryVersion');
    if (!isObj(s.lag)) bad(`${p}lag`, 'an object of version → messages', s.lag);
    else for (const [k, v] of Object.entries(s.lag)) num(v, `${p}lag.${k}`, 0, Number.POSITIVE_INFINITY, true);
  });

  list(value, '', 'decisions').forEach((d, i) => {
    const p = `decisions[${i}].`;
    if (!isObj(d)) {
      bad(`decisions[${i}]`, 'an object', d);
      return;
    }
    time(d, p, 'time');
    str(d, p, 'decision');
    str(d, p, 'reason');
    for (const key of ['message', 'phase', 'version', 'sha256']) optStr(d, p, key);
    optNum(d, p, 'step', -1, Number.POSITIVE_INFINITY, false);
    optNum(d, p, 'weight', 0, 100, false);
    for (const key of ['apStable', 'apCanary']) optNum(d, p, key, 0, 1, true);
    for (const key of ['delta', 'ciLow', 'ciHigh']) optNum(d, p, key, -1, 1, true);
    for (const key of ['labelled', 'frauds']) optNum(d, p, key, 0, Number.POSITIVE_INFINITY, false);
  });

  if (problems.length > 0) throw new DemoRunError(problems);
  return value as unknown as DemoRun;
}

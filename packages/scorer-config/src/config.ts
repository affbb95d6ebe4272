import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';

/**
 * The scorer's config file (the ConfigMap the operator writes, mounted as a file, re-read without restart).
 * Written by the operator (JSON, a YAML subset), parsed by the scorer at boot and on every change.
 */
export type Mode = 'primary' | 'canary' | 'shadow';

export interface WeightStep {
  /** From this event time on (epoch ms, inclusive), the canary is authoritative for `weight` % of transactions. */
  from: number;
  weight: number;
}

export interface AuthoritySchedule {
  stableVersion: string;
  canaryVersion: string;
  steps: WeightStep[];
  /** The operator promises no change before this event time; a scorer past it waits instead of guessing. */
  coveredUntil: number;
}

export interface ScorerConfig {
  mode: Mode;
  model: { uri: string; version: string; sha256: string; threshold: number; inputName: string; featureCount: number };
  topics: { transactions: string; labels: string; verdicts: string; deadLetters: string; scores: string };
  verdictTtlSeconds: number;
  authority?: AuthoritySchedule;
}

const fail = (path: string, why: string): never => {
  throw new Error(`scorer config: ${path} ${why}`);
};

function str(o: Record<string, unknown>, key: string, path: string): string {
  const v = o[key];
  return typeof v === 'string' && v.length > 0
    ? v
    : fail(`${path}.${key}`, `must be a non-empty string, got ${JSON.stringify(v)}`);
}

function num(o: Record<string, unknown>, key: string, path: string, min: number, max: number): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max)
    fail(`${path}.${key}`, `must be a number in ${min}..${max}, got ${JSON.stringify(v)}`);
  return v as number;
}

function obj(v: unknown, path: string): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : fail(path, 'must be an object');
}

function parseAuthority(v: unknown): AuthoritySchedule {
  const a = obj(v, 'authority');
  const stepsRaw = Array.isArray(a.steps) ? a.steps : fail('authority.steps', 'must be an array');
  const steps = stepsRaw.map((s, i) => {
    const o = obj(s, `authority.steps[${i}]`);
    return {
      from: num(o, 'from', `authority.steps[${i}]`, 0, Number.MAX_SAFE_INTEGER),
      weight: num(o, 'weight', `authority.steps[${i}]`, 0, 100),
    };
  });
  if (steps.length === 0) fail('authority.steps', 'must not be empty');
  for (let i = 1; i < steps.length; i++) {
    if ((steps[i]?.from ?? 0) <= (steps[i - 1]?.from ?? 0))
      fail(`authority.steps[${i}].from`, 'must be after the previous step');
  }
  return {
    stableVersion: str(a, 'stableVersion', 'authority'),
    canaryVersion: str(a, 'canaryVersion', 'authority'),
    steps,
    coveredUntil: num(a, 'coveredUntil', 'authority', 0, Number.MAX_SAFE_INTEGER),
  };
}

export function parseScorerConfig(text: string): ScorerConfig {
  const root = obj(parseYaml(text), 'root');
  const mode = root.mode;
  if (mode !== 'primary' && mode !== 'canary' && mode !== 'shadow')
    fail('mode', `must be primary|canary|shadow, got ${JSON.stringify(mode)}`);
  const m = obj(root.model, 'model');
  const t = obj(root.topics ?? {}, 'topics');
  const topic = (key: string, dflt: string): string => (t[key] === undefined ? dflt : str(t, key, 'topics'));
  const version = str(m, 'version', 'model');
  const config: ScorerConfig = {
    mode: mode as Mode,
    model: {
      uri: str(m, 'uri', 'model'),
      version,
      sha256: str(m, 'sha256', 'model'),
      threshold: num(m, 'threshold', 'model', 0, 1),
      inputName: m.inputName === undefined ? 'input' : str(m, 'inputName', 'model'),
      featureCount: num(m, 'featureCount', 'model', 1, 10_000),
    },
    topics: {
      transactions: topic('transactions', 'transactions'),
      labels: topic('labels', 'labels'),
      verdicts: topic('verdicts', 'verdicts'),
      deadLetters: topic('deadLetters', 'transactions.dlq'),
      scores: topic('scores', `scores.${version}`),
    },
    verdictTtlSeconds:
      root.verdictTtlSeconds === undefined ? 86_400 : num(root, 'verdictTtlSeconds', 'root', 1, 31_536_000),
  };
  if (config.mode === 'canary') config.authority = parseAuthority(root.authority);
  return config;
}

export const readScorerConfig = (path: string): ScorerConfig => parseScorerConfig(readFileSync(path, 'utf8'));

/** FNV-1a of the txId, in 0..9999: the same bucket in every scorer of every version. */
export function authorityBucket(txId: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < txId.length; i++) {
    h ^= txId.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % 10_000;
}

export const scheduleCovers = (s: AuthoritySchedule, eventTime: number): boolean => eventTime < s.coveredUntil;

/** The version whose verdict counts for this transaction; throws when the schedule does not cover its event time. */
export function authoritativeVersion(s: AuthoritySchedule, txId: string, eventTime: number): string {
  if (!scheduleCovers(s, eventTime))
    throw new Error(`authority schedule covers event time < ${s.coveredUntil}, not ${eventTime}`);
  let weight = 0;
  for (const step of s.steps) if (step.from <= eventTime) weight = step.weight;
  return authorityBucket(txId) < weight * 100 ? s.canaryVersion : s.stableVersion;
}

/** Whether this scorer's verdict on a transaction is the authoritative one; `null` means wait for a newer schedule. */
export function isAuthoritative(config: ScorerConfig, txId: string, eventTime: number): boolean | null {
  if (config.mode === 'primary') return true;
  if (config.mode === 'shadow') return false;
  const s = config.authority;
  if (s === undefined || !scheduleCovers(s, eventTime)) return null;
  return authoritativeVersion(s, txId, eventTime) === config.model.version;
}

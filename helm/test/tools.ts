// helm and kubectl from the stack (.stack/env), and the chart's rendered documents.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { loadStackEnv, REPO_ROOT } from '@fraud-operator/stack/env';
import { parseAllDocuments } from 'yaml';

export const env = loadStackEnv();
export const CHART_DIR = join(REPO_ROOT, 'helm', 'fraud-operator');

export interface Run {
  code: number | null;
  out: string;
  err: string;
}

function run(bin: string | undefined, args: string[], input?: string, timeout = 300_000): Run {
  if (!bin) throw new Error('.stack/env lacks HELM or KUBECTL: run `npm run stack -- up`');
  const r = spawnSync(bin, args, {
    encoding: 'utf8',
    input,
    timeout,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, KUBECONFIG: env.KUBECONFIG },
  });
  return { code: r.status, out: r.stdout ?? '', err: `${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

export const helm = (args: string[], timeout?: number): Run => run(env.HELM, args, undefined, timeout);
export const kubectl = (args: string[], input?: string): Run => run(env.KUBECTL, args, input);

/** Fails with the command's own output, so a broken step names itself. */
export function ok(r: Run, what: string): string {
  if (r.code !== 0) throw new Error(`${what} failed (exit ${r.code}):\n${r.err}\n${r.out}`.slice(0, 8000));
  return r.out;
}

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: unknown;
}

/** `--set` pairs as helm arguments (values typed by helm, as on the command line). */
export const sets = (values: Record<string, string | number | boolean>): string[] =>
  Object.entries(values).flatMap(([k, v]) => ['--set', `${k}=${v}`]);

export function render(args: string[] = [], chart = CHART_DIR): K8sObject[] {
  const out = ok(helm(['template', 'fraud', chart, '--namespace', 'fraud-system', ...args]), 'helm template');
  return parseDocuments(out);
}

export const parseDocuments = (text: string): K8sObject[] =>
  parseAllDocuments(text)
    .map((d) => d.toJS() as K8sObject | null)
    .filter((d): d is K8sObject => d !== null);

export const byKind = (docs: K8sObject[], kind: string): K8sObject[] => docs.filter((d) => d.kind === kind);

export async function eventually<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 120_000) {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const STACK_DIR = process.env.FRAUD_STACK_DIR ?? join(REPO_ROOT, '.stack');
export const ENV_FILE = join(STACK_DIR, 'env');

export interface StackEnv {
  KUBECONFIG: string;
  KAFKA_BROKERS: string;
  REDIS_URL: string;
  /** The second Redis: verdicts, requests, score logs and histograms (the feature state stays in REDIS_URL's). */
  VERDICT_REDIS_URL: string;
  S3_ENDPOINT: string;
  S3_ACCESS_KEY_ID: string;
  S3_SECRET_ACCESS_KEY: string;
  S3_REGION: string;
  [key: string]: string;
}

export function parseEnvFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const eq = trimmed.indexOf('=');
    if (eq <= 0) throw new Error(`bad line in stack env file: ${trimmed}`);
    env[trimmed.slice(0, eq)] = trimmed.slice(eq + 1);
  }
  return env;
}

/** The running stack's addresses. Throws a clear error when the stack is not up. */
export function loadStackEnv(file = ENV_FILE): StackEnv {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new Error(`the local stack is not up (no ${file}): run \`npm run stack -- up\``);
  }
  const env = parseEnvFile(text);
  for (const key of [
    'KUBECONFIG',
    'KAFKA_BROKERS',
    'REDIS_URL',
    'VERDICT_REDIS_URL',
    'S3_ENDPOINT',
    'S3_ACCESS_KEY_ID',
    'S3_SECRET_ACCESS_KEY',
  ]) {
    if (!env[key]) throw new Error(`${file} lacks ${key}: run \`npm run stack -- down\` then \`up\``);
  }
  return { S3_REGION: 'us-east-1', ...env } as StackEnv;
}

/** The chart's `redis` values for pods on the stack's node: the verdicts' Redis, and the feature state's beside it. */
export function podRedisValues(env: StackEnv): { url: string; featureStateUrl?: string } {
  const features = env.POD_REDIS_URL;
  if (!features) throw new Error('.stack/env has no POD_REDIS_URL: the stack runs without a node');
  const verdicts = env.POD_VERDICT_REDIS_URL;
  return verdicts && verdicts !== features ? { url: verdicts, featureStateUrl: features } : { url: features };
}

import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { DEFAULT_POLICY, type RolloutPolicy } from '@fraud-operator/canary';

export interface OperatorConfig {
  /** Namespace whose FraudModels this operator reconciles; '' for all namespaces. */
  watchNamespace: string;
  leaseNamespace: string;
  leaseName: string;
  identity: string;
  leaseDurationSeconds: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
  scorerImage: string;
  scorerImagePullPolicy: 'Always' | 'IfNotPresent' | 'Never';
  kafkaBrokers: string[];
  s3: { endpoint: string; region: string; accessKeyId: string; secretAccessKey: string };
  resyncMs: number;
  rolloutPollMs: number;
  workers: number;
  /** Port of /healthz, /readyz and /metrics; 0 picks a free one. */
  port: number;
  /** A label this long after its transaction is final (no fraud label by then: legitimate). */
  labelDelayMs: number;
  /** Overrides of the canary's DEFAULT_POLICY (ROLLOUT_POLICY, JSON), e.g. shorter leads for an end-to-end test. */
  rolloutPolicy: Partial<RolloutPolicy> | undefined;
}

function parsePolicy(raw: string | undefined): Partial<RolloutPolicy> | undefined {
  if (raw === undefined || raw === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (err) {
    throw new Error(`operator config: ROLLOUT_POLICY is not JSON: ${(err as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new Error('operator config: ROLLOUT_POLICY must be a JSON object');
  const known = Object.keys(DEFAULT_POLICY);
  for (const [key, value] of Object.entries(parsed)) {
    if (!known.includes(key))
      throw new Error(`operator config: ROLLOUT_POLICY.${key} is unknown (known: ${known.join(', ')})`);
    if (typeof value !== 'number') throw new Error(`operator config: ROLLOUT_POLICY.${key} must be a number`);
  }
  return parsed as Partial<RolloutPolicy>;
}

const SA_NAMESPACE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';

/** Reads the operator's config from the environment; a bad value throws naming the variable. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): OperatorConfig {
  const need = (name: string): string => {
    const v = env[name];
    if (v === undefined || v === '') throw new Error(`operator config: environment variable ${name} is required`);
    return v;
  };
  const int = (name: string, dflt: number, min: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return dflt;
    const v = Number(raw);
    if (!Number.isInteger(v) || v < min) throw new Error(`operator config: ${name}=${raw} must be an integer ≥ ${min}`);
    return v;
  };
  let ownNamespace = env.OPERATOR_NAMESPACE ?? '';
  if (!ownNamespace) {
    try {
      ownNamespace = readFileSync(SA_NAMESPACE, 'utf8').trim();
    } catch {
      ownNamespace = 'default';
    }
  }
  const policy = env.SCORER_IMAGE_PULL_POLICY ?? 'IfNotPresent';
  if (policy !== 'Always' && policy !== 'IfNotPresent' && policy !== 'Never')
    throw new Error(`operator config: SCORER_IMAGE_PULL_POLICY=${policy} must be Always, IfNotPresent or Never`);
  const leaseDurationSeconds = int('LEASE_DURATION_SECONDS', 15, 2);
  const renewDeadlineMs = int('LEASE_RENEW_DEADLINE_MS', 10_000, 500);
  if (renewDeadlineMs >= leaseDurationSeconds * 1000)
    throw new Error('operator config: LEASE_RENEW_DEADLINE_MS must be shorter than LEASE_DURATION_SECONDS');
  return {
    watchNamespace: env.WATCH_NAMESPACE ?? '',
    leaseNamespace: ownNamespace,
    leaseName: env.LEASE_NAME ?? 'fraud-operator',
    identity: env.POD_NAME ?? `${hostname()}-${process.pid}`,
    leaseDurationSeconds,
    renewDeadlineMs,
    retryPeriodMs: int('LEASE_RETRY_PERIOD_MS', 2_000, 100),
    scorerImage: need('SCORER_IMAGE'),
    scorerImagePullPolicy: policy,
    kafkaBrokers: need('KAFKA_BROKERS').split(','),
    s3: {
      endpoint: need('S3_ENDPOINT'),
      region: env.S3_REGION ?? 'us-east-1',
      accessKeyId: need('S3_ACCESS_KEY_ID'),
      secretAccessKey: need('S3_SECRET_ACCESS_KEY'),
    },
    resyncMs: int('RESYNC_SECONDS', 300, 1) * 1000,
    rolloutPollMs: int('ROLLOUT_POLL_MS', 5_000, 100),
    workers: int('WORKERS', 2, 1),
    port: int('PORT', 8081, 0),
    labelDelayMs: int('LABEL_DELAY_MS', 7 * 24 * 3_600_000, 0),
    rolloutPolicy: parsePolicy(env.ROLLOUT_POLICY),
  };
}

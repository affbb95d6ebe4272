import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StackEnv } from '@fraud-operator/stack/env';
import { podRedisValues, REPO_ROOT } from '@fraud-operator/stack/env';
import { exportJWK, generateKeyPair } from 'jose';
import type { DemoTopics } from './fraud-model.ts';

export const NAMESPACE = 'fraud-demo';
export const RELEASE = 'fraud-demo';
/** fullnameOverride: the chart's Secrets are then fraud-kafka and fraud-scorer-runtime. */
export const FULLNAME = 'fraud';
export const ARCHIVE_BUCKET = 'fraud-demo-archive';
export const ISSUER = 'https://issuer.fraud-demo.local/';
export const AUDIENCE = 'fraud-api-demo';

export interface Tools {
  kubectl(args: string[], input?: string): string;
  helm(args: string[]): string;
}

/** kubectl and helm from the stack (.stack/env), failing with the command's own output. */
export function tools(env: StackEnv): Tools {
  const run = (bin: string | undefined, what: string, args: string[], input?: string) => {
    if (!bin) throw new Error(`.stack/env names no ${what}: run \`npm run stack -- up\``);
    const r = spawnSync(bin, args, {
      encoding: 'utf8',
      input,
      timeout: 600_000,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, KUBECONFIG: env.KUBECONFIG },
    });
    if (r.status !== 0) throw new Error(`${what} ${args.join(' ')} failed (exit ${r.status}):\n${r.stderr}${r.stdout}`);
    return r.stdout;
  };
  return {
    kubectl: (args, input) => run(env.KUBECTL, 'kubectl', args, input),
    helm: (args) => run(env.HELM, 'helm', args),
  };
}

const image = (ref: string | undefined, what: string) => {
  if (!ref) throw new Error(`.stack/env names no ${what}: run \`npm run stack -- images\``);
  const at = ref.lastIndexOf(':');
  return { repository: ref.slice(0, at), tag: ref.slice(at + 1), pullPolicy: 'Never' };
};

/** Chart values for the local stack's real node: the locally built images, the servers at the pods' addresses. */
export async function demoValues(env: StackEnv, run: string, topics: DemoTopics, policy: object) {
  const node = env.STACK_NODE;
  if (!node || !env.POD_KAFKA_BROKERS || !env.POD_REDIS_URL || !env.POD_S3_ENDPOINT || !env.NODE_ADDRESS) {
    throw new Error('.stack/env has no real node: run `npm run stack -- up`');
  }
  const { publicKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: `demo-${run}`, alg: 'ES256' };
  const placement = { nodeSelector: { 'kubernetes.io/hostname': node } };
  return {
    fullnameOverride: FULLNAME,
    kafka: { bootstrap: env.POD_KAFKA_BROKERS, transactionsTopic: topics.input },
    redis: podRedisValues(env),
    s3: {
      endpoint: env.POD_S3_ENDPOINT,
      region: env.S3_REGION,
      credentials: { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY },
    },
    scorerRuntimeSecret: { create: true },
    operator: {
      replicas: 1,
      watchNamespace: NAMESPACE,
      image: image(env.OPERATOR_IMAGE, 'OPERATOR_IMAGE'),
      scorerImage: image(env.SCORER_IMAGE, 'SCORER_IMAGE'),
      // The stack runs no kube-proxy: pods reach the apiserver at the node's address. The policy leads fit the
      // compressed clock (settings.ts).
      extraEnv: [
        { name: 'KUBERNETES_SERVICE_HOST', value: env.NODE_ADDRESS },
        { name: 'KUBERNETES_SERVICE_PORT', value: new URL(env.KUBE_APISERVER!).port },
        { name: 'ROLLOUT_POLICY', value: JSON.stringify(policy) },
        { name: 'ROLLOUT_POLL_MS', value: '1000' },
      ],
      resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { memory: '1Gi' } },
      ...placement,
    },
    api: {
      image: image(env.API_IMAGE, 'API_IMAGE'),
      replicas: 1,
      auth: { issuer: ISSUER, audience: AUDIENCE, jwks: JSON.stringify({ keys: [jwk] }), jwksUrl: '' },
      resources: { requests: { cpu: '20m', memory: '64Mi' }, limits: { memory: '384Mi' } },
      ...placement,
    },
    archiver: {
      image: image(env.ARCHIVER_IMAGE, 'ARCHIVER_IMAGE'),
      bucket: ARCHIVE_BUCKET,
      prefix: run,
      groupId: `${run}-archiver`,
      window: '7d',
      objectMaxAge: '1m',
      encryption: { key: `demo:${randomBytes(32).toString('base64')}`, existingSecret: '' },
      resources: { requests: { cpu: '20m', memory: '64Mi' }, limits: { memory: '512Mi' } },
      ...placement,
    },
  };
}

/**
 * Removes a demo from the cluster: the FraudModel first, while the operator that holds its finalizer still runs (its
 * fleets and topics go with it), then the chart, then the namespace (not waited for). Each step's failure is reported
 * and the next tried.
 */
export function removeDemo(t: Tools, say: (m: string) => void): void {
  try {
    t.kubectl(['delete', 'fraudmodel', 'card-fraud', '-n', NAMESPACE, '--ignore-not-found', '--timeout=120s']);
  } catch (err) {
    say(`  ${(err as Error).message.split('\n')[0]}`);
  }
  try {
    t.helm(['uninstall', RELEASE, '-n', NAMESPACE, '--ignore-not-found', '--wait', '--timeout', '120s']);
    t.kubectl(['delete', 'namespace', NAMESPACE, '--ignore-not-found', '--wait=false']);
  } catch (err) {
    say(`  ${(err as Error).message.split('\n')[0]}`);
  }
}

/**
 * helm upgrade --install of the chart from this checkout, waiting for every Deployment. An earlier demo still in the
 * cluster (stopped before its teardown, or run with --keep) is removed first, or its FraudModel would take this run's
 * versions as a rollout; its namespace may still be terminating (a teardown does not wait): nothing can be created in
 * it until it is gone.
 */
export function installChart(t: Tools, values: object, say: (m: string) => void): void {
  const phaseOf = () =>
    t.kubectl(['get', 'namespace', NAMESPACE, '--ignore-not-found', '-o', 'jsonpath={.status.phase}']).trim();
  if (phaseOf() === 'Active') {
    say(`  an earlier demo is still in namespace ${NAMESPACE}: removing it first`);
    removeDemo(t, say);
  }
  if (phaseOf() === 'Terminating') t.kubectl(['wait', '--for=delete', `namespace/${NAMESPACE}`, '--timeout=180s']);
  const dir = mkdtempSync(join(tmpdir(), 'fraud-demo-'));
  try {
    const file = join(dir, 'values.json');
    writeFileSync(file, JSON.stringify(values));
    t.helm([
      'upgrade',
      '--install',
      RELEASE,
      join(REPO_ROOT, 'helm', 'fraud-operator'),
      '-n',
      NAMESPACE,
      '--create-namespace',
      '-f',
      file,
      '--take-ownership',
      '--wait',
      '--timeout',
      '300s',
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

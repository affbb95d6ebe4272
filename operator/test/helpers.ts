// Shared pieces of the operator's integration tests: the stack's addresses, an admin client, operator processes
// spawned with this Node (process.execPath), FraudModel manifests, and a bounded `eventually`.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { loadStackEnv, REPO_ROOT } from '@fraud-operator/stack/env';
import { KubeConfig } from '@kubernetes/client-node';
import { Kafka, logLevel } from 'kafkajs';
import { parseAllDocuments } from 'yaml';
// Test-only: the scorer's hand-built ONNX model, so the artifact gate and the scorer pods have a real model to load.
import { tinyModelBytes } from '../../scorer-image/test/fixtures/tiny-model.ts';
import type { FraudModel } from '../src/api/v1alpha1/index.ts';
import { KubeRest } from '../src/kube/rest.ts';

export const env = loadStackEnv();
export const run = promisify(execFile);
export const kc = new KubeConfig();
kc.loadFromFile(env.KUBECONFIG);
export const admin = new KubeRest(kc);
export const kafka = new Kafka({
  clientId: 'operator-test',
  brokers: env.KAFKA_BROKERS.split(','),
  logLevel: logLevel.NOTHING,
});
export const s3 = new S3Client({
  endpoint: env.S3_ENDPOINT,
  region: env.S3_REGION,
  forcePathStyle: true,
  credentials: { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY },
});

export const uid = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out after ${ms} ms waiting for ${what}${last ? `: ${last}` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function kubectl(...args: string[]): Promise<string> {
  const { stdout } = await run(env.KUBECTL!, args, { env: { ...process.env, KUBECONFIG: env.KUBECONFIG } });
  return stdout;
}

export async function applyCrd(): Promise<void> {
  await kubectl('apply', '--server-side', '--force-conflicts', '-f', join(REPO_ROOT, 'crds', 'fraudmodels.yaml'));
  await kubectl('wait', '--for=condition=Established', 'crd/fraudmodels.fraud.payments.dev', '--timeout=60s');
}

export async function createNamespace(name: string): Promise<void> {
  await admin.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  await admin.create(`/api/v1/namespaces/${name}/secrets`, {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'kafka-bootstrap' },
    stringData: { bootstrap: env.POD_KAFKA_BROKERS ?? env.KAFKA_BROKERS },
  });
}

/** The scorer pods' runtime Secret (`spec.scorer.runtimeSecret: scorer-runtime`): the servers at the pods' addresses. */
export async function createScorerRuntimeSecret(ns: string): Promise<void> {
  await admin.create(`/api/v1/namespaces/${ns}/secrets`, {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'scorer-runtime' },
    stringData: {
      REDIS_URL: env.POD_REDIS_URL!,
      ...(env.POD_VERDICT_REDIS_URL ? { VERDICT_REDIS_URL: env.POD_VERDICT_REDIS_URL } : {}),
      REDIS_KEY_PREFIX: `${ns}:`,
      S3_ENDPOINT: env.POD_S3_ENDPOINT!,
      S3_REGION: env.S3_REGION,
      S3_ACCESS_KEY_ID: env.S3_ACCESS_KEY_ID,
      S3_SECRET_ACCESS_KEY: env.S3_SECRET_ACCESS_KEY,
    },
  });
}

export async function deleteNamespace(name: string): Promise<void> {
  await admin.delete(`/api/v1/namespaces/${name}`).catch(() => undefined);
}

/** A tiny ONNX model in a fresh bucket: its URI, sha256 and feature count (read from the fixture at test time). */
export async function uploadModel(bucket: string, key: string, weights: number[]) {
  const bytes = tinyModelBytes({ weights, bias: -1 });
  await s3.send(new CreateBucketCommand({ Bucket: bucket })).catch(() => undefined);
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes }));
  return {
    uri: `s3://${bucket}/${key}`,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    featureCount: weights.length,
  };
}

export async function putObject(bucket: string, key: string, body: Uint8Array): Promise<void> {
  await s3.send(new CreateBucketCommand({ Bucket: bucket })).catch(() => undefined);
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
}

export async function removeBucket(bucket: string, keys: string[]): Promise<void> {
  for (const Key of keys) await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key })).catch(() => undefined);
  await s3.send(new DeleteBucketCommand({ Bucket: bucket })).catch(() => undefined);
}

/** Scorer pods on the kwok node: they are scheduled and Ready without running anything. */
export const onKwok = {
  nodeSelector: { 'kubernetes.io/hostname': env.KWOK_NODE ?? 'kwok-node-0' },
  tolerations: [{ key: 'kwok.x-k8s.io/node', operator: 'Exists' as const, effect: 'NoSchedule' as const }],
};

export function fraudModel(
  name: string,
  id: string,
  model: { uri: string; sha256: string; featureCount: number; version?: string },
  overrides: Partial<FraudModel['spec']> = {},
): FraudModel {
  return {
    apiVersion: 'fraud.payments.dev/v1alpha1',
    kind: 'FraudModel',
    metadata: { name },
    spec: {
      model: {
        uri: model.uri,
        version: model.version ?? 'v1',
        sha256: model.sha256,
        threshold: 0.5,
        featureCount: model.featureCount,
      },
      kafka: {
        bootstrapSecret: 'kafka-bootstrap',
        partitions: 4,
        topics: {
          input: `${id}.tx`,
          verdicts: `${id}.verdicts`,
          labels: `${id}.labels`,
          deadLetters: `${id}.dlq`,
          scoresPrefix: `${id}.scores`,
        },
      },
      scaling: { minReplicas: 1, maxReplicas: 3 },
      rollout: { steps: [10, 50, 100] },
      scorer: { ...onKwok, imagePullPolicy: 'Never' },
      ...overrides,
    },
  };
}

export const fmPath = (ns: string, name: string) =>
  `/apis/fraud.payments.dev/v1alpha1/namespaces/${ns}/fraudmodels/${name}`;
export const getModel = (ns: string, name: string) => admin.get<FraudModel>(fmPath(ns, name));

export async function topicPartitions(topics: string[]): Promise<Map<string, number>> {
  const a = kafka.admin();
  await a.connect();
  try {
    const all = new Set(await a.listTopics());
    const present = topics.filter((t) => all.has(t));
    const out = new Map<string, number>();
    if (present.length > 0)
      for (const t of (await a.fetchTopicMetadata({ topics: present })).topics) out.set(t.name, t.partitions.length);
    return out;
  } finally {
    await a.disconnect();
  }
}

export async function deleteTopicsWithPrefix(prefix: string): Promise<void> {
  const a = kafka.admin();
  await a.connect();
  try {
    const topics = (await a.listTopics()).filter((t) => t.startsWith(prefix));
    if (topics.length > 0) await a.deleteTopics({ topics });
  } finally {
    await a.disconnect();
  }
}

export interface OperatorProcess {
  child: ChildProcess;
  identity: string;
  logs: () => string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts `node operator/src/main.ts` watching one namespace, with a short lease so hand-over is quick to test. */
export function spawnOperator(options: {
  namespace: string;
  identity: string;
  kubeconfig?: string;
  leaseNamespace?: string;
  extraEnv?: Record<string, string>;
}): OperatorProcess {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'operator', 'src', 'main.ts')], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      KUBECONFIG: options.kubeconfig ?? env.KUBECONFIG,
      WATCH_NAMESPACE: options.namespace,
      OPERATOR_NAMESPACE: options.leaseNamespace ?? options.namespace,
      POD_NAME: options.identity,
      SCORER_IMAGE: env.SCORER_IMAGE ?? 'localhost/fraud-operator/scorer:dev',
      SCORER_IMAGE_PULL_POLICY: 'Never',
      KAFKA_BROKERS: env.KAFKA_BROKERS,
      S3_ENDPOINT: env.S3_ENDPOINT,
      S3_REGION: env.S3_REGION,
      S3_ACCESS_KEY_ID: env.S3_ACCESS_KEY_ID,
      S3_SECRET_ACCESS_KEY: env.S3_SECRET_ACCESS_KEY,
      LEASE_DURATION_SECONDS: '4',
      LEASE_RENEW_DEADLINE_MS: '3000',
      LEASE_RETRY_PERIOD_MS: '500',
      ROLLOUT_POLL_MS: '1000',
      RESYNC_SECONDS: '30',
      PORT: '0',
      ...options.extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-200_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    identity: options.identity,
    logs: () => output,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export interface Child {
  kind: string;
  metadata: {
    name: string;
    uid: string;
    ownerReferences?: { uid: string; controller?: boolean; kind: string }[];
    labels?: Record<string, string>;
  };
}

const CHILD_PATHS = {
  ConfigMap: (ns: string) => `/api/v1/namespaces/${ns}/configmaps`,
  Service: (ns: string) => `/api/v1/namespaces/${ns}/services`,
  Deployment: (ns: string) => `/apis/apps/v1/namespaces/${ns}/deployments`,
  HorizontalPodAutoscaler: (ns: string) => `/apis/autoscaling/v2/namespaces/${ns}/horizontalpodautoscalers`,
};

/** Every child the operator made in the namespace, by kind. */
export async function childrenIn(ns: string): Promise<Record<keyof typeof CHILD_PATHS, Child[]>> {
  const out = {} as Record<keyof typeof CHILD_PATHS, Child[]>;
  for (const [kind, path] of Object.entries(CHILD_PATHS) as [keyof typeof CHILD_PATHS, (ns: string) => string][]) {
    const list = await admin.list<Child>(path(ns), { labelSelector: 'app.kubernetes.io/managed-by=fraud-operator' });
    out[kind] = list.items;
  }
  return out;
}

/**
 * Deletes the namespace's FraudModels while their operator still runs (so its finalizer deletes their topics),
 * strips any finalizer left after 20 s (so the namespace can go), then stops the operators and deletes the namespace.
 */
export async function cleanUp(ns: string, operators: (OperatorProcess | undefined)[]): Promise<void> {
  const collection = `/apis/fraud.payments.dev/v1alpha1/namespaces/${ns}/fraudmodels`;
  const names = async () =>
    (await admin.list<FraudModel>(collection).catch(() => ({ items: [] as FraudModel[] }))).items.map(
      (m) => m.metadata!.name!,
    );
  for (const name of await names()) await admin.delete(`${collection}/${name}`).catch(() => undefined);
  await eventually(
    'the FraudModels to be finalized',
    async () => ((await names()).length === 0 ? true : undefined),
    20_000,
  ).catch(async () => {
    for (const name of await names())
      await admin.mergePatch(`${collection}/${name}`, { metadata: { finalizers: null } }).catch(() => undefined);
  });
  for (const op of operators) await op?.stop('SIGKILL');
  await deleteNamespace(ns);
}

interface Doc {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  roleRef?: { name: string; kind: string };
  subjects?: { namespace?: string }[];
}

const PLURALS: Record<string, string> = {
  ServiceAccount: 'serviceaccounts',
  ClusterRole: 'clusterroles',
  ClusterRoleBinding: 'clusterrolebindings',
  Role: 'roles',
  RoleBinding: 'rolebindings',
  Deployment: 'deployments',
};

const collectionOf = (doc: Doc): string => {
  const base = doc.apiVersion === 'v1' ? '/api/v1' : `/apis/${doc.apiVersion}`;
  const plural = PLURALS[doc.kind];
  return doc.metadata.namespace ? `${base}/namespaces/${doc.metadata.namespace}/${plural}` : `${base}/${plural}`;
};

/** The manifests of operator/deploy/<file>, moved to `ns`, cluster-scoped names replaced by `clusterName`. */
export function deployDocs<T = Doc>(file: string, ns: string, clusterName: string): T[] {
  const text = readFileSync(join(REPO_ROOT, 'operator', 'deploy', file), 'utf8');
  return parseAllDocuments(text).map((d) => {
    const doc = d.toJS() as Doc;
    if (doc.metadata.namespace) doc.metadata.namespace = ns;
    if (doc.kind === 'ClusterRole' || doc.kind === 'ClusterRoleBinding') doc.metadata.name = clusterName;
    if (doc.roleRef?.kind === 'ClusterRole') doc.roleRef.name = clusterName;
    for (const s of doc.subjects ?? []) s.namespace = ns;
    return doc as T;
  });
}

/** Applies operator/deploy/rbac.yaml as the test's own copy (remove with removeClusterRbac). */
export async function applyRbac(ns: string, clusterName: string): Promise<void> {
  for (const doc of deployDocs('rbac.yaml', ns, clusterName)) await admin.create(collectionOf(doc), doc);
}

export async function removeClusterRbac(clusterName: string): Promise<void> {
  await admin.delete(`/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/${clusterName}`).catch(() => undefined);
  await admin.delete(`/apis/rbac.authorization.k8s.io/v1/clusterroles/${clusterName}`).catch(() => undefined);
}

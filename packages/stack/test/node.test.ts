// The real node: the scorer's image, built from scorer-image/Dockerfile and imported into the node's containerd, runs
// as a 2-replica Deployment; its pods reach Kafka, Redis and S3 in the stack's namespace and score transactions.
import { spawnSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { createTopicsAndWait } from '@fraud-operator/kafka/topics';
import * as k8s from '@kubernetes/client-node';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Test-only: the scorer's hand-written ONNX model, so that the scorer's pods have a model to load from S3.
import { HANDBOOK_WEIGHTS, tinyModelBytes } from '../../../scorer-image/test/fixtures/tiny-model.ts';
import { loadStackEnv } from '../src/env.ts';
import { realNodeDeployment } from '../src/real-node-deployment.ts';

const env = loadStackEnv();
const hasNode = Boolean(env.STACK_NODE && env.SCORER_IMAGE);
const kc = new k8s.KubeConfig();
kc.loadFromFile(env.KUBECONFIG);
const core = kc.makeApiClient(k8s.CoreV1Api);
const apps = kc.makeApiClient(k8s.AppsV1Api);

const id = `node-${randomUUID().slice(0, 8)}`;
const namespace = id;
const topics = {
  transactions: `${id}.tx`,
  labels: `${id}.labels`,
  verdicts: `${id}.verdicts`,
  deadLetters: `${id}.dlq`,
  scores: `${id}.scores`,
};
const bucket = id;
const kafka = new Kafka({ clientId: id, brokers: env.KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING });
const s3 = new S3Client({
  endpoint: env.S3_ENDPOINT,
  region: env.S3_REGION,
  forcePathStyle: true,
  credentials: { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY },
});
const redis = new Redis(env.REDIS_URL, { lazyConnect: true });
let applyToAvailableMs = 0;

function kubectl(...args: string[]): { code: number | null; out: string } {
  const r = spawnSync(env.KUBECTL!, ['-n', namespace, ...args], {
    encoding: 'utf8',
    env: { ...process.env, KUBECONFIG: env.KUBECONFIG },
    timeout: 30_000,
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

async function eventually<T>(what: string, probe: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const readyPods = async () =>
  (await core.listNamespacedPod({ namespace, labelSelector: 'app=scorer' })).items.filter(
    (p) =>
      !p.metadata?.deletionTimestamp && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
  );

const scorerDeployment = () =>
  realNodeDeployment({
    name: 'scorer',
    image: env.SCORER_IMAGE!,
    node: env.STACK_NODE!,
    // The image says USER 10001:10001.
    uid: 10001,
    replicas: 2,
    memory: '512Mi',
    terminationGracePeriodSeconds: 5,
    env: {
      SCORER_CONFIG: '/config/scorer.json',
      KAFKA_BROKERS: env.POD_KAFKA_BROKERS!,
      REDIS_URL: env.POD_REDIS_URL!,
      S3_ENDPOINT: env.POD_S3_ENDPOINT!,
      S3_REGION: env.S3_REGION,
      S3_ACCESS_KEY_ID: env.S3_ACCESS_KEY_ID,
      S3_SECRET_ACCESS_KEY: env.S3_SECRET_ACCESS_KEY,
      SCORER_GROUP_ID: `${id}-v1`,
      REDIS_KEY_PREFIX: `${id}:`,
    },
    volume: { mountPath: '/config', source: { configMap: { name: 'scorer' } } },
  });

describe.skipIf(!hasNode)('the real node', () => {
  beforeAll(async () => {
    const model = tinyModelBytes({ weights: HANDBOOK_WEIGHTS, bias: -3 });
    const admin = kafka.admin();
    await admin.connect();
    await createTopicsAndWait(admin, {
      topics: [...Object.values(topics), `${topics.scores}.v1`].map((topic) => ({ topic, numPartitions: 2 })),
    });
    await admin.disconnect();
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'model.onnx', Body: model }));
    await redis.connect();
    const config = {
      mode: 'primary',
      model: {
        uri: `s3://${bucket}/model.onnx`,
        version: 'v1',
        sha256: createHash('sha256').update(model).digest('hex'),
        threshold: 0.5,
        featureCount: HANDBOOK_WEIGHTS.length,
      },
      topics: { ...topics, scores: `${topics.scores}.v1` },
      verdictTtlSeconds: 600,
    };
    await core.createNamespace({ body: { metadata: { name: namespace } } });
    await core.createNamespacedConfigMap({
      namespace,
      body: { metadata: { name: 'scorer' }, data: { 'scorer.json': JSON.stringify(config) } },
    });
    const applied = Date.now();
    await apps.createNamespacedDeployment({ namespace, body: scorerDeployment() });
    await eventually(
      'the scorer Deployment to be Available',
      async () => {
        const d = await apps.readNamespacedDeployment({ name: 'scorer', namespace });
        return (d.status?.availableReplicas ?? 0) >= 2 ? d : undefined;
      },
      90_000,
    );
    applyToAvailableMs = Date.now() - applied;
    console.log(`scorer Deployment: kubectl apply to 2 pods Available in ${applyToAvailableMs} ms`);
  }, 120_000);

  afterAll(async () => {
    await core.deleteNamespace({ name: namespace, gracePeriodSeconds: 0 }).catch(() => undefined);
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'model.onnx' })).catch(() => undefined);
    await s3.send(new DeleteBucketCommand({ Bucket: bucket })).catch(() => undefined);
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [...Object.values(topics), `${topics.scores}.v1`] }).catch(() => undefined);
    await admin.disconnect();
    const keys = await redis.keys(`${id}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    s3.destroy();
  });

  it('runs 2 replicas of the scorer image on the real node, each Ready by its own readiness probe', async () => {
    const pods = await readyPods();
    expect(pods).toHaveLength(2);
    for (const p of pods) {
      expect(p.spec?.nodeName).toBe(env.STACK_NODE);
      expect(p.status?.podIP).toMatch(/^10\.88\./);
      expect(p.spec?.containers[0]?.readinessProbe?.httpGet?.path).toBe('/readyz');
    }
    expect(new Set(pods.map((p) => p.status?.podIP)).size).toBe(2);
  });

  it('serves kubectl logs and exec; the pod runs as non-root on a read-only root file system', () => {
    const pod = kubectl('get', 'pods', '-l', 'app=scorer', '-o', 'jsonpath={.items[0].metadata.name}').out.trim();
    // the line logged as /readyz turns true: a Ready pod has written it
    expect(kubectl('logs', pod).out).toContain('joined group');
    const ids = kubectl('exec', pod, '--', 'sh', '-c', 'id -u; id -g');
    expect(ids.code).toBe(0);
    expect(ids.out.trim().split('\n')).toEqual(['10001', '10001']);
    const write = kubectl('exec', pod, '--', 'sh', '-c', 'touch /app/x');
    expect(write.code).not.toBe(0);
    expect(write.out).toContain('Read-only file system');
  });

  it('scores transactions: its pods read the model from S3, consume Kafka and write verdicts to Redis', async () => {
    const producer = kafka.producer();
    await producer.connect();
    const t0 = Date.UTC(2026, 0, 1);
    const total = 200;
    await producer.send({
      topic: topics.transactions,
      messages: Array.from({ length: total }, (_, i) => ({
        key: `c${i % 17}`,
        value: JSON.stringify({
          txId: `${id}-tx-${i}`,
          ts: t0 + i,
          customerId: `c${i % 17}`,
          terminalId: `t${i % 5}`,
          amount: i + 0.5,
        }),
      })),
    });
    await producer.disconnect();
    await eventually(
      `${total} verdicts in Redis`,
      async () => ((await redis.keys(`${id}:verdict:*`)).length >= total ? true : undefined),
      60_000,
    );
    const one = JSON.parse((await redis.get(`${id}:verdict:${id}-tx-1`)) ?? '{}');
    expect(one).toMatchObject({ txId: `${id}-tx-1`, modelVersion: 'v1' });
  });

  it('replaces a pod deleted with kubectl delete pod', async () => {
    const before = (await readyPods()).map((p) => p.metadata!.name!);
    expect(kubectl('delete', 'pod', before[0]!, '--wait=false').code).toBe(0);
    const after = await eventually(
      'a replacement pod to be Ready',
      async () => {
        const names = (await readyPods()).map((p) => p.metadata!.name!);
        return names.length === 2 && !names.includes(before[0]!) ? names : undefined;
      },
      60_000,
    );
    expect(after).toContain(before[1]);
  });
});

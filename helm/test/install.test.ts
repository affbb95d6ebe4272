// A real `helm install` on the local stack's real node, from the locally built images: the API and the archiver
// become Ready, the API answers /healthz and takes a transaction (curl from inside the node's network namespace),
// and the archiver writes that transaction into S3. With OPERATOR_IMAGE in .stack/env, the operator runs under the
// chart's own RBAC and reconciles the sample FraudModel into running scorer pods.
import { spawnSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { createTopicsAndWait } from '@fraud-operator/kafka/topics';
import { REPO_ROOT } from '@fraud-operator/stack/env';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SigningKey, signingKey, stackValues, token } from './stack-values.ts';
import { CHART_DIR, env, eventually, helm, kubectl, ok } from './tools.ts';

const hasNode = Boolean(env.STACK_NODE && env.API_IMAGE && env.ARCHIVER_IMAGE);
const hasOperator = Boolean(env.OPERATOR_IMAGE && env.SCORER_IMAGE);
const id = randomUUID().slice(0, 8);
const namespace = `helm-it-${id}`;
const release = `fo-${id}`;
const topic = `helm-it-${id}.tx`;
const bucket = `helm-it-${id}`;
const work = mkdtempSync(join(tmpdir(), 'helm-it-'));
const kafka = new Kafka({ clientId: release, brokers: env.KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING });
const s3 = new S3Client({
  endpoint: env.S3_ENDPOINT,
  region: env.S3_REGION,
  forcePathStyle: true,
  credentials: { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY },
});
let key: SigningKey;
let installMs = 0;

/** Runs a command inside the node's network namespace, where pod IPs are reachable. */
function inNode(...cmd: string[]) {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'packages/stack/src/cli.ts'), 'exec', '--', ...cmd], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

interface Pod {
  metadata: { name: string };
  spec: { nodeName?: string };
  status: { podIP?: string; conditions?: { type: string; status: string }[] };
}

function readyPods(component: string): Pod[] {
  const out = ok(
    kubectl(['get', 'pods', '-n', namespace, '-l', `app.kubernetes.io/component=${component}`, '-o', 'json']),
    'get pods',
  );
  return (JSON.parse(out).items as Pod[]).filter((p) =>
    p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
  );
}

function valuesFile(values: unknown): string {
  const file = join(work, `values-${randomUUID().slice(0, 6)}.json`);
  writeFileSync(file, JSON.stringify(values));
  return file;
}

describe.skipIf(!hasNode)('helm install on the real node', () => {
  beforeAll(async () => {
    key = await signingKey();
    const admin = kafka.admin();
    await admin.connect();
    await createTopicsAndWait(admin, { topics: [{ topic, numPartitions: 2 }] });
    await admin.disconnect();
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    ok(kubectl(['create', 'namespace', namespace]), 'create namespace');
    const values = valuesFile(stackValues({ key, topic, bucket, operator: hasOperator }));
    const started = Date.now();
    // --take-ownership: the CRD is cluster-wide and may have been applied by another test or release.
    ok(
      helm([
        'install',
        release,
        CHART_DIR,
        '-n',
        namespace,
        '-f',
        values,
        '--take-ownership',
        '--wait',
        '--timeout',
        '180s',
      ]),
      'helm install',
    );
    installMs = Date.now() - started;
    console.log(`helm install --wait: ${installMs} ms to every Deployment Available`);
  }, 240_000);

  afterAll(async () => {
    helm(['uninstall', release, '-n', namespace, '--wait', '--timeout', '60s']);
    kubectl(['delete', 'namespace', namespace, '--wait=false']);
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket })).catch(() => undefined);
    for (const o of listed?.Contents ?? []) await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: o.Key! }));
    await s3.send(new DeleteBucketCommand({ Bucket: bucket })).catch(() => undefined);
    s3.destroy();
    rmSync(work, { recursive: true, force: true });
  }, 120_000);

  it('runs 2 API pods and the archiver on the real node, each Ready by its own probe', () => {
    const api = readyPods('api');
    const archiver = readyPods('archiver');
    expect(api).toHaveLength(2);
    expect(archiver).toHaveLength(1);
    for (const p of [...api, ...archiver]) expect(p.spec.nodeName).toBe(env.STACK_NODE);
    expect(ok(helm(['status', release, '-n', namespace]), 'helm status')).toContain('STATUS: deployed');
  });

  it('runs them as uid 1000 on a read-only root file system', () => {
    const pod = readyPods('api')[0]!.metadata.name;
    const ids = kubectl(['exec', '-n', namespace, pod, '--', 'sh', '-c', 'id -u; id -g']);
    expect(ids.out.trim().split('\n')).toEqual(['1000', '1000']);
    const write = kubectl(['exec', '-n', namespace, pod, '--', 'sh', '-c', 'touch /app/x']);
    expect(write.code).not.toBe(0);
    expect(write.err).toContain('Read-only file system');
  });

  it('the API answers /healthz and /readyz on each pod IP', () => {
    for (const pod of readyPods('api')) {
      for (const path of ['/healthz', '/readyz']) {
        const r = inNode(
          'curl',
          '-s',
          '-o',
          '/dev/null',
          '-w',
          '%{http_code}',
          `http://${pod.status.podIP}:8080${path}`,
        );
        expect(r.out, `${pod.metadata.name}${path}: ${r.err}`).toBe('200');
      }
    }
  });

  it('the API refuses a call without a token, and publishes one with a token from the chart-mounted JWKS', async () => {
    const ip = readyPods('api')[0]!.status.podIP!;
    const noToken = inNode('curl', '-s', '-o', '/dev/null', '-w', '%{http_code}', `http://${ip}:8080/v1/verdicts/x`);
    expect(noToken.out).toBe('401');
    const bearer = await token(key, 'transactions:write verdicts:read');
    const body = JSON.stringify({ txId: `helm-${id}`, customerId: 'c-1', terminalId: 't-1', amount: 42.5 });
    const r = inNode(
      'curl',
      '-s',
      '-w',
      '\n%{http_code}',
      '-X',
      'POST',
      `http://${ip}:8080/v1/transactions`,
      '-H',
      `authorization: Bearer ${bearer}`,
      '-H',
      'content-type: application/json',
      '-d',
      body,
    );
    const [json, status] = r.out.trim().split('\n');
    expect(status, r.out + r.err).toBe('202');
    expect(JSON.parse(json!)).toMatchObject({ txId: `helm-${id}`, status: 'accepted' });
  });

  it('the archiver writes the published transaction, encrypted, into the bucket', async () => {
    const objects = await eventually(
      'an archive object in S3',
      async () => {
        const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'helm-test/' }));
        return (listed.Contents?.length ?? 0) > 0 ? listed.Contents! : undefined;
      },
      60_000,
    );
    expect(objects[0]!.Key).toMatch(new RegExp(`^helm-test/.*${topic.replace('.', '\\.')}.*\\.csv\\.frar$`));
  });

  describe.skipIf(!hasOperator)('the operator (OPERATOR_IMAGE is in .stack/env)', () => {
    it('runs under the chart RBAC and reconciles the sample FraudModel into running scorer pods', async () => {
      expect(readyPods('operator')).toHaveLength(1);
      const { HANDBOOK_WEIGHTS, tinyModelBytes } = await import('../../scorer-image/test/fixtures/tiny-model.ts');
      const model = tinyModelBytes({ weights: HANDBOOK_WEIGHTS, bias: -3 });
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'models/v1.onnx', Body: model }));
      const sample = {
        enabled: true,
        spec: {
          model: {
            uri: `s3://${bucket}/models/v1.onnx`,
            version: 'v1',
            sha256: createHash('sha256').update(model).digest('hex'),
            threshold: 0.5,
            featureCount: HANDBOOK_WEIGHTS.length,
          },
          scorer: { nodeSelector: { 'kubernetes.io/hostname': env.STACK_NODE! }, imagePullPolicy: 'Never' },
          kafka: {
            partitions: 2,
            topics: {
              input: topic,
              verdicts: `${topic}.verdicts`,
              labels: `${topic}.labels`,
              deadLetters: `${topic}.dlq`,
            },
          },
          scaling: { minReplicas: 1, maxReplicas: 2, targetLagPerReplica: 1000 },
          rollout: {
            steps: [50, 100],
            analysisWindowMinutes: 5,
            minLabelledFrauds: 5,
            maxPrAucLoss: 0.02,
            maxFailedChecks: 2,
          },
        },
      };
      ok(
        helm([
          'upgrade',
          release,
          CHART_DIR,
          '-n',
          namespace,
          '--reuse-values',
          '-f',
          valuesFile({ sample }),
          '--wait',
          '--timeout',
          '120s',
        ]),
        'helm upgrade with the sample',
      );
      const scorers = await eventually(
        'scorer pods owned by the sample FraudModel to be Ready',
        () => {
          const out = ok(kubectl(['get', 'deployments', '-n', namespace, '-o', 'json']), 'get deployments');
          const owned = (
            JSON.parse(out).items as {
              metadata: { ownerReferences?: { kind: string }[] };
              status: { readyReplicas?: number };
            }[]
          ).filter((d) => d.metadata.ownerReferences?.some((o) => o.kind === 'FraudModel'));
          return owned.some((d) => (d.status.readyReplicas ?? 0) >= 1) ? owned : undefined;
        },
        180_000,
      );
      expect(scorers.length).toBeGreaterThan(0);
      const fm = JSON.parse(ok(kubectl(['get', 'fraudmodel', 'card-fraud', '-n', namespace, '-o', 'json']), 'get fm'));
      expect(fm.status?.stableVersion).toBe('v1');
    }, 360_000);
  });
});

describe.skipIf(hasOperator || !hasNode)('the operator on the real node', () => {
  it.skip('skipped: OPERATOR_IMAGE is not in .stack/env yet (operator/Dockerfile not built); the test above runs it once it is', () => {});
});

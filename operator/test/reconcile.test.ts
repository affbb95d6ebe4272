// The reconcile loop against the real API server (controller-manager running: garbage collection, ReplicaSets,
// kwok pods Ready): create, update, drift repair, delete with the finalizer and the deletion policy.
import { join } from 'node:path';
import { REPO_ROOT } from '@fraud-operator/stack/env';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FraudModel } from '../src/api/v1alpha1/index.ts';
import {
  admin,
  applyCrd,
  childrenIn,
  cleanUp,
  createNamespace,
  deleteTopicsWithPrefix,
  eventually,
  fmPath,
  fraudModel,
  getModel,
  kubectl,
  type OperatorProcess,
  removeBucket,
  spawnOperator,
  topicPartitions,
  uid,
  uploadModel,
} from './helpers.ts';

const ns = uid('op-reconcile');
const id = ns;
const bucket = ns;
let operator: OperatorProcess;
let model: Awaited<ReturnType<typeof uploadModel>>;

interface Deployment {
  metadata: { name: string; ownerReferences?: { uid: string; controller?: boolean }[]; generation?: number };
  spec: { template: { spec: { containers: { image: string; env?: { name: string; value?: string }[] }[] } } };
}
interface Hpa {
  spec: { minReplicas: number; maxReplicas: number; scaleTargetRef: { name: string } };
}
interface ConfigMap {
  data: Record<string, string>;
}

const readyCondition = (fm: FraudModel) => fm.status?.conditions?.find((c) => c.type === 'Ready');

describe('FraudModel reconcile', () => {
  beforeAll(async () => {
    await applyCrd();
    await createNamespace(ns);
    model = await uploadModel(bucket, 'v1.onnx', [0.5, 0.25, 1.5]);
    operator = spawnOperator({ namespace: ns, identity: `${ns}-op` });
    await admin.create(
      `/apis/fraud.payments.dev/v1alpha1/namespaces/${ns}/fraudmodels`,
      fraudModel('cards', id, model),
    );
  });

  afterAll(async () => {
    await cleanUp(ns, [operator]);
    await deleteTopicsWithPrefix(id);
    await removeBucket(bucket, ['v1.onnx']);
  });

  it('admits the first version and creates its four children, each owned by the FraudModel', async () => {
    const fm = await eventually('the FraudModel to be Ready', async () => {
      const got = await getModel(ns, 'cards');
      return readyCondition(got)?.status === 'True' ? got : undefined;
    });
    expect(fm.metadata?.finalizers).toContain('fraud.payments.dev/kafka-topics');
    expect(fm.status).toMatchObject({
      phase: 'Stable',
      stableVersion: 'v1',
      stableSha256: model.sha256,
      canaryWeight: 0,
    });
    expect(fm.status?.observedGeneration).toBe(fm.metadata?.generation);
    expect(fm.status?.history?.map((h) => h.decision)).toContain('admitted');
    const children = await childrenIn(ns);
    for (const kind of ['ConfigMap', 'Service', 'Deployment', 'HorizontalPodAutoscaler'] as const) {
      expect(children[kind], kind).toHaveLength(1);
      const ref = children[kind][0]!.metadata.ownerReferences?.[0];
      expect(ref, kind).toMatchObject({ kind: 'FraudModel', name: 'cards', uid: fm.metadata?.uid, controller: true });
    }
    const hpa = await admin.get<Hpa>(`/apis/autoscaling/v2/namespaces/${ns}/horizontalpodautoscalers/cards-v1`);
    expect(hpa.spec).toMatchObject({ minReplicas: 1, maxReplicas: 3, scaleTargetRef: { name: 'cards-v1' } });
    const cm = await admin.get<ConfigMap>(`/api/v1/namespaces/${ns}/configmaps/cards-v1-config`);
    expect(JSON.parse(cm.data['scorer.json']!)).toMatchObject({
      mode: 'primary',
      model: { version: 'v1', uri: model.uri, sha256: model.sha256, featureCount: model.featureCount },
      topics: { transactions: `${id}.tx`, scores: `${id}.scores.v1` },
    });
    const topics = await topicPartitions([
      `${id}.tx`,
      `${id}.verdicts`,
      `${id}.labels`,
      `${id}.dlq`,
      `${id}.scores.v1`,
    ]);
    expect([...topics.values()]).toEqual([4, 4, 4, 4, 4]);
  });

  it('exports its reconciles and decisions on /metrics', async () => {
    const port = /"port":(\d+),"msg":"operator started"/.exec(operator.logs())?.[1];
    expect(port).toBeDefined();
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(text).toMatch(/fraudmodel_reconcile_total\{result="ok"\} [1-9]/);
    expect(text).toMatch(/fraudmodel_rollout_decisions_total\{[^}]*decision="admitted"[^}]*\} 1/);
    expect(text).toContain('fraud_operator_leader 1');
  });

  it('applies an update of the spec to the children and records the new generation', async () => {
    await admin.mergePatch(fmPath(ns, 'cards'), { spec: { scaling: { maxReplicas: 4 }, model: { threshold: 0.7 } } });
    await eventually('the HPA to allow 4 replicas and the config to carry threshold 0.7', async () => {
      const hpa = await admin.get<Hpa>(`/apis/autoscaling/v2/namespaces/${ns}/horizontalpodautoscalers/cards-v1`);
      const cm = await admin.get<ConfigMap>(`/api/v1/namespaces/${ns}/configmaps/cards-v1-config`);
      return hpa.spec.maxReplicas === 4 && JSON.parse(cm.data['scorer.json']!).model.threshold === 0.7
        ? true
        : undefined;
    });
    const fm = await eventually('observedGeneration to catch up', async () => {
      const got = await getModel(ns, 'cards');
      return got.status?.observedGeneration === got.metadata?.generation ? got : undefined;
    });
    expect(fm.metadata?.generation).toBeGreaterThan(1);
  });

  it('repairs a Deployment edited by hand and recreates a deleted HPA', async () => {
    const path = `/apis/apps/v1/namespaces/${ns}/deployments/cards-v1`;
    const before = await admin.get<Deployment>(path);
    const image = before.spec.template.spec.containers[0]!.image;
    await admin.request(
      'PATCH',
      path,
      [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'busybox:hand-edited' }],
      'application/json-patch+json',
    );
    await admin.delete(`/apis/autoscaling/v2/namespaces/${ns}/horizontalpodautoscalers/cards-v1`);
    await eventually('the image to be repaired', async () => {
      const d = await admin.get<Deployment>(path);
      return d.spec.template.spec.containers[0]!.image === image ? true : undefined;
    });
    await eventually('the HPA to be back', async () =>
      admin.get<Hpa>(`/apis/autoscaling/v2/namespaces/${ns}/horizontalpodautoscalers/cards-v1`),
    );
    const children = await childrenIn(ns);
    expect(children.Deployment).toHaveLength(1);
    expect(children.HorizontalPodAutoscaler).toHaveLength(1);
  });

  it('refuses a version whose artifact does not match its sha256, keeping the stable fleet', async () => {
    await admin.mergePatch(fmPath(ns, 'cards'), { spec: { model: { version: 'v2', sha256: 'f'.repeat(64) } } });
    const fm = await eventually('the refusal', async () => {
      const got = await getModel(ns, 'cards');
      return got.status?.history?.some((h) => h.decision === 'refused') ? got : undefined;
    });
    expect(fm.status?.history?.at(-1)).toMatchObject({
      decision: 'refused',
      reason: 'ChecksumMismatch',
      version: 'v2',
    });
    expect(fm.status?.conditions?.find((c) => c.type === 'Degraded')).toMatchObject({
      status: 'True',
      reason: 'VersionRefused',
    });
    expect(fm.status?.stableVersion).toBe('v1');
    const children = await childrenIn(ns);
    expect(children.Deployment.map((d) => d.metadata.name)).toEqual(['cards-v1']);
    const events = await admin.list<{ reason: string; type: string }>(`/apis/events.k8s.io/v1/namespaces/${ns}/events`);
    expect(events.items.some((e) => e.reason === 'ChecksumMismatch' && e.type === 'Warning')).toBe(true);
    expect(events.items.some((e) => e.reason === 'FirstVersion')).toBe(true);
  });

  it('deletes the score streams (deletionPolicy DeleteScoreStreams), keeps the shared topics, and lets GC take the children', async () => {
    await admin.delete(fmPath(ns, 'cards'));
    await eventually('the FraudModel to be gone', async () => {
      try {
        await getModel(ns, 'cards');
        return undefined;
      } catch (err) {
        return String(err).includes('404') ? true : undefined;
      }
    });
    const topics = await topicPartitions([`${id}.tx`, `${id}.verdicts`, `${id}.scores.v1`]);
    expect([...topics.keys()].sort()).toEqual([`${id}.tx`, `${id}.verdicts`]);
    await eventually('garbage collection of the children', async () => {
      const children = await childrenIn(ns);
      return Object.values(children).every((list) => list.length === 0) ? true : undefined;
    });
  });
});

describe('crds/examples/valid.yaml under the operator', () => {
  const exampleNs = uid('op-example');
  let op: OperatorProcess;
  beforeAll(async () => {
    await createNamespace(exampleNs);
    op = spawnOperator({ namespace: exampleNs, identity: `${exampleNs}-op` });
  });
  afterAll(async () => {
    await cleanUp(exampleNs, [op]);
  });

  it('is taken in charge: finalizer, and a Degraded condition that names the artifact it cannot read', async () => {
    await kubectl('apply', '-n', exampleNs, '-f', join(REPO_ROOT, 'crds', 'examples', 'valid.yaml'));
    const fm = await eventually('a Degraded condition', async () => {
      const got = await getModel(exampleNs, 'card-fraud');
      return got.status?.conditions?.some((c) => c.type === 'Degraded' && c.status === 'True') ? got : undefined;
    });
    expect(fm.metadata?.finalizers).toContain('fraud.payments.dev/kafka-topics');
    const degraded = fm.status?.conditions?.find((c) => c.type === 'Degraded');
    expect(degraded?.reason).toBe('ReconcileFailed');
    expect(degraded?.message).toContain('model artifact s3://models/fraud/v7.onnx could not be read');
    expect(fm.status?.phase).toBe('Pending');
    expect(fm.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({
      status: 'False',
      reason: 'NoStableVersion',
    });
  });
});

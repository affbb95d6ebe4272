// The operator on the real node: a FraudModel whose model is in S3 becomes real scorer pods (the scorer image,
// run by containerd) that load the model, join their consumer group and turn Ready by their own /readyz.
import { FEATURE_SETS } from '@fraud-operator/features';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  admin,
  applyCrd,
  cleanUp,
  createNamespace,
  createScorerRuntimeSecret,
  deleteTopicsWithPrefix,
  env,
  eventually,
  fraudModel,
  getModel,
  type OperatorProcess,
  removeBucket,
  spawnOperator,
  uid,
  uploadModel,
} from './helpers.ts';

const hasNode = Boolean(env.STACK_NODE && env.SCORER_IMAGE && env.POD_REDIS_URL && env.POD_S3_ENDPOINT);
const ns = uid('op-pods');
let operator: OperatorProcess;

interface Pod {
  metadata: { name: string };
  spec: { nodeName?: string };
  status: { conditions?: { type: string; status: string }[] };
}

describe.skipIf(!hasNode)('scorer pods on the real node, from a FraudModel', () => {
  beforeAll(async () => {
    await applyCrd();
    await createNamespace(ns);
    await createScorerRuntimeSecret(ns);
    operator = spawnOperator({ namespace: ns, identity: `${ns}-op` });
  });

  afterAll(async () => {
    await cleanUp(ns, [operator]);
    await deleteTopicsWithPrefix(ns);
    await removeBucket(ns, ['v1.onnx']);
  });

  it('runs the scorer image with the model from S3, each pod Ready, and reports the FraudModel Ready', async () => {
    // The feature engine's Handbook set decides the model's width, read now: it may change as the engine grows.
    const width = FEATURE_SETS.handbook.length;
    const model = await uploadModel(
      ns,
      'v1.onnx',
      Array.from({ length: width }, (_, i) => ((i % 5) - 2) * 0.1),
    );
    const manifest = fraudModel('live', ns, model, {
      scaling: { minReplicas: 2, maxReplicas: 2 },
      scorer: {
        nodeSelector: { 'kubernetes.io/hostname': env.STACK_NODE! },
        runtimeSecret: 'scorer-runtime',
        imagePullPolicy: 'Never',
        cpuRequest: '50m',
      },
    });
    const applied = Date.now();
    await admin.create(`/apis/fraud.payments.dev/v1alpha1/namespaces/${ns}/fraudmodels`, manifest);
    const fm = await eventually(
      'the FraudModel to be Ready with 2 ready scorers',
      async () => {
        const got = await getModel(ns, 'live');
        const fleet = got.status?.fleets?.[0];
        return got.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') &&
          fleet?.readyReplicas === 2
          ? got
          : undefined;
      },
      110_000,
    ).catch(async (err) => {
      const pods = await admin.list<Pod>(`/api/v1/namespaces/${ns}/pods`);
      throw new Error(
        `${err}\npods: ${JSON.stringify(pods.items.map((p) => [p.metadata.name, p.status]))}\n${operator.logs().slice(-3000)}`,
      );
    });
    console.log(`FraudModel created → 2 real scorer pods Ready: ${Date.now() - applied} ms`);
    expect(fm.status?.fleets?.[0]).toMatchObject({ version: 'v1', mode: 'primary', readyReplicas: 2 });
    const pods = await admin.list<Pod>(`/api/v1/namespaces/${ns}/pods`, {
      labelSelector: 'fraud.payments.dev/model=live',
    });
    expect(pods.items).toHaveLength(2);
    for (const p of pods.items) {
      expect(p.spec.nodeName).toBe(env.STACK_NODE);
      expect(p.status.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    }
  });
});

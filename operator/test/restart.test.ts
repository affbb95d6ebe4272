// The operator killed (SIGKILL) in the middle of creating children and again in the middle of a rollout: a new
// process converges on exactly one child of each kind per version, and the rollout state survives in status.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  type OperatorProcess,
  removeBucket,
  spawnOperator,
  uid,
  uploadModel,
} from './helpers.ts';

const ns = uid('op-restart');
let operator: OperatorProcess | undefined;

const counts = async () => {
  const c = await childrenIn(ns);
  return Object.fromEntries(Object.entries(c).map(([k, list]) => [k, list.map((x) => x.metadata.name).sort()]));
};

describe('operator restarts', () => {
  beforeAll(async () => {
    await applyCrd();
    await createNamespace(ns);
  });

  afterAll(async () => {
    await cleanUp(ns, [operator]);
    await deleteTopicsWithPrefix(ns);
    await removeBucket(ns, ['v1.onnx', 'v2.onnx']);
  });

  it('killed while creating children, a new process ends with exactly one of each', async () => {
    const model = await uploadModel(ns, 'v1.onnx', [0.3, 0.3]);
    await admin.create(`/apis/fraud.payments.dev/v1alpha1/namespaces/${ns}/fraudmodels`, fraudModel('r', ns, model));
    operator = spawnOperator({ namespace: ns, identity: `${ns}-1` });
    // Kill as soon as the first child (the ConfigMap, applied first) exists, polling it as fast as the API answers.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const found = await admin.get(`/api/v1/namespaces/${ns}/configmaps/r-v1-config`).then(
        () => true,
        () => false,
      );
      if (found) break;
      if (Date.now() > deadline) throw new Error(`no child after 30 s:\n${operator.logs().slice(-3000)}`);
    }
    await operator.stop('SIGKILL');
    const partial = await counts();
    // Whatever the kill left, make it the state after exactly one apply: the ConfigMap alone.
    for (const path of [
      `/api/v1/namespaces/${ns}/services/r-v1`,
      `/apis/apps/v1/namespaces/${ns}/deployments/r-v1`,
      `/apis/autoscaling/v2/namespaces/${ns}/horizontalpodautoscalers/r-v1`,
    ])
      await admin.delete(path).catch(() => undefined);
    expect((await counts()).Deployment).toEqual([]);
    operator = spawnOperator({ namespace: ns, identity: `${ns}-2` });
    await eventually('the model to be Ready again', async () => {
      const fm = await getModel(ns, 'r');
      return fm.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? true : undefined;
    });
    console.log(`children when killed: ${JSON.stringify(partial)}`);
    expect(await counts()).toEqual({
      ConfigMap: ['r-v1-config'],
      Service: ['r-v1'],
      Deployment: ['r-v1'],
      HorizontalPodAutoscaler: ['r-v1'],
    });
  });

  it('killed in the middle of a rollout, the new process resumes it from status without duplicates', async () => {
    const v2 = await uploadModel(ns, 'v2.onnx', [0.6, 0.1]);
    await admin.mergePatch(fmPath(ns, 'r'), { spec: { model: { uri: v2.uri, version: 'v2', sha256: v2.sha256 } } });
    const during = await eventually('the rollout of v2 to start', async () => {
      const fm = await getModel(ns, 'r');
      return fm.status?.rollout?.version === 'v2' ? fm : undefined;
    });
    // Without a replay the gate passes on the artifact alone: Shadow, both fleets on kwok, no traffic.
    expect(during.status?.phase).toBe('Shadow');
    await operator?.stop('SIGKILL');
    operator = spawnOperator({ namespace: ns, identity: `${ns}-3` });
    await eventually('the new process to reconcile', async () =>
      operator?.logs().includes('became leader') ? true : undefined,
    );
    await new Promise((r) => setTimeout(r, 3_000));
    const after = await getModel(ns, 'r');
    expect(after.status?.rollout).toMatchObject({
      version: 'v2',
      phase: during.status?.rollout?.phase,
      stepStartedAt: during.status?.rollout?.stepStartedAt,
    });
    expect(after.status?.history?.filter((h) => h.reason === 'GateStarted' && h.version === 'v2')).toHaveLength(1);
    expect(await counts()).toEqual({
      ConfigMap: ['r-v1-config', 'r-v2-config'],
      Service: ['r-v1', 'r-v2'],
      Deployment: ['r-v1', 'r-v2'],
      HorizontalPodAutoscaler: ['r-v1', 'r-v2'],
    });
  });
});

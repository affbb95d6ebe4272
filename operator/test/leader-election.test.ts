// Two operator processes on one Lease: exactly one leads and reconciles; SIGKILL the leader and the other takes over
// within the lease duration and reconciles what happens next.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  admin,
  applyCrd,
  childrenIn,
  cleanUp,
  createNamespace,
  deleteTopicsWithPrefix,
  eventually,
  fraudModel,
  type OperatorProcess,
  removeBucket,
  spawnOperator,
  uid,
  uploadModel,
} from './helpers.ts';

const ns = uid('op-leader');
const ops: OperatorProcess[] = [];
const leasePath = `/apis/coordination.k8s.io/v1/namespaces/${ns}/leases/fraud-operator`;
const holder = async () =>
  (await admin.get<{ spec: { holderIdentity?: string; leaseTransitions?: number } }>(leasePath)).spec;

describe('leader election', () => {
  beforeAll(async () => {
    await applyCrd();
    await createNamespace(ns);
    ops.push(
      spawnOperator({ namespace: ns, identity: `${ns}-a` }),
      spawnOperator({ namespace: ns, identity: `${ns}-b` }),
    );
  });

  afterAll(async () => {
    await cleanUp(ns, ops);
    await deleteTopicsWithPrefix(ns);
    await removeBucket(ns, ['v1.onnx']);
  });

  it('elects exactly one leader, and only the leader reconciles', async () => {
    const spec = await eventually('a lease holder', async () =>
      (await holder()).holderIdentity ? await holder() : undefined,
    );
    const model = await uploadModel(ns, 'v1.onnx', [1, 1, 1]);
    await admin.create(
      `/apis/fraud.payments.dev/v1alpha1/namespaces/${ns}/fraudmodels`,
      fraudModel('first', ns, model),
    );
    await eventually('the children of the first model', async () =>
      (await childrenIn(ns)).Deployment.length === 1 ? true : undefined,
    );
    const leader = ops.find((o) => o.identity === spec.holderIdentity)!;
    const standby = ops.find((o) => o !== leader)!;
    expect(leader).toBeDefined();
    expect(leader.logs()).toContain('became leader');
    expect(standby.logs()).not.toContain('became leader');
    expect(standby.logs()).not.toContain('"msg":"created"');
    expect(leader.logs()).toContain('"msg":"created"');
  });

  it('hands over to the standby within the lease duration when the leader is killed', async () => {
    const before = await holder();
    const leader = ops.find((o) => o.identity === before.holderIdentity)!;
    const standby = ops.find((o) => o !== leader)!;
    const killedAt = Date.now();
    await leader.stop('SIGKILL');
    await eventually('the standby to hold the lease', async () =>
      (await holder()).holderIdentity === standby.identity ? true : undefined,
    );
    const handOverMs = Date.now() - killedAt;
    console.log(`leader hand-over after SIGKILL: ${handOverMs} ms (lease 4 s, retry 0.5 s)`);
    expect(handOverMs).toBeLessThan(4_000 + 3_000);
    expect((await holder()).leaseTransitions).toBeGreaterThan(before.leaseTransitions ?? 0);
    const model = await uploadModel(ns, 'v1.onnx', [1, 1, 1]);
    await admin.create(
      `/apis/fraud.payments.dev/v1alpha1/namespaces/${ns}/fraudmodels`,
      fraudModel('second', ns, model),
    );
    await eventually('the new leader to reconcile a new model', async () =>
      (await childrenIn(ns)).Deployment.length === 2 ? true : undefined,
    );
    expect(standby.logs()).toContain('became leader');
  });
});

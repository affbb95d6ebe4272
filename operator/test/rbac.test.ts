// The operator as its own ServiceAccount, with exactly the RBAC of operator/deploy/rbac.yaml (token from the
// TokenRequest API): it reconciles a FraudModel, and the API server refuses it anything outside its role.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeError } from '../src/kube/errors.ts';
import { KubeRest } from '../src/kube/rest.ts';
import {
  admin,
  applyCrd,
  applyRbac,
  childrenIn,
  cleanUp,
  createNamespace,
  deleteTopicsWithPrefix,
  eventually,
  fraudModel,
  getModel,
  kc,
  type OperatorProcess,
  removeBucket,
  removeClusterRbac,
  spawnOperator,
  uid,
  uploadModel,
} from './helpers.ts';

const ns = uid('op-rbac');
const clusterName = `fraud-operator-${ns}`;
const dir = mkdtempSync(join(tmpdir(), 'op-rbac-'));
const kubeconfigPath = join(dir, 'kubeconfig');
let operator: OperatorProcess;
let asOperator: KubeRest;

async function statusOf(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
    return 200;
  } catch (err) {
    return err instanceof KubeError ? err.status : -1;
  }
}

describe('the operator as its own ServiceAccount', () => {
  beforeAll(async () => {
    await applyCrd();
    await createNamespace(ns);
    await applyRbac(ns, clusterName);
    const token = await admin.create<{ status: { token: string } }>(
      `/api/v1/namespaces/${ns}/serviceaccounts/fraud-operator/token`,
      { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 3600 } },
    );
    const cluster = kc.getCurrentCluster()!;
    const sa = new KubeConfig();
    sa.loadFromOptions({
      clusters: [
        { name: 'stack', server: cluster.server, caData: cluster.caData, caFile: cluster.caFile, skipTLSVerify: false },
      ],
      users: [{ name: 'fraud-operator', token: token.status.token }],
      contexts: [{ name: 'operator', cluster: 'stack', user: 'fraud-operator' }],
      currentContext: 'operator',
    });
    writeFileSync(kubeconfigPath, sa.exportConfig(), { mode: 0o600 });
    asOperator = new KubeRest(sa);
  });

  afterAll(async () => {
    await cleanUp(ns, [operator]);
    await removeClusterRbac(clusterName);
    await deleteTopicsWithPrefix(ns);
    await removeBucket(ns, ['v1.onnx']);
    rmSync(dir, { recursive: true, force: true });
  });

  it('reconciles a FraudModel with only its own role: children, status, events, lease', async () => {
    const model = await uploadModel(ns, 'v1.onnx', [1, 2]);
    operator = spawnOperator({ namespace: ns, identity: `${ns}-sa`, kubeconfig: kubeconfigPath });
    await admin.create(`/apis/fraud.payments.dev/v1alpha1/namespaces/${ns}/fraudmodels`, fraudModel('sa', ns, model));
    const fm = await eventually(
      'the FraudModel to be Ready under the ServiceAccount',
      async () => {
        const got = await getModel(ns, 'sa');
        return got.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? got : undefined;
      },
      60_000,
    ).catch((err) => {
      throw new Error(`${err}\noperator logs:\n${operator.logs().slice(-4000)}`);
    });
    expect(fm.status?.stableVersion).toBe('v1');
    const children = await childrenIn(ns);
    expect(Object.values(children).map((l) => l.length)).toEqual([1, 1, 1, 1]);
    const lease = await admin.get<{ spec: { holderIdentity: string } }>(
      `/apis/coordination.k8s.io/v1/namespaces/${ns}/leases/fraud-operator`,
    );
    expect(lease.spec.holderIdentity).toBe(`${ns}-sa`);
    expect(operator.logs()).not.toMatch(/forbidden/i);
  });

  it.each([
    ['read a Secret', () => asOperator.get(`/api/v1/namespaces/${ns}/secrets/kafka-bootstrap`)],
    ['list pods', () => asOperator.list(`/api/v1/namespaces/${ns}/pods`)],
    [
      'delete a FraudModel',
      () => asOperator.delete(`/apis/fraud.payments.dev/v1alpha1/namespaces/${ns}/fraudmodels/sa`),
    ],
    [
      'create a FraudModel',
      () =>
        asOperator.create(`/apis/fraud.payments.dev/v1alpha1/namespaces/${ns}/fraudmodels`, {
          apiVersion: 'fraud.payments.dev/v1alpha1',
          kind: 'FraudModel',
          metadata: { name: 'x' },
          spec: {},
        }),
    ],
    [
      'take a Lease outside its namespace',
      () =>
        asOperator.create('/apis/coordination.k8s.io/v1/namespaces/default/leases', {
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: { name: ns },
          spec: {},
        }),
    ],
    [
      'create a Role (escalate)',
      () =>
        asOperator.create(`/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/roles`, {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'Role',
          metadata: { name: 'x' },
          rules: [],
        }),
    ],
    [
      'update the CRD',
      () => asOperator.delete('/apis/apiextensions.k8s.io/v1/customresourcedefinitions/fraudmodels.fraud.payments.dev'),
    ],
  ])('is refused when it tries to %s', async (_what, attempt) => {
    expect(await statusOf(attempt())).toBe(403);
  });

  it('is allowed what it needs (the control for the refusals above)', async () => {
    expect(await statusOf(asOperator.list(`/apis/fraud.payments.dev/v1alpha1/namespaces/${ns}/fraudmodels`))).toBe(200);
    expect(await statusOf(asOperator.list(`/apis/apps/v1/namespaces/${ns}/deployments`))).toBe(200);
  });
});

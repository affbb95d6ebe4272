// The operator image as the cluster runs it: operator/deploy/rbac.yaml and deployment.yaml (two replicas, its own
// ServiceAccount, in-cluster config, non-root, read-only root) on the real node. One replica leads and reconciles a
// FraudModel; deleting the leader's pod hands the Lease to the other.
import type { V1Deployment } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  admin,
  applyCrd,
  applyRbac,
  childrenIn,
  cleanUp,
  createNamespace,
  deleteTopicsWithPrefix,
  deployDocs,
  env,
  eventually,
  fraudModel,
  getModel,
  removeBucket,
  removeClusterRbac,
  uid,
  uploadModel,
} from './helpers.ts';

const OPERATOR_IMAGE = 'localhost/fraud-operator/operator:dev';
const hasNode = Boolean(env.STACK_NODE && env.NODE_ADDRESS && env.POD_KAFKA_BROKERS && env.POD_S3_ENDPOINT);
const ns = uid('op-incluster');
const clusterName = `fraud-operator-${ns}`;
const leasePath = `/apis/coordination.k8s.io/v1/namespaces/${ns}/leases/fraud-operator`;

interface Pod {
  metadata: { name: string; deletionTimestamp?: string };
  spec: { nodeName?: string };
  status: { conditions?: { type: string; status: string }[]; containerStatuses?: unknown[] };
}

const operatorPods = async () =>
  (await admin.list<Pod>(`/api/v1/namespaces/${ns}/pods`, { labelSelector: 'app.kubernetes.io/name=fraud-operator' }))
    .items;
const holder = async () =>
  (await admin.get<{ spec: { holderIdentity?: string } }>(leasePath)).spec.holderIdentity ?? '';

describe.skipIf(!hasNode)('the operator image in the cluster', () => {
  beforeAll(async () => {
    await applyCrd();
    await createNamespace(ns);
    await applyRbac(ns, clusterName);
    await admin.create(`/api/v1/namespaces/${ns}/secrets`, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'fraud-operator-env' },
      stringData: {
        KAFKA_BROKERS: env.POD_KAFKA_BROKERS!,
        S3_ENDPOINT: env.POD_S3_ENDPOINT!,
        S3_REGION: env.S3_REGION,
        S3_ACCESS_KEY_ID: env.S3_ACCESS_KEY_ID,
        S3_SECRET_ACCESS_KEY: env.S3_SECRET_ACCESS_KEY,
      },
    });
    const [deployment] = deployDocs<V1Deployment>('deployment.yaml', ns, clusterName);
    const pod = deployment!.spec!.template.spec!;
    const container = pod.containers[0]!;
    // The stack has no kube-proxy: pods reach the API server at the node's address, which its certificate names.
    const apiserver = new URL(env.KUBE_APISERVER!);
    container.image = OPERATOR_IMAGE;
    container.imagePullPolicy = 'Never';
    container.env!.push(
      { name: 'WATCH_NAMESPACE', value: ns },
      { name: 'SCORER_IMAGE_PULL_POLICY', value: 'Never' },
      { name: 'KUBERNETES_SERVICE_HOST', value: env.NODE_ADDRESS! },
      { name: 'KUBERNETES_SERVICE_PORT', value: apiserver.port },
      { name: 'LEASE_DURATION_SECONDS', value: '4' },
      { name: 'LEASE_RENEW_DEADLINE_MS', value: '3000' },
      { name: 'LEASE_RETRY_PERIOD_MS', value: '500' },
    );
    pod.nodeSelector = { 'kubernetes.io/hostname': env.STACK_NODE! };
    pod.terminationGracePeriodSeconds = 5;
    await admin.create(`/apis/apps/v1/namespaces/${ns}/deployments`, deployment);
  });

  afterAll(async () => {
    await cleanUp(ns, []);
    await removeClusterRbac(clusterName);
    await deleteTopicsWithPrefix(ns);
    await removeBucket(ns, ['v1.onnx']);
  });

  it('runs two replicas Ready, one of them holding the Lease', async () => {
    await eventually(
      'two operator pods Ready',
      async () => {
        const pods = (await operatorPods()).filter((p) =>
          p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
        );
        return pods.length === 2 ? pods : undefined;
      },
      90_000,
    ).catch(async (err) => {
      throw new Error(
        `${err}\n${JSON.stringify(
          (await operatorPods()).map((p) => p.status),
          null,
          1,
        ).slice(0, 3000)}`,
      );
    });
    const names = (await operatorPods()).map((p) => p.metadata.name);
    const leader = await eventually('a leader', async () => ((await holder()) ? holder() : undefined));
    expect(names).toContain(leader);
  });

  it('reconciles a FraudModel from inside the cluster, then hands over when the leader pod is deleted', async () => {
    const model = await uploadModel(ns, 'v1.onnx', [0.1, 0.2]);
    await admin.create(
      `/apis/fraud.payments.dev/v1alpha1/namespaces/${ns}/fraudmodels`,
      fraudModel('inside', ns, model),
    );
    const fm = await eventually('the FraudModel to be Ready', async () => {
      const got = await getModel(ns, 'inside');
      return got.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? got : undefined;
    });
    expect(fm.status?.stableVersion).toBe('v1');
    expect(Object.values(await childrenIn(ns)).map((l) => l.length)).toEqual([1, 1, 1, 1]);
    const leader = await holder();
    const deleted = Date.now();
    await admin.delete(`/api/v1/namespaces/${ns}/pods/${leader}`);
    const next = await eventually('another pod to hold the Lease', async () => {
      const h = await holder();
      return h && h !== leader ? h : undefined;
    });
    console.log(
      `in-cluster hand-over after deleting the leader pod: ${Date.now() - deleted} ms (SIGTERM releases the Lease)`,
    );
    expect((await operatorPods()).map((p) => p.metadata.name)).toContain(next);
  });
});

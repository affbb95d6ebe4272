import { randomUUID } from 'node:crypto';
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadStackEnv } from '../src/env.ts';

const env = loadStackEnv();
const kc = new k8s.KubeConfig();
kc.loadFromFile(env.KUBECONFIG);
const core = kc.makeApiClient(k8s.CoreV1Api);
const apps = kc.makeApiClient(k8s.AppsV1Api);
const rbac = kc.makeApiClient(k8s.RbacAuthorizationV1Api);
const ext = kc.makeApiClient(k8s.ApiextensionsV1Api);
const custom = kc.makeApiClient(k8s.CustomObjectsApi);

const namespace = `proof-${randomUUID().slice(0, 8)}`;
const group = `proof${randomUUID().slice(0, 8)}.example.com`;

async function eventually<T>(what: string, probe: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function status(p: Promise<unknown>): Promise<number> {
  try {
    await p;
    return 200;
  } catch (err) {
    if (err instanceof k8s.ApiException) return err.code;
    throw err;
  }
}

beforeAll(async () => {
  await core.createNamespace({ body: { metadata: { name: namespace } } });
});

afterAll(async () => {
  await core.deleteNamespace({ name: namespace }).catch(() => undefined);
  await ext.deleteCustomResourceDefinition({ name: `widgets.${group}` }).catch(() => undefined);
});

describe('Kubernetes control plane', () => {
  it('refuses an object that breaks a CRD CEL validation rule', async () => {
    await ext.createCustomResourceDefinition({
      body: {
        metadata: { name: `widgets.${group}` },
        spec: {
          group,
          scope: 'Namespaced',
          names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
          versions: [
            {
              name: 'v1',
              served: true,
              storage: true,
              schema: {
                openAPIV3Schema: {
                  type: 'object',
                  properties: {
                    spec: {
                      type: 'object',
                      properties: { min: { type: 'integer' }, max: { type: 'integer' } },
                      // client-node serializes by its own field names: x-kubernetes-validations is x_kubernetes_validations.
                      x_kubernetes_validations: [{ rule: 'self.min <= self.max', message: 'min must not exceed max' }],
                    },
                  },
                },
              },
            },
          ],
        },
      },
    });
    await eventually('the CRD to be established', async () => {
      const crd = await ext.readCustomResourceDefinition({ name: `widgets.${group}` });
      return crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') ? true : undefined;
    });
    const create = (min: number, max: number) =>
      custom.createNamespacedCustomObject({
        group,
        version: 'v1',
        namespace,
        plural: 'widgets',
        body: { apiVersion: `${group}/v1`, kind: 'Widget', metadata: { name: `w-${min}-${max}` }, spec: { min, max } },
      });
    await eventually('the new resource to be served', () => create(1, 2));
    try {
      await create(5, 2);
      expect.unreachable('the API server accepted an object that breaks the rule');
    } catch (err) {
      expect(err).toBeInstanceOf(k8s.ApiException);
      expect((err as k8s.ApiException<unknown>).code).toBe(422);
      expect(String((err as k8s.ApiException<unknown>).body)).toContain('min must not exceed max');
    }
  });

  it('runs a Deployment on the kwok node and garbage-collects it on delete', async () => {
    const labels = { app: 'proof' };
    await apps.createNamespacedDeployment({
      namespace,
      body: {
        metadata: { name: 'proof' },
        spec: {
          replicas: 2,
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: {
              nodeSelector: { type: 'kwok' },
              tolerations: [{ key: 'kwok.x-k8s.io/node', operator: 'Exists', effect: 'NoSchedule' }],
              containers: [{ name: 'app', image: 'proof:never-pulled' }],
            },
          },
        },
      },
    });
    await eventually('the Deployment to be Available', async () => {
      const d = await apps.readNamespacedDeployment({ name: 'proof', namespace });
      return d.status?.availableReplicas === 2 ? true : undefined;
    });
    const pods = await core.listNamespacedPod({ namespace, labelSelector: 'app=proof' });
    expect(pods.items).toHaveLength(2);
    for (const pod of pods.items) {
      expect(pod.spec?.nodeName).toBe(env.KWOK_NODE);
      expect(pod.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    }
    expect((await apps.listNamespacedReplicaSet({ namespace, labelSelector: 'app=proof' })).items).toHaveLength(1);

    await apps.deleteNamespacedDeployment({ name: 'proof', namespace, propagationPolicy: 'Background' });
    await eventually('the ReplicaSet and pods to be collected', async () => {
      const rs = await apps.listNamespacedReplicaSet({ namespace, labelSelector: 'app=proof' });
      const left = await core.listNamespacedPod({ namespace, labelSelector: 'app=proof' });
      return rs.items.length === 0 && left.items.length === 0 ? true : undefined;
    });
  });

  it('limits a ServiceAccount to what its Role grants', async () => {
    await core.createNamespacedServiceAccount({ namespace, body: { metadata: { name: 'reader' } } });
    await rbac.createNamespacedRole({
      namespace,
      body: {
        metadata: { name: 'pod-reader' },
        rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }],
      },
    });
    await rbac.createNamespacedRoleBinding({
      namespace,
      body: {
        metadata: { name: 'reader-pods' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pod-reader' },
        subjects: [{ kind: 'ServiceAccount', name: 'reader', namespace }],
      },
    });
    const token = await core.createNamespacedServiceAccountToken({
      name: 'reader',
      namespace,
      body: { spec: { audiences: [], expirationSeconds: 600 } },
    });
    const asReader = new k8s.KubeConfig();
    asReader.loadFromOptions({
      clusters: [{ ...kc.getCurrentCluster()!, name: 'local' }],
      users: [{ name: 'reader', token: token.status!.token }],
      contexts: [{ name: 'reader', cluster: 'local', user: 'reader' }],
      currentContext: 'reader',
    });
    const readerCore = asReader.makeApiClient(k8s.CoreV1Api);
    expect(await status(readerCore.listNamespacedPod({ namespace }))).toBe(200);
    expect(await status(readerCore.listNamespacedSecret({ namespace }))).toBe(403);
    expect(await status(readerCore.listNamespacedPod({ namespace: 'kube-system' }))).toBe(403);
    expect(await status(readerCore.deleteNamespacedPod({ name: 'any', namespace }))).toBe(403);
  });
});

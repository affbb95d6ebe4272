import type { V1Deployment, V1Volume } from '@kubernetes/client-node';

export interface RealNodeApp {
  name: string;
  image: string;
  /** The real node's name (STACK_NODE in .stack/env). */
  node: string;
  /** The image's numeric USER: Kubernetes takes the uid from the image but the group only from the pod spec. */
  uid: number;
  env: Record<string, string>;
  replicas?: number;
  memory?: string;
  terminationGracePeriodSeconds?: number;
  /** One read-only volume, mounted at `mountPath`. */
  volume?: { mountPath: string; source: Omit<V1Volume, 'name'> };
  port?: number;
}

/**
 * A Deployment of one of the project's images on the stack's real node, as the manifests run it: non-root, read-only
 * root file system, no privilege escalation, no capabilities, Ready by its own `/readyz` on port 8080.
 */
export function realNodeDeployment(app: RealNodeApp): V1Deployment {
  const labels = { app: app.name };
  return {
    metadata: { name: app.name },
    spec: {
      replicas: app.replicas ?? 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          nodeSelector: { 'kubernetes.io/hostname': app.node },
          terminationGracePeriodSeconds: app.terminationGracePeriodSeconds ?? 30,
          securityContext: { runAsNonRoot: true, runAsUser: app.uid, runAsGroup: app.uid },
          volumes: app.volume ? [{ name: 'mounted', ...app.volume.source }] : [],
          containers: [
            {
              name: app.name,
              image: app.image,
              imagePullPolicy: 'Never',
              env: Object.entries(app.env).map(([name, value]) => ({ name, value })),
              ports: [{ containerPort: app.port ?? 8080 }],
              volumeMounts: app.volume ? [{ name: 'mounted', mountPath: app.volume.mountPath, readOnly: true }] : [],
              securityContext: {
                readOnlyRootFilesystem: true,
                allowPrivilegeEscalation: false,
                capabilities: { drop: ['ALL'] },
              },
              readinessProbe: { httpGet: { path: '/readyz', port: app.port ?? 8080 }, periodSeconds: 1 },
              resources: { limits: { memory: app.memory ?? '256Mi' } },
            },
          ],
        },
      },
    },
  };
}

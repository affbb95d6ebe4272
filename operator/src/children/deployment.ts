import type { V1Deployment, V1EnvVar, V1Toleration } from '@kubernetes/client-node';
import type { Fleet, ScorerDefaults } from './fleet.ts';
import {
  CONFIG_FILE,
  CONFIG_MOUNT,
  fleetLabels,
  fleetName,
  METRICS_PORT,
  scorerGroup,
  selectorLabels,
} from './names.ts';
import { controllerRef } from './owner.ts';

/**
 * The scorer Deployment of one fleet. `replicas` is left out on purpose: the HPA owns it, and server-side apply
 * then never fights the autoscaler. The pod runs as non-root on a read-only root file system.
 */
export function deploymentFor(fleet: Fleet, defaults: ScorerDefaults): V1Deployment {
  const meta = fleet.owner.metadata!;
  const model = meta.name!;
  const { spec } = fleet.owner;
  const scorer = spec.scorer ?? {};
  const name = fleetName(model, fleet.model.version);
  const env: V1EnvVar[] = [
    { name: 'SCORER_CONFIG', value: `${CONFIG_MOUNT}/${CONFIG_FILE}` },
    { name: 'SCORER_GROUP_ID', value: scorerGroup(meta.namespace!, model, fleet.model.version) },
    {
      name: 'KAFKA_BROKERS',
      valueFrom: { secretKeyRef: { name: spec.kafka.bootstrapSecret, key: 'bootstrap' } },
    },
  ];
  const labels = fleetLabels(model, fleet.model.version);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name,
      namespace: meta.namespace!,
      labels,
      annotations: { 'fraud.payments.dev/role': fleet.role },
      ownerReferences: [controllerRef(fleet.owner)],
    },
    spec: {
      selector: { matchLabels: selectorLabels(model, fleet.model.version) },
      template: {
        metadata: { labels },
        spec: {
          ...(scorer.nodeSelector ? { nodeSelector: scorer.nodeSelector } : {}),
          ...(scorer.tolerations ? { tolerations: scorer.tolerations as V1Toleration[] } : {}),
          terminationGracePeriodSeconds: 30,
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001 },
          volumes: [{ name: 'config', configMap: { name: `${name}-config` } }],
          containers: [
            {
              name: 'scorer',
              image: scorer.image ?? defaults.image,
              imagePullPolicy: scorer.imagePullPolicy ?? defaults.imagePullPolicy,
              env,
              ...(scorer.runtimeSecret ? { envFrom: [{ secretRef: { name: scorer.runtimeSecret } }] } : {}),
              ports: [{ name: 'http', containerPort: METRICS_PORT, protocol: 'TCP' }],
              volumeMounts: [{ name: 'config', mountPath: CONFIG_MOUNT, readOnly: true }],
              readinessProbe: { httpGet: { path: '/readyz', port: METRICS_PORT }, periodSeconds: 2 },
              livenessProbe: {
                httpGet: { path: '/healthz', port: METRICS_PORT },
                periodSeconds: 10,
                failureThreshold: 6,
              },
              securityContext: {
                readOnlyRootFilesystem: true,
                allowPrivilegeEscalation: false,
                capabilities: { drop: ['ALL'] },
              },
              resources: {
                requests: { cpu: scorer.cpuRequest ?? '250m', memory: scorer.memoryLimit ?? '512Mi' },
                limits: { memory: scorer.memoryLimit ?? '512Mi' },
              },
            },
          ],
        },
      },
    },
  };
}

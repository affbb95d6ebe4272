import type { V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import type { Fleet } from './fleet.ts';
import { fleetLabels, fleetName } from './names.ts';
import { controllerRef } from './owner.ts';

/** CPU-based autoscaler of one fleet, its max capped by replicaBounds so all fleets fit the partitions. */
export function hpaFor(fleet: Fleet): V2HorizontalPodAutoscaler {
  const meta = fleet.owner.metadata!;
  const name = fleetName(meta.name!, fleet.model.version);
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: {
      name,
      namespace: meta.namespace!,
      labels: fleetLabels(meta.name!, fleet.model.version),
      ownerReferences: [controllerRef(fleet.owner)],
    },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      minReplicas: fleet.minReplicas,
      maxReplicas: fleet.maxReplicas,
      metrics: [
        {
          type: 'Resource',
          resource: {
            name: 'cpu',
            target: {
              type: 'Utilization',
              averageUtilization: fleet.owner.spec.scaling.targetCPUUtilizationPercentage ?? 70,
            },
          },
        },
      ],
    },
  };
}

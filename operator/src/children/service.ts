import type { V1Service } from '@kubernetes/client-node';
import type { Fleet } from './fleet.ts';
import { fleetLabels, fleetName, METRICS_PORT, selectorLabels } from './names.ts';
import { controllerRef } from './owner.ts';

/** The metrics Service of one fleet (Prometheus scrapes /metrics through it). */
export function serviceFor(fleet: Fleet): V1Service {
  const meta = fleet.owner.metadata!;
  const model = meta.name!;
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: fleetName(model, fleet.model.version),
      namespace: meta.namespace!,
      labels: fleetLabels(model, fleet.model.version),
      annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(METRICS_PORT) },
      ownerReferences: [controllerRef(fleet.owner)],
    },
    spec: {
      selector: selectorLabels(model, fleet.model.version),
      ports: [{ name: 'http-metrics', port: METRICS_PORT, targetPort: 'http', protocol: 'TCP' }],
    },
  };
}

/** REST paths of the kinds the operator touches. */
export const GROUP = 'fraud.payments.dev';
export const VERSION = 'v1alpha1';
export const API_VERSION = `${GROUP}/${VERSION}`;

export interface Kind {
  apiVersion: string;
  kind: string;
  plural: string;
}

export const KINDS = {
  FraudModel: { apiVersion: API_VERSION, kind: 'FraudModel', plural: 'fraudmodels' },
  Deployment: { apiVersion: 'apps/v1', kind: 'Deployment', plural: 'deployments' },
  HorizontalPodAutoscaler: {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    plural: 'horizontalpodautoscalers',
  },
  Service: { apiVersion: 'v1', kind: 'Service', plural: 'services' },
  ConfigMap: { apiVersion: 'v1', kind: 'ConfigMap', plural: 'configmaps' },
  Lease: { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', plural: 'leases' },
  Event: { apiVersion: 'events.k8s.io/v1', kind: 'Event', plural: 'events' },
} as const satisfies Record<string, Kind>;

const prefix = (apiVersion: string): string =>
  apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;

/** `namespace` undefined lists across all namespaces. */
export function collectionPath(kind: Kind, namespace: string | undefined): string {
  return namespace === undefined
    ? `${prefix(kind.apiVersion)}/${kind.plural}`
    : `${prefix(kind.apiVersion)}/namespaces/${encodeURIComponent(namespace)}/${kind.plural}`;
}

export function objectPath(kind: Kind, namespace: string, name: string): string {
  return `${collectionPath(kind, namespace)}/${encodeURIComponent(name)}`;
}

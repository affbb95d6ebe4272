import { createHash } from 'node:crypto';

export const FIELD_MANAGER = 'fraud-operator';
export const FINALIZER = 'fraud.payments.dev/kafka-topics';
export const LABELS = {
  name: 'app.kubernetes.io/name',
  instance: 'app.kubernetes.io/instance',
  managedBy: 'app.kubernetes.io/managed-by',
  component: 'app.kubernetes.io/component',
  model: 'fraud.payments.dev/model',
  version: 'fraud.payments.dev/version',
} as const;
export const CONFIG_FILE = 'scorer.json';
export const CONFIG_MOUNT = '/config';
export const METRICS_PORT = 8080;

const hash6 = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 6);

/**
 * The name of one version's children (Deployment, HPA, Service, ConfigMap): `<model>-<version>` when that is a
 * valid DNS label as it stands, else a lower-cased, truncated form with a hash of the exact version, so that two
 * versions that differ only in case or punctuation never share children.
 */
export function fleetName(model: string, version: string): string {
  const slug = version
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const plain = `${model}-${slug}`;
  if (slug === version && plain.length <= 63) return plain;
  return `${plain.slice(0, 56).replace(/-+$/, '')}-${hash6(version)}`;
}

export function selectorLabels(model: string, version: string): Record<string, string> {
  return { [LABELS.model]: model, [LABELS.version]: version };
}

export function fleetLabels(model: string, version: string): Record<string, string> {
  return {
    [LABELS.name]: 'scorer',
    [LABELS.instance]: model,
    [LABELS.managedBy]: FIELD_MANAGER,
    [LABELS.component]: 'scorer',
    ...selectorLabels(model, version),
  };
}

/** Topic of one version's score stream. */
/** The Kafka consumer group of a version's scorer fleet. */
export const scorerGroup = (namespace: string, model: string, version: string): string =>
  `${namespace}.${model}.${version}`;

export const scoreTopic = (prefix: string, version: string): string => `${prefix}.${version}`;

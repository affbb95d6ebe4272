// Generates helm/fraud-operator/values.schema.json: `npx node helm/scripts/values-schema.ts [--check]`.
// Every object refuses unknown keys (additionalProperties: false). sample.spec is derived from the FraudModel CRD
// (crds/fraudmodels.yaml), so the chart cannot drift from it; helm/test/values-schema.test.ts runs --check.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parse } from 'yaml';

type Schema = Record<string, unknown>;

const ROOT = join(import.meta.dirname, '..', '..');
export const SCHEMA_FILE = join(ROOT, 'helm', 'fraud-operator', 'values.schema.json');
const CRD_FILE = join(ROOT, 'crds', 'fraudmodels.yaml');

const obj = (properties: Record<string, Schema>, extra: Schema = {}): Schema => ({
  type: 'object',
  additionalProperties: false,
  properties,
  ...extra,
});
const str = (extra: Schema = {}): Schema => ({ type: 'string', ...extra });
const bool = (): Schema => ({ type: 'boolean' });
const int = (minimum: number, extra: Schema = {}): Schema => ({ type: 'integer', minimum, ...extra });
const port = (): Schema => int(1, { maximum: 65535 });
const stringMap = (): Schema => ({ type: 'object', additionalProperties: { type: 'string' } });
const listOfObjects = (): Schema => ({ type: 'array', items: { type: 'object' } });
const k8sObject = (): Schema => ({ type: 'object' });
const dns1123 = (): Schema => str({ maxLength: 63, pattern: '^([a-z0-9]([-a-z0-9]*[a-z0-9])?)?$' });
const size = (): Schema => str({ pattern: '^[0-9]+(B|KiB|MiB|GiB)?$' });
const duration = (): Schema => str({ pattern: '^[0-9]+(ms|s|m|h|d)$' });
const logLevel = (): Schema => ({ enum: ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] });

const image = (): Schema =>
  obj(
    {
      repository: str({ minLength: 1 }),
      tag: str({ pattern: '^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$|^$' }),
      pullPolicy: { enum: ['Always', 'IfNotPresent', 'Never'] },
    },
    { required: ['repository'] },
  );

/** What every workload shares: placement, resources, pod annotations, extra environment. */
const workload = (): Record<string, Schema> => ({
  extraEnv: listOfObjects(),
  resources: obj({ requests: stringMapOrNumbers(), limits: stringMapOrNumbers() }),
  nodeSelector: stringMap(),
  tolerations: listOfObjects(),
  affinity: k8sObject(),
  podAnnotations: stringMap(),
});

function stringMapOrNumbers(): Schema {
  return { type: 'object', additionalProperties: { type: ['string', 'number'] } };
}

/** The CRD's spec schema as JSON Schema: no Kubernetes extensions, closed objects, bootstrapSecret optional. */
export function fraudModelSpecSchema(crdYaml: string): Schema {
  const crd = parse(crdYaml) as {
    spec: { versions: { storage: boolean; schema: { openAPIV3Schema: Schema } }[] };
  };
  const version = crd.spec.versions.find((v) => v.storage);
  if (!version) throw new Error(`${CRD_FILE}: no storage version`);
  const spec = (version.schema.openAPIV3Schema.properties as Record<string, Schema>).spec;
  if (!spec) throw new Error(`${CRD_FILE}: no spec schema`);
  const converted = toJsonSchema(spec);
  const kafka = (converted.properties as Record<string, Schema>).kafka as Schema;
  kafka.required = (kafka.required as string[]).filter((k) => k !== 'bootstrapSecret');
  return converted;
}

function toJsonSchema(node: Schema): Schema {
  const out: Schema = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'x-kubernetes-validations') {
      // A CEL `self.matches('…')` rule is a JSON Schema pattern; other CEL rules are left to the API server.
      for (const { rule } of value as { rule: string }[]) {
        const m = /^self\.matches\('([^']+)'\)$/.exec(rule);
        if (m) out.pattern = m[1];
      }
      continue;
    }
    if (key.startsWith('x-kubernetes-') || key === 'format' || key === 'default') continue;
    if (key === 'properties') {
      out.properties = Object.fromEntries(
        Object.entries(value as Record<string, Schema>).map(([k, v]) => [k, toJsonSchema(v)]),
      );
    } else if (key === 'items') {
      out.items = toJsonSchema(value as Schema);
    } else {
      out[key] = value;
    }
  }
  if (out.type === 'object' && out.properties) out.additionalProperties = false;
  return out;
}

export function valuesSchema(crdYaml: string): Schema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'fraud-operator chart values',
    ...obj({
      nameOverride: dns1123(),
      fullnameOverride: dns1123(),
      commonLabels: stringMap(),
      imagePullSecrets: {
        type: 'array',
        items: obj({ name: str({ minLength: 1 }) }, { required: ['name'] }),
      },
      crds: obj({ enabled: bool(), keep: bool() }),
      kafka: obj({
        bootstrap: str({ pattern: '^[^,\\s]+:[0-9]+(,[^,\\s]+:[0-9]+)*$' }),
        existingSecret: str(),
        transactionsTopic: str({ pattern: '^[A-Za-z0-9._-]{1,249}$' }),
      }),
      redis: obj({
        url: str({ pattern: '^rediss?://' }),
        existingSecret: str(),
        featureStateUrl: str({ pattern: '^(rediss?://|$)' }),
      }),
      s3: obj({
        endpoint: str({ pattern: '^(https?://.+)?$' }),
        region: str({ minLength: 1 }),
        credentials: obj({ existingSecret: str(), accessKeyId: str(), secretAccessKey: str() }),
      }),
      operator: obj({
        enabled: bool(),
        image: image(),
        replicas: int(0),
        leaderElection: obj({
          leaseName: dns1123(),
          leaseDurationSeconds: int(2),
          renewDeadlineMs: int(500),
          retryPeriodMs: int(100),
        }),
        watchNamespace: dns1123(),
        scorerImage: image(),
        port: port(),
        serviceAccount: obj({ create: bool(), name: str(), annotations: stringMap() }),
        tmpSizeLimit: str({ pattern: '^[0-9]+(Ki|Mi|Gi|Ti)?$' }),
        ...workload(),
      }),
      scorerRuntimeSecret: obj({ create: bool() }),
      api: obj({
        enabled: bool(),
        image: image(),
        replicas: int(0),
        port: port(),
        service: obj({ type: { enum: ['ClusterIP', 'NodePort', 'LoadBalancer'] }, port: port() }),
        auth: obj({
          issuer: str({ minLength: 1 }),
          audience: str({ minLength: 1 }),
          algorithms: {
            type: 'array',
            minItems: 1,
            items: { enum: ['ES256', 'ES384', 'ES512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'EdDSA'] },
          },
          jwksUrl: str({ pattern: '^(https?://.+)?$' }),
          jwks: str(),
          existingSecret: str(),
        }),
        rateLimitPerMinute: int(1),
        maxWaitMs: int(0),
        scoreWaitMs: int(0),
        logLevel: logLevel(),
        ...workload(),
      }),
      archiver: obj({
        enabled: bool(),
        image: image(),
        replicas: int(0),
        port: port(),
        bucket: str({ pattern: '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$' }),
        prefix: str(),
        groupId: str({ minLength: 1 }),
        window: duration(),
        objectMaxBytes: size(),
        objectMaxAge: duration(),
        encryption: obj({
          mode: { enum: ['aes-256-gcm', 'envelope'] },
          key: str({ pattern: '^([A-Za-z0-9._-]+:[A-Za-z0-9+/=]+)?$' }),
          recipients: str(),
          existingSecret: str(),
        }),
        logLevel: logLevel(),
        ...workload(),
      }),
      serviceMonitor: obj({ enabled: bool(), interval: duration(), labels: stringMap() }),
      monitoring: obj({
        prometheusRule: obj({ enabled: bool(), labels: stringMap() }),
        grafanaDashboard: obj({ enabled: bool(), labels: stringMap(), annotations: stringMap(), namespace: dns1123() }),
      }),
      networkPolicy: obj({ enabled: bool(), apiFrom: listOfObjects(), metricsFrom: listOfObjects() }),
      podDisruptionBudget: obj({ enabled: bool(), maxUnavailable: int(1) }),
      sample: obj({ enabled: bool(), name: dns1123(), spec: fraudModelSpecSchema(crdYaml) }),
    }),
  };
}

export const renderSchema = (crdYaml: string): string => `${JSON.stringify(valuesSchema(crdYaml), null, 2)}\n`;

if (import.meta.main) {
  const text = renderSchema(readFileSync(CRD_FILE, 'utf8'));
  if (process.argv.includes('--check')) {
    // Compared as JSON, not text: biome may reformat the file.
    if (!isDeepStrictEqual(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')), JSON.parse(text))) {
      console.error(`${SCHEMA_FILE} is stale: run \`npx node helm/scripts/values-schema.ts\``);
      process.exit(1);
    }
  } else {
    writeFileSync(SCHEMA_FILE, text);
    console.log(`wrote ${SCHEMA_FILE}`);
  }
}

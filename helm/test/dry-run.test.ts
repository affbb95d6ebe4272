// The rendered chart against the real kube-apiserver: `kubectl apply --dry-run=server` of the default render and
// of every optional part the stack can take; then the operator's RBAC for real, probed with `kubectl auth can-i`.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { REPO_ROOT } from '@fraud-operator/stack/env';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectl, ok, render, sets } from './tools.ts';

const namespace = `helm-dry-${randomUUID().slice(0, 8)}`;
const release = `dry-${randomUUID().slice(0, 6)}`;

beforeAll(() => {
  ok(kubectl(['create', 'namespace', namespace]), 'create namespace');
});
afterAll(() => {
  kubectl(['delete', 'clusterrole,clusterrolebinding', '-l', `app.kubernetes.io/instance=${release}`]);
  kubectl(['delete', 'namespace', namespace, '--wait=false']);
});

function serverDryRun(args: string[]) {
  const docs = render([...args, '--namespace', namespace]);
  const r = kubectl(
    ['apply', '--dry-run=server', '-n', namespace, '-f', '-'],
    docs.map((d) => JSON.stringify(d)).join('\n'),
  );
  return { docs, ...r };
}

describe('the rendered chart on the real kube-apiserver', () => {
  it('the default render is accepted by a server-side dry run, every object', () => {
    const r = serverDryRun([]);
    expect(r.code, r.err).toBe(0);
    const accepted = r.out.split('\n').filter((l) => l.endsWith('(server dry run)'));
    expect(accepted).toHaveLength(r.docs.length);
  });

  it('so are the optional parts: inline keys, S3 credentials, envelope mode, two operators, no CRD', () => {
    const r = serverDryRun([
      ...sets({
        'crds.enabled': false,
        'operator.replicas': 3,
        'scorerRuntimeSecret.create': true,
        's3.credentials.accessKeyId': 'AK',
        's3.credentials.secretAccessKey': 'SK',
        's3.endpoint': 'http://s3.example:9000',
        'archiver.encryption.mode': 'envelope',
        'networkPolicy.apiFrom[0].podSelector.matchLabels.app': 'gateway',
      }),
      '--set-json',
      `api.auth.jwks=${JSON.stringify('{"keys":[]}')}`,
      '--set-json',
      `archiver.encryption.recipients=${JSON.stringify('{"keys":[]}')}`,
    ]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain(`secret/fraud-fraud-operator-s3 created (server dry run)`);
    expect(r.out).not.toContain('customresourcedefinition');
  });

  it('a bad object is refused by the server, so the dry run can fail', () => {
    const r = serverDryRun(sets({ 'api.port': 0 }).concat(['--set', 'api.replicas=-1', '--skip-schema-validation']));
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/Invalid value|invalid/);
  });
});

describe("the operator's RBAC, applied for real, grants what it needs and nothing more", () => {
  const sa = () => `system:serviceaccount:${namespace}:fraud-fraud-operator-operator`;
  /** `resource` may name a subresource as `kind/sub` (passed as --subresource; TYPE/NAME would mean an object). */
  const can = (verb: string, resource: string, ns?: string) => {
    const [type, sub] = resource.split('/');
    return kubectl([
      'auth',
      'can-i',
      verb,
      type!,
      ...(sub ? ['--subresource', sub] : []),
      '--as',
      sa(),
      ...(ns ? ['-n', ns] : ['--all-namespaces']),
    ]).out.trim();
  };

  beforeAll(() => {
    // `can-i` resolves a resource through discovery, so the CRD must be served (created if absent, never changed).
    if (kubectl(['get', 'crd', 'fraudmodels.fraud.payments.dev']).code !== 0) {
      ok(kubectl(['create', '-f', join(REPO_ROOT, 'crds', 'fraudmodels.yaml')]), 'create the CRD');
      ok(kubectl(['wait', '--for=condition=Established', 'crd/fraudmodels.fraud.payments.dev']), 'CRD established');
    }
    const docs = render(['--namespace', namespace, '--set', `fullnameOverride=fraud-fraud-operator`]).filter((d) =>
      ['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'].includes(d.kind),
    );
    for (const d of docs) d.metadata.labels = { ...d.metadata.labels, 'app.kubernetes.io/instance': release };
    ok(kubectl(['apply', '-n', namespace, '-f', '-'], docs.map((d) => JSON.stringify(d)).join('\n')), 'apply the RBAC');
  });

  it('reads and updates FraudModels and their status in every namespace', () => {
    for (const [verb, resource] of [
      ['watch', 'fraudmodels.fraud.payments.dev'],
      ['patch', 'fraudmodels.fraud.payments.dev'],
      ['update', 'fraudmodels.fraud.payments.dev/status'],
      ['update', 'fraudmodels.fraud.payments.dev/finalizers'],
    ]) {
      expect(can(verb!, resource!), `${verb} ${resource}`).toBe('yes');
    }
    expect(can('patch', 'fraudmodels.fraud.payments.dev/status')).toBe('no');
    expect(can('create', 'fraudmodels.fraud.payments.dev')).toBe('no');
    expect(can('delete', 'fraudmodels.fraud.payments.dev')).toBe('no');
  });

  it('manages its children (Deployments, HPAs, ConfigMaps, Services), records Events, never touches Secrets', () => {
    for (const resource of ['deployments.apps', 'horizontalpodautoscalers.autoscaling', 'configmaps', 'services']) {
      expect(can('create', resource), resource).toBe('yes');
      expect(can('patch', resource), resource).toBe('yes');
      expect(can('delete', resource), resource).toBe('yes');
    }
    expect(can('create', 'events.events.k8s.io')).toBe('yes');
    for (const verb of ['get', 'list', 'create', 'delete']) expect(can(verb, 'secrets'), `${verb} secrets`).toBe('no');
  });

  it('cannot touch pods, RBAC, nodes or CRDs, and holds Leases only in its own namespace', () => {
    expect(can('create', 'pods')).toBe('no');
    expect(can('create', 'pods/exec')).toBe('no');
    expect(can('create', 'clusterroles.rbac.authorization.k8s.io')).toBe('no');
    expect(can('bind', 'clusterroles.rbac.authorization.k8s.io')).toBe('no');
    expect(can('patch', 'nodes')).toBe('no');
    expect(can('delete', 'customresourcedefinitions.apiextensions.k8s.io')).toBe('no');
    expect(can('update', 'leases.coordination.k8s.io', namespace)).toBe('yes');
    expect(can('update', 'leases.coordination.k8s.io', 'kube-system')).toBe('no');
  });
});

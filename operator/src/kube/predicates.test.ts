import type { KubernetesObject, V1ManagedFieldsEntry } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { childChangedByOthers, fraudModelChanged } from './predicates.ts';

const fm = (meta: Record<string, unknown>): KubernetesObject => ({ metadata: { name: 'fm', generation: 1, ...meta } });

describe('fraudModelChanged', () => {
  it.each([
    ['a new object', undefined, fm({}), true],
    ['a status write (same generation)', fm({ resourceVersion: '1' }), fm({ resourceVersion: '2' }), false],
    ['a spec change', fm({}), fm({ generation: 2 }), true],
    ['a pause annotation', fm({}), fm({ annotations: { 'fraud.payments.dev/pause-rollout': 'true' } }), true],
    ['a finalizer added', fm({}), fm({ finalizers: ['x'] }), true],
    ['deletion requested', fm({}), fm({ deletionTimestamp: '2026-01-01T00:00:00Z' }), true],
  ])('%s → %s', (_name, old, obj, expected) => {
    expect(fraudModelChanged(old, obj)).toBe(expected);
  });
});

const entry = (manager: string, time: string, extra: Partial<V1ManagedFieldsEntry> = {}): V1ManagedFieldsEntry => ({
  manager,
  operation: 'Apply',
  time: new Date(time),
  fieldsV1: { f: manager },
  ...extra,
});
const child = (...managedFields: V1ManagedFieldsEntry[]): KubernetesObject => ({
  metadata: { name: 'c', managedFields },
});

describe('childChangedByOthers', () => {
  const ours1 = entry('fraud-operator', '2026-01-01T00:00:00Z');
  const ours2 = entry('fraud-operator', '2026-01-01T00:00:05Z');
  const kcm = entry('kube-controller-manager', '2026-01-01T00:00:00Z', { operation: 'Update', subresource: 'status' });
  const kcm2 = { ...kcm, time: new Date('2026-01-01T00:00:09Z') };
  it.each([
    ['added', undefined, child(ours1), true],
    ['our own apply', child(ours1, kcm), child(ours2, kcm), false],
    ['the Deployment controller writing status', child(ours1, kcm), child(ours1, kcm2), true],
    ['a hand edit by kubectl', child(ours1), child(ours1, entry('kubectl-edit', '2026-01-01T00:01:00Z')), true],
    [
      'a hand edit that only changes fields another manager owned',
      child(ours1, entry('kubectl-edit', '2026-01-01T00:01:00Z')),
      child(ours1, entry('kubectl-edit', '2026-01-01T00:02:00Z')),
      true,
    ],
  ])('%s → %s', (_name, old, obj, expected) => {
    expect(childChangedByOthers(old, obj, 'fraud-operator')).toBe(expected);
  });

  it('always passes a child being deleted', () => {
    const deleting = { metadata: { ...child(ours1).metadata, deletionTimestamp: new Date() } };
    expect(childChangedByOthers(child(ours1), deleting, 'fraud-operator')).toBe(true);
  });
});

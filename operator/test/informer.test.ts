// The operator's informer against the real API server: list + watch, reconnect after a silent watch without losing
// a change, and a stopped informer that resumes from its resourceVersion after etcd was compacted past it. (This
// API server's watch cache still serves that history, so it answers with the missed events rather than 410 Gone;
// the 410 path, a relist emitting every difference, is the same code as the first list.)
import { readState } from '@fraud-operator/stack/state';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Informer, type InformerEvent } from '../src/kube/informer.ts';
import { KubeRest } from '../src/kube/rest.ts';
import { admin, deleteNamespace, env, eventually, kc, uid } from './helpers.ts';

const ns = uid('op-informer');
const cms = `/api/v1/namespaces/${ns}/configmaps`;
const seen: [InformerEvent, string][] = [];
let informer: Informer<{ metadata?: { name?: string; namespace?: string; resourceVersion?: string } }>;

const cm = (name: string, value = '1') => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name },
  data: { value },
});
const saw = (event: InformerEvent, name: string) =>
  eventually(
    `${event} ${name}`,
    async () => (seen.some(([e, n]) => e === event && n === name) ? true : undefined),
    15_000,
  );

/** Compacts etcd at its current revision, as the API server does every few minutes. */
async function compactEtcd(): Promise<void> {
  const port = readState()?.ports?.etcd;
  if (!port) throw new Error('no etcd port in the stack state');
  const range = await fetch(`http://127.0.0.1:${port}/v3/kv/range`, {
    method: 'POST',
    body: JSON.stringify({ key: 'AA==' }),
  });
  const revision = ((await range.json()) as { header: { revision: string } }).header.revision;
  const compacted = await fetch(`http://127.0.0.1:${port}/v3/kv/compaction`, {
    method: 'POST',
    body: JSON.stringify({ revision, physical: true }),
  });
  if (!compacted.ok) throw new Error(`etcd compaction: ${compacted.status} ${await compacted.text()}`);
}

describe('Informer', () => {
  beforeAll(async () => {
    void env;
    await admin.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    await admin.create(cms, cm('before'));
    informer = new Informer(new KubeRest(kc), cms, pino({ level: 'silent' }), { silenceMs: 1_000 });
    informer.on((event, obj) => seen.push([event, obj.metadata?.name ?? '']));
    informer.start();
    await informer.hasSynced();
  });

  afterAll(async () => {
    informer?.stop();
    await deleteNamespace(ns);
  });

  it('lists what exists, then watches additions, changes and deletions', async () => {
    await saw('added', 'before');
    await admin.create(cms, cm('a'));
    await saw('added', 'a');
    await admin.mergePatch(`${cms}/a`, { data: { value: '2' } });
    await saw('modified', 'a');
    await admin.delete(`${cms}/before`);
    await saw('deleted', 'before');
    expect(
      informer
        .list()
        .map((o) => o.metadata?.name)
        .sort(),
    ).toEqual(['a', 'kube-root-ca.crt']);
  });

  it('reopens a silent watch from its resourceVersion and loses nothing', async () => {
    const watches = informer.stats.watches;
    await new Promise((r) => setTimeout(r, 2_500));
    expect(informer.stats.watches).toBeGreaterThan(watches);
    expect(informer.stats.lists).toBe(1);
    await admin.create(cms, cm('after-silence'));
    await saw('added', 'after-silence');
  });

  it('resumes after a stop and an etcd compaction, emitting exactly the changes it missed', async () => {
    informer.stop();
    await new Promise((r) => setTimeout(r, 200));
    await admin.create(cms, cm('while-away'));
    await admin.delete(`${cms}/a`);
    await admin.mergePatch(`${cms}/after-silence`, { data: { value: 'changed' } });
    await compactEtcd();
    seen.length = 0;
    informer.start();
    await saw('added', 'while-away');
    await saw('deleted', 'a');
    await saw('modified', 'after-silence');
    expect(
      informer
        .list()
        .map((o) => o.metadata?.name)
        .sort(),
    ).toEqual(['after-silence', 'kube-root-ca.crt', 'while-away']);
  });
});

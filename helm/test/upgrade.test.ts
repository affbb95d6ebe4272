// Upgrading from the previous chart version keeps the custom resources: the previous chart (from git, packaged with
// `helm package`) is installed, FraudModels are created, then the release is upgraded to this working tree's chart,
// then upgraded with crds.enabled=false, then uninstalled; the CRD and every FraudModel survive each step unchanged.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '@fraud-operator/stack/env';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CHART_DIR, helm, kubectl, ok, sets } from './tools.ts';

const id = randomUUID().slice(0, 8);
const namespace = `helm-up-${id}`;
const release = `up-${id}`;
const work = mkdtempSync(join(tmpdir(), 'helm-up-'));
const CHART_PATH = 'helm/fraud-operator';
const CRD = 'crd/fraudmodels.fraud.payments.dev';
const lightweight = sets({ 'operator.enabled': false, 'api.enabled': false, 'archiver.enabled': false });

/**
 * The previous chart: HELM_PREVIOUS_REF (default HEAD) from git, packaged. Until the chart's first commit, HEAD has
 * no chart and the working tree itself is the previous version (the test then proves the upgrade mechanics only).
 */
function previousChart(): { tgz: string; source: string } {
  const ref = process.env.HELM_PREVIOUS_REF ?? 'HEAD';
  const inGit =
    spawnSync('git', ['cat-file', '-e', `${ref}:${CHART_PATH}/Chart.yaml`], { cwd: REPO_ROOT }).status === 0;
  let dir = CHART_DIR;
  if (inGit) {
    const tar = spawnSync('sh', ['-c', `git archive ${ref} ${CHART_PATH} | tar -x -C '${work}'`], { cwd: REPO_ROOT });
    if (tar.status !== 0) throw new Error(`git archive ${ref} ${CHART_PATH} failed: ${tar.stderr}`);
    dir = join(work, CHART_PATH);
  }
  const out = ok(helm(['package', dir, '-d', work]), 'helm package');
  const tgz = /saved it to: (\S+)/.exec(out)?.[1];
  if (!tgz || !existsSync(tgz)) throw new Error(`helm package printed no archive: ${out}`);
  return { tgz, source: inGit ? `git ${ref}` : 'the working tree (no chart in git yet)' };
}

interface Obj {
  metadata: { name: string; uid: string; annotations?: Record<string, string> };
  spec: unknown;
}

const fraudModels = (): Obj[] =>
  JSON.parse(ok(kubectl(['get', 'fraudmodels', '-n', namespace, '-o', 'json']), 'get fraudmodels')).items;
const crd = (): Obj => JSON.parse(ok(kubectl(['get', CRD, '-o', 'json']), 'get crd'));

let before: Obj[] = [];

describe('helm upgrade from the previous chart version', () => {
  beforeAll(() => {
    const previous = previousChart();
    const version = /fraud-operator-([^/]+)\.tgz$/.exec(previous.tgz)?.[1];
    console.log(`previous chart ${version} from ${previous.source}`);
    ok(kubectl(['create', 'namespace', namespace]), 'create namespace');
    ok(
      helm([
        'install',
        release,
        previous.tgz,
        '-n',
        namespace,
        ...lightweight,
        '--take-ownership',
        '--wait',
        '--timeout',
        '60s',
      ]),
      'helm install of the previous chart',
    );
    ok(kubectl(['wait', '--for=condition=Established', CRD, '--timeout=30s']), 'CRD established');
    const valid = parse(readFileSync(join(REPO_ROOT, 'crds', 'examples', 'valid.yaml'), 'utf8'));
    for (const name of ['card-fraud', 'card-fraud-eu']) {
      ok(
        kubectl(['apply', '-n', namespace, '-f', '-'], JSON.stringify({ ...valid, metadata: { name } })),
        'apply FraudModel',
      );
    }
    before = fraudModels();
    expect(before).toHaveLength(2);
  }, 180_000);

  afterAll(() => {
    helm(['uninstall', release, '-n', namespace]);
    // The FraudModels go with their namespace; the CRD stays (it is kept, and other tests share it).
    kubectl(['delete', 'namespace', namespace, '--wait=false']);
    rmSync(work, { recursive: true, force: true });
  });

  const expectUnchanged = () => {
    const after = fraudModels();
    expect(after.map((o) => [o.metadata.name, o.metadata.uid]).sort()).toEqual(
      before.map((o) => [o.metadata.name, o.metadata.uid]).sort(),
    );
    expect(after.map((o) => o.spec)).toEqual(before.map((o) => o.spec));
  };

  it('upgrades to this chart with the CRD kept and every FraudModel unchanged (same uid, same spec)', () => {
    const crdUid = crd().metadata.uid;
    ok(
      helm(['upgrade', release, CHART_DIR, '-n', namespace, ...lightweight, '--wait', '--timeout', '60s']),
      'helm upgrade',
    );
    const history = JSON.parse(ok(helm(['history', release, '-n', namespace, '-o', 'json']), 'helm history'));
    expect(history.map((h: { status: string }) => h.status)).toEqual(['superseded', 'deployed']);
    expect(crd().metadata.uid).toBe(crdUid);
    expect(crd().metadata.annotations?.['helm.sh/resource-policy']).toBe('keep');
    expectUnchanged();
  });

  it('keeps the CRD and the FraudModels when an upgrade turns crds.enabled off', () => {
    const crdUid = crd().metadata.uid;
    ok(
      helm(['upgrade', release, CHART_DIR, '-n', namespace, ...lightweight, ...sets({ 'crds.enabled': false })]),
      'helm upgrade crds.enabled=false',
    );
    expect(ok(helm(['get', 'manifest', release, '-n', namespace]), 'manifest')).not.toContain(
      'CustomResourceDefinition',
    );
    expect(crd().metadata.uid).toBe(crdUid);
    expectUnchanged();
  });

  it('keeps them on uninstall', () => {
    const crdUid = crd().metadata.uid;
    ok(helm(['uninstall', release, '-n', namespace, '--wait']), 'helm uninstall');
    expect(crd().metadata.uid).toBe(crdUid);
    expectUnchanged();
  });
});

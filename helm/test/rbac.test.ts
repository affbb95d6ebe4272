// The chart's operator RBAC equals operator/deploy/ (the operator's own manifests): the same (apiGroup, resource,
// verb) grants in the ClusterRole, and in the leader-election Role.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '@fraud-operator/stack/env';
import { describe, expect, it } from 'vitest';
import { byKind, type K8sObject, parseDocuments, render } from './tools.ts';

const deployDir = join(REPO_ROOT, 'operator', 'deploy');
const manifests = existsSync(deployDir)
  ? readdirSync(deployDir)
      .filter((f) => /\.ya?ml$/.test(f))
      .flatMap((f) => parseDocuments(readFileSync(join(deployDir, f), 'utf8')))
  : [];

interface Rule {
  apiGroups?: string[];
  resources?: string[];
  verbs: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

/** Every grant as one "group/resource[:names] verb" string, so that rule layout does not matter. */
export function grants(roles: K8sObject[]): string[] {
  const out = new Set<string>();
  for (const role of roles) {
    for (const r of (role.rules ?? []) as Rule[]) {
      for (const g of r.apiGroups ?? ['']) {
        for (const res of r.resources ?? r.nonResourceURLs ?? []) {
          for (const v of r.verbs)
            out.add(`${g}/${res}${r.resourceNames ? `:${[...r.resourceNames].sort()}` : ''} ${v}`);
        }
      }
    }
  }
  return [...out].sort();
}

const chart = render();

describe.skipIf(manifests.length === 0)('operator RBAC: chart = operator/deploy', () => {
  it('the ClusterRole grants the same, no more and no less', () => {
    expect(grants(byKind(chart, 'ClusterRole'))).toEqual(grants(byKind(manifests, 'ClusterRole')));
  });

  it('the leader-election Role grants the same', () => {
    expect(grants(byKind(chart, 'Role'))).toEqual(grants(byKind(manifests, 'Role')));
  });
});

describe.runIf(manifests.length === 0)('operator RBAC: chart = operator/deploy', () => {
  it.skip(`skipped: ${deployDir} has no manifests yet (the operator's RBAC is being written)`, () => {});
});

describe('the grants helper', () => {
  it('expands rules into one string per grant, whatever their layout', () => {
    const a = { rules: [{ apiGroups: ['apps'], resources: ['deployments', 'x'], verbs: ['get', 'list'] }] };
    const b = {
      rules: [
        { apiGroups: ['apps'], resources: ['x'], verbs: ['list', 'get'] },
        { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list'] },
      ],
    };
    expect(grants([a as unknown as K8sObject])).toEqual(grants([b as unknown as K8sObject]));
    expect(grants([a as unknown as K8sObject])).not.toEqual(grants([{ rules: [] } as unknown as K8sObject]));
  });
});

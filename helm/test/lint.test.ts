// helm lint, the values schema (generated from the CRD, refusing unknown keys) and the values' documentation.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isMap, isScalar, parseDocument, type YAMLMap } from 'yaml';
import { CHART_DIR, helm, render, sets } from './tools.ts';

describe('the chart passes helm lint and its schema', () => {
  it('lints clean with --strict, with the defaults and with every optional part on', () => {
    for (const extra of [
      [],
      [
        ...sets({ 'serviceMonitor.enabled': true, 's3.credentials.existingSecret': 's' }),
        '--set-json',
        `api.auth.jwks=${JSON.stringify('{"keys":[]}')}`,
      ],
    ]) {
      const r = helm(['lint', '--strict', CHART_DIR, ...extra]);
      expect(r.code, r.out + r.err).toBe(0);
      expect(r.out).toContain('1 chart(s) linted, 0 chart(s) failed');
    }
  });

  it('refuses unknown keys at every level, naming them', () => {
    for (const [key, where] of [
      ['replicas', "at '': additional properties 'replicas'"],
      ['api.replica', "at '/api': additional properties 'replica'"],
      ['archiver.encryption.kid', "at '/archiver/encryption': additional properties 'kid'"],
      ['sample.spec.model.checksum', "at '/sample/spec/model': additional properties 'checksum'"],
    ] as const) {
      const r = helm(['template', 'x', CHART_DIR, '--set', `${key}=1`]);
      expect(r.code, key).not.toBe(0);
      expect(r.err).toContain(where);
    }
  });

  it('refuses bad values by type and pattern', () => {
    for (const [set, where] of [
      ['archiver.encryption.mode=rot13', '/archiver/encryption/mode'],
      ['kafka.bootstrap=no-port', '/kafka/bootstrap'],
      ['api.auth.algorithms={HS256}', '/api/auth/algorithms/0'],
      ['sample.spec.model.sha256=short', '/sample/spec/model/sha256'],
    ] as const) {
      const r = helm(['template', 'x', CHART_DIR, '--set', set]);
      expect(r.code, set).not.toBe(0);
      expect(r.err).toContain(where);
    }
  });

  it('values.schema.json is the one generated from the CRD (npx node helm/scripts/values-schema.ts)', () => {
    const r = spawnSync(process.execPath, [join(CHART_DIR, '..', 'scripts', 'values-schema.ts'), '--check'], {
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
  });

  it('documents every value with a comment and an example', () => {
    const doc = parseDocument(readFileSync(join(CHART_DIR, 'values.yaml'), 'utf8'));
    const undocumented: string[] = [];
    const visit = (map: YAMLMap, path: string, inheritedComment: string) => {
      map.items.forEach((pair, i) => {
        const key = String(isScalar(pair.key) ? pair.key.value : pair.key);
        // The yaml library hangs the comment above a map's first key on the map itself.
        const comment =
          (isScalar(pair.key) ? pair.key.commentBefore : undefined) ?? (i === 0 ? map.commentBefore : '') ?? '';
        const here = path ? `${path}.${key}` : key;
        // Flow maps ({cpu: 50m}) are one value; sample.spec is the FraudModel spec, documented by the CRD.
        if (isMap(pair.value) && !pair.value.flow && pair.value.items.length > 0 && here !== 'sample.spec') {
          visit(pair.value, here, comment);
        } else if (!/Example:/.test(comment || inheritedComment) || !comment.trim()) {
          undocumented.push(here);
        }
      });
    };
    visit(doc.contents as YAMLMap, '', '');
    expect(undocumented).toEqual([]);
  });

  it('renders the default values into the expected kinds', () => {
    const kinds = render()
      .map((d) => d.kind)
      .sort();
    expect(kinds).toEqual(
      [
        'ClusterRole',
        'ClusterRoleBinding',
        'CustomResourceDefinition',
        ...Array(3).fill('Deployment'),
        ...Array(3).fill('NetworkPolicy'),
        ...Array(3).fill('PodDisruptionBudget'),
        'Role',
        'RoleBinding',
        'Secret',
        'Secret',
        ...Array(3).fill('Service'),
        'ServiceAccount',
      ].sort(),
    );
  });
});

// The chart's CRD is crds/fraudmodels.yaml, byte for byte and once rendered (only Helm's labels and the keep
// annotation added).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '@fraud-operator/stack/env';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { byKind, CHART_DIR, render, sets } from './tools.ts';

const source = readFileSync(join(REPO_ROOT, 'crds', 'fraudmodels.yaml'), 'utf8');

describe('the chart ships crds/fraudmodels.yaml', () => {
  it('keeps a byte-identical copy (cp crds/fraudmodels.yaml helm/fraud-operator/files/)', () => {
    expect(readFileSync(join(CHART_DIR, 'files', 'fraudmodels.yaml'), 'utf8')).toBe(source);
  });

  it('renders the same object, plus labels and the keep annotation', () => {
    const [crd, ...more] = byKind(render(), 'CustomResourceDefinition');
    expect(more).toHaveLength(0);
    const { labels, annotations, ...metadata } = crd!.metadata;
    expect(annotations).toEqual({ 'helm.sh/resource-policy': 'keep' });
    expect(labels?.['app.kubernetes.io/managed-by']).toBe('Helm');
    expect({ ...crd, metadata }).toEqual(parse(source));
  });

  it('renders no CRD when crds.enabled is false, and no keep annotation when crds.keep is false', () => {
    expect(byKind(render(sets({ 'crds.enabled': false })), 'CustomResourceDefinition')).toHaveLength(0);
    const [crd] = byKind(render(sets({ 'crds.keep': false })), 'CustomResourceDefinition');
    expect(crd?.metadata.annotations ?? {}).toEqual({});
  });
});

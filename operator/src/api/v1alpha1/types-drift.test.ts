import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generatedTypes, TYPES_PATH } from './generate-types.ts';

describe('FraudModel TypeScript types against crds/fraudmodels.yaml', () => {
  it('types.generated.ts is exactly what the CRD schema generates (run generate-types.ts after a CRD change)', () => {
    expect(readFileSync(TYPES_PATH, 'utf8')).toBe(generatedTypes());
  });

  it('a schema change shows up in the generated types', () => {
    const crd = readFileSync(new URL('../../../../crds/fraudmodels.yaml', import.meta.url), 'utf8');
    const changed = crd.replace(
      'minReplicas:\n                      type: integer',
      'minReplicas:\n                      type: string',
    );
    expect(changed).not.toBe(crd);
    expect(generatedTypes(changed)).toMatch(/minReplicas: string;/);
    expect(generatedTypes(crd)).toMatch(/minReplicas: number;/);
  });
});

describe('defaults the operator assumes', () => {
  it('match the CRD defaults', async () => {
    const { parse } = await import('yaml');
    const { ROLLOUT_DEFAULTS } = await import('../../rollout/rollout-spec.ts');
    const crd = parse(readFileSync(new URL('../../../../crds/fraudmodels.yaml', import.meta.url), 'utf8'));
    const rollout = crd.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.rollout.properties;
    for (const [key, value] of Object.entries(ROLLOUT_DEFAULTS)) expect(rollout[key].default, key).toBe(value);
  });
});

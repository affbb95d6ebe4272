// Regenerates types.generated.ts from crds/fraudmodels.yaml: `npx node operator/src/api/v1alpha1/generate-types.ts`.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { type JsonSchema, schemaToTypeScript } from './schema-to-ts.ts';

export const CRD_PATH = fileURLToPath(new URL('../../../../crds/fraudmodels.yaml', import.meta.url));
export const TYPES_PATH = fileURLToPath(new URL('./types.generated.ts', import.meta.url));

const HEADER =
  '// Generated from crds/fraudmodels.yaml by generate-types.ts; do not edit (a unit test compares them).\n';

export function generatedTypes(crdText: string = readFileSync(CRD_PATH, 'utf8')): string {
  const crd = parse(crdText) as { spec: { versions: { name: string; schema: { openAPIV3Schema: JsonSchema } }[] } };
  const version = crd.spec.versions.find((v) => v.name === 'v1alpha1');
  if (!version) throw new Error(`${CRD_PATH}: no version v1alpha1`);
  return biomeFormat(schemaToTypeScript(version.schema.openAPIV3Schema, 'FraudModel', HEADER));
}

/** The repo's formatter, so the committed file is exactly what biome leaves. */
function biomeFormat(source: string): string {
  const biome = fileURLToPath(new URL('../../../../node_modules/.bin/biome', import.meta.url));
  return execFileSync(biome, ['format', `--stdin-file-path=${TYPES_PATH}`], { input: source, encoding: 'utf8' });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(TYPES_PATH, generatedTypes());
  console.log(`wrote ${TYPES_PATH}`);
}

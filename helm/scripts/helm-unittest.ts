// helm-unittest, built once from the Go module proxy into the cache, run standalone (no helm plugin install):
// `npx node helm/scripts/helm-unittest.ts [helm-unittest args]` (default: the chart).
// v1.0.1: v1.1.2, the version the proxy lists, fails `go install` on a replace directive; v1.0.1 is not listed but
// downloads, and its checksum is not in the checksum database (GONOSUMDB).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '@fraud-operator/stack/paths';
import { goToolBinary } from './go-tool.ts';

export const HELM_UNITTEST_VERSION = 'v1.0.1';
const MODULE = 'github.com/helm-unittest/helm-unittest';
export const CHART_DIR = join(REPO_ROOT, 'helm', 'fraud-operator');

/** The binary's path, building it first (about 70 s cold) when the cache lacks it. */
export const helmUnittestBinary = (log?: (msg: string) => void): string =>
  goToolBinary(
    {
      name: 'helm-unittest',
      pkg: `${MODULE}/cmd/helm-unittest`,
      version: HELM_UNITTEST_VERSION,
      env: { GONOSUMDB: MODULE },
    },
    log,
  );

if (import.meta.main) {
  const args = process.argv.slice(2);
  const r = spawnSync(helmUnittestBinary(), args.length > 0 ? args : [CHART_DIR], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

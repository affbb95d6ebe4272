// helm-unittest, built once from the Go module proxy into the cache, run standalone (no helm plugin install):
// `npx node helm/scripts/helm-unittest.ts [helm-unittest args]` (default: the chart).
// v1.0.1: v1.1.2, the version the proxy lists, fails `go install` on a replace directive; v1.0.1 is not listed but
// downloads, and its checksum is not in the checksum database (GONOSUMDB).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE_DIR, REPO_ROOT } from '@fraud-operator/stack/paths';

export const HELM_UNITTEST_VERSION = 'v1.0.1';
const MODULE = 'github.com/helm-unittest/helm-unittest';
const dir = join(CACHE_DIR, 'tools', `helm-unittest-${HELM_UNITTEST_VERSION}`);
export const CHART_DIR = join(REPO_ROOT, 'helm', 'fraud-operator');

/** The binary's path, building it first (about 70 s cold) when the cache lacks it. */
export function helmUnittestBinary(log: (msg: string) => void = (m) => process.stderr.write(`${m}\n`)): string {
  const bin = join(dir, 'helm-unittest');
  if (existsSync(join(dir, '.complete'))) return bin;
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  log(`building helm-unittest ${HELM_UNITTEST_VERSION} from the Go module proxy into ${dir} …`);
  const started = Date.now();
  const r = spawnSync('go', ['install', `${MODULE}/cmd/helm-unittest@${HELM_UNITTEST_VERSION}`], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...process.env,
      GOBIN: tmp,
      GOMODCACHE: join(CACHE_DIR, 'go', 'mod'),
      GOCACHE: join(CACHE_DIR, 'go', 'build'),
      GOTOOLCHAIN: 'local',
      CGO_ENABLED: '0',
      GOFLAGS: '',
      GONOSUMDB: MODULE,
    },
  });
  if (r.status !== 0) throw new Error(`go install ${MODULE}@${HELM_UNITTEST_VERSION} failed (exit ${r.status})`);
  writeFileSync(join(tmp, '.complete'), new Date().toISOString());
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  log(`helm-unittest built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return bin;
}

if (import.meta.main) {
  const args = process.argv.slice(2);
  const r = spawnSync(helmUnittestBinary(), args.length > 0 ? args : [CHART_DIR], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

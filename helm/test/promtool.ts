// promtool, built once from the Go module proxy into the cache (the helm-unittest pattern), for the monitoring test:
// `npx node helm/test/promtool.ts [promtool args]` (default: `check rules` of the chart's rules file).
// The module is github.com/prometheus/prometheus, whose Go versions are v0.<major><minor>.<patch> of Prometheus 3.x.
// Built with `-tags remove_all_sd`: without the cloud service-discovery plugins (only `check config` needs them), which
// halves the compile (CPU 2 min 40 s instead of 5 min 23 s here).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE_DIR, REPO_ROOT } from '@fraud-operator/stack/paths';

export const PROMTOOL_VERSION = 'v0.316.0';
const MODULE = 'github.com/prometheus/prometheus';
const TAGS = 'remove_all_sd';
const dir = join(CACHE_DIR, 'tools', `promtool-${PROMTOOL_VERSION}-${TAGS}`);
export const RULES_FILE = join(REPO_ROOT, 'helm', 'fraud-operator', 'files', 'prometheus-rules.yaml');

/** The binary's path, building it first when the cache lacks it. */
export function promtoolBinary(log: (msg: string) => void = (m) => process.stderr.write(`${m}\n`)): string {
  const bin = join(dir, 'promtool');
  if (existsSync(join(dir, '.complete'))) return bin;
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  log(`building promtool ${PROMTOOL_VERSION} from the Go module proxy into ${dir} …`);
  const started = Date.now();
  const r = spawnSync('go', ['install', '-tags', TAGS, `${MODULE}/cmd/promtool@${PROMTOOL_VERSION}`], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...process.env,
      GOBIN: tmp,
      GOMODCACHE: join(CACHE_DIR, 'go', 'mod'),
      GOCACHE: join(CACHE_DIR, 'go', 'build'),
      GOTOOLCHAIN: 'local',
      CGO_ENABLED: '0',
      GOFLAGS: '',
    },
  });
  if (r.status !== 0)
    throw new Error(`go install ${MODULE}/cmd/promtool@${PROMTOOL_VERSION} failed (exit ${r.status})`);
  writeFileSync(join(tmp, '.complete'), new Date().toISOString());
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  log(`promtool built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return bin;
}

if (import.meta.main) {
  const args = process.argv.slice(2);
  const r = spawnSync(promtoolBinary(), args.length > 0 ? args : ['check', 'rules', RULES_FILE], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

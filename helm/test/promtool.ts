// promtool, built once from the Go module proxy into the cache (the helm-unittest pattern), for the monitoring test:
// `npx node helm/test/promtool.ts [promtool args]` (default: `check rules` of the chart's rules file).
// The module is github.com/prometheus/prometheus, whose Go versions are v0.<major><minor>.<patch> of Prometheus 3.x.
// Built with `-tags remove_all_sd`: without the cloud service-discovery plugins (only `check config` needs them), which
// halves the compile (CPU 2 min 40 s instead of 5 min 23 s here).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '@fraud-operator/stack/paths';
import { goToolBinary } from '../scripts/go-tool.ts';

export const PROMTOOL_VERSION = 'v0.316.0';
export const RULES_FILE = join(REPO_ROOT, 'helm', 'fraud-operator', 'files', 'prometheus-rules.yaml');

/** The binary's path, building it first when the cache lacks it. */
export const promtoolBinary = (log?: (msg: string) => void): string =>
  goToolBinary(
    {
      name: 'promtool',
      pkg: 'github.com/prometheus/prometheus/cmd/promtool',
      version: PROMTOOL_VERSION,
      tags: 'remove_all_sd',
    },
    log,
  );

if (import.meta.main) {
  const args = process.argv.slice(2);
  const r = spawnSync(promtoolBinary(), args.length > 0 ? args : ['check', 'rules', RULES_FILE], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

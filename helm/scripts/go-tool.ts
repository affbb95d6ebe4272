// A Go command-line tool the chart's tests need, built once from the Go module proxy into the cache with the stack's
// Go settings (its module and build caches), in a scratch folder renamed into place so an interrupted build leaves
// nothing half-made.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE_DIR } from '@fraud-operator/stack/paths';

export interface GoTool {
  /** The binary's name, as `go install` writes it. */
  name: string;
  /** The package to install, without the version: `<module>/cmd/<name>`. */
  pkg: string;
  version: string;
  /** Build tags, joined into the cache folder's name. */
  tags?: string;
  env?: Record<string, string>;
}

/** The tool's path, building it first when the cache lacks it. */
export function goToolBinary(tool: GoTool, log: (msg: string) => void = (m) => process.stderr.write(`${m}\n`)): string {
  const dir = join(CACHE_DIR, 'tools', `${tool.name}-${tool.version}${tool.tags ? `-${tool.tags}` : ''}`);
  const bin = join(dir, tool.name);
  if (existsSync(join(dir, '.complete'))) return bin;
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  log(`building ${tool.name} ${tool.version} from the Go module proxy into ${dir} …`);
  const started = Date.now();
  const target = `${tool.pkg}@${tool.version}`;
  const r = spawnSync('go', ['install', ...(tool.tags ? ['-tags', tool.tags] : []), target], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...process.env,
      GOBIN: tmp,
      GOMODCACHE: join(CACHE_DIR, 'go', 'mod'),
      GOCACHE: join(CACHE_DIR, 'go', 'build'),
      GOTOOLCHAIN: 'local',
      CGO_ENABLED: '0',
      GOFLAGS: '',
      ...tool.env,
    },
  });
  if (r.status !== 0) throw new Error(`go install ${target} failed (exit ${r.status})`);
  writeFileSync(join(tmp, '.complete'), new Date().toISOString());
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  log(`${tool.name} built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return bin;
}

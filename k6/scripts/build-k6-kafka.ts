// Builds k6 with our Kafka extension (k6/xk6-kafka) into the cache, keyed by a hash of its sources:
// `npx node k6/scripts/build-k6-kafka.ts` prints the binary's path. xk6 is refused by the module proxy, so a wrapper
// main package imports k6's command and our module, which is all `xk6 build` would generate. About 15 s on a warm
// Go cache (k6's own dependencies are already there from the stack's k6 build), 2–4 min cold.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE_DIR, REPO_ROOT } from '@fraud-operator/stack/paths';

const SOURCE = join(REPO_ROOT, 'k6', 'xk6-kafka');
const FILES = ['go.mod', 'go.sum', 'main.go', 'kafka/kafka.go'];

export function k6KafkaBinary(log: (msg: string) => void = (m) => process.stderr.write(`${m}\n`)): string {
  const hash = createHash('sha256');
  for (const f of FILES) hash.update(f).update(readFileSync(join(SOURCE, f)));
  const dir = join(CACHE_DIR, 'tools', `k6-kafka-${hash.digest('hex').slice(0, 12)}`);
  const bin = join(dir, 'k6');
  if (existsSync(join(dir, '.complete'))) return bin;
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  log(`building k6 with k6/xk6-kafka into ${dir} …`);
  const started = Date.now();
  const r = spawnSync('go', ['build', '-trimpath', '-o', join(tmp, 'k6'), '.'], {
    cwd: SOURCE,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...process.env,
      GOMODCACHE: join(CACHE_DIR, 'go', 'mod'),
      GOCACHE: join(CACHE_DIR, 'go', 'build'),
      GOTOOLCHAIN: 'local',
      CGO_ENABLED: '0',
      GOFLAGS: '-mod=readonly',
    },
  });
  if (r.status !== 0) throw new Error(`go build in ${SOURCE} failed (exit ${r.status})`);
  writeFileSync(join(tmp, '.complete'), new Date().toISOString());
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  log(`built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return bin;
}

if (import.meta.main) console.log(k6KafkaBinary());

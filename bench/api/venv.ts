// The peer's Python environment: bench/.venv-api, made on first use from the pinned requirements (PyPI only).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function ensurePeerVenv(benchDir: string): string {
  const venv = join(benchDir, '.venv-api');
  const requirements = join(benchDir, 'api-peer', 'requirements.txt');
  const stamp = join(venv, '.requirements.sha256');
  const want = createHash('sha256').update(readFileSync(requirements)).digest('hex');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === want) return venv;
  process.stderr.write(`[bench api] installing the peer's requirements into ${venv}\n`);
  if (!existsSync(join(venv, 'bin', 'python'))) execFileSync('python3', ['-m', 'venv', venv], { stdio: 'inherit' });
  execFileSync(join(venv, 'bin', 'pip'), ['install', '-q', '--disable-pip-version-check', '-r', requirements], {
    stdio: 'inherit',
  });
  writeFileSync(stamp, want);
  return venv;
}

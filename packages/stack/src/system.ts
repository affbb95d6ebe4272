import { execFileSync } from 'node:child_process';
import type { BuildTiming } from './build.ts';
import { run } from './process.ts';

/** Debian packages the stack runs as they are; the toolchains (Go, Java, Maven) are on the machines already. */
const DEBIAN_PACKAGES: Record<string, string> = { 'redis-server': 'redis-server', socat: 'socat', openssl: 'openssl' };
const TOOLCHAINS = ['go', 'java', 'mvn'];

export function hasCommand(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export async function ensureSystemPackages(): Promise<BuildTiming[]> {
  const missingTools = TOOLCHAINS.filter((t) => !hasCommand(t));
  if (missingTools.length > 0)
    throw new Error(`missing toolchains: ${missingTools.join(', ')} (see README: prerequisites)`);
  const missing = Object.entries(DEBIAN_PACKAGES)
    .filter(([cmd]) => !hasCommand(cmd))
    .map(([, pkg]) => pkg);
  if (missing.length === 0) return [];
  if (process.getuid?.() !== 0) {
    throw new Error(`missing Debian packages: ${missing.join(' ')}; install them with apt-get (needs root)`);
  }
  const started = Date.now();
  process.stderr.write(`[build] apt: installing ${missing.join(' ')}\n`);
  await run('apt-get', ['update', '-qq']);
  await run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return [
    { name: `apt ${missing.join(' ')}`, version: 'debian', seconds: (Date.now() - started) / 1000, cached: false },
  ];
}

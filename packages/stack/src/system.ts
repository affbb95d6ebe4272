import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { BuildTiming } from './build.ts';
import { run } from './process.ts';

/** Debian packages the stack runs as they are, by the command (or file) that shows each is installed. */
const DEBIAN_PACKAGES: Record<string, string> = { 'redis-server': 'redis-server', socat: 'socat', openssl: 'openssl' };
/**
 * What the real node adds: the OCI runtime, image builds, pod networking, the base images' sources; and the headless
 * browser the demo's report is drawn in (its test, packages/report/test).
 */
export const NODE_DEBIAN_PACKAGES: Record<string, string> = {
  '/usr/sbin/runc': 'runc',
  buildah: 'buildah',
  '/usr/lib/cni/bridge': 'containernetworking-plugins',
  '/bin/busybox': 'busybox-static',
  debootstrap: 'debootstrap',
  iptables: 'iptables',
  ip: 'iproute2',
  nsenter: 'util-linux',
  chromium: 'chromium',
};
const TOOLCHAINS = ['go', 'java', 'mvn'];

export function hasCommand(cmd: string): boolean {
  if (cmd.startsWith('/')) return existsSync(cmd);
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export async function ensureSystemPackages(opts: { node?: boolean } = {}): Promise<BuildTiming[]> {
  const missingTools = TOOLCHAINS.filter((t) => !hasCommand(t));
  if (missingTools.length > 0)
    throw new Error(`missing toolchains: ${missingTools.join(', ')} (see README: prerequisites)`);
  const wanted = { ...DEBIAN_PACKAGES, ...(opts.node ? NODE_DEBIAN_PACKAGES : {}) };
  const missing = [
    ...new Set(
      Object.entries(wanted)
        .filter(([cmd]) => !hasCommand(cmd))
        .map(([, pkg]) => pkg),
    ),
  ];
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

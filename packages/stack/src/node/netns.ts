import { existsSync } from 'node:fs';
import { run } from '../process.ts';
import { hasCommand, NODE_DEBIAN_PACKAGES } from '../system.ts';
import { type NodeTopology, netnsPath } from './topology.ts';

/** The stack's network namespace: loopback up, and the node's address on it. No link leads out of it. */
export async function createNetns(t: NodeTopology): Promise<void> {
  if (existsSync(netnsPath(t))) await removeNetns(t);
  await run('ip', ['netns', 'add', t.netns]);
  await run('ip', ['-n', t.netns, 'link', 'set', 'lo', 'up']);
  await run('ip', ['-n', t.netns, 'addr', 'add', `${t.address}/32`, 'dev', 'lo']);
}

export async function removeNetns(t: NodeTopology): Promise<boolean> {
  if (!existsSync(netnsPath(t))) return false;
  await run('ip', ['netns', 'delete', t.netns]);
  return true;
}

/**
 * Why this machine cannot run the real node, or undefined when it can: it needs root (network and mount
 * namespaces, cgroups) and a kernel that lets us make a network namespace.
 */
export async function nodeUnavailable(): Promise<string | undefined> {
  if (process.platform !== 'linux') return `the real node needs Linux (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return 'the real node needs root (network and mount namespaces, cgroups)';
  if (!existsSync('/sys/fs/cgroup')) return 'no cgroup file system at /sys/fs/cgroup';
  if (!hasCommand('ip') || !hasCommand('unshare'))
    return `missing ${Object.values(NODE_DEBIAN_PACKAGES).join('/')} tools`;
  const probe = `fraud-probe-${process.pid}`;
  try {
    await run('ip', ['netns', 'add', probe]);
    await run('ip', ['netns', 'delete', probe]);
    return undefined;
  } catch (err) {
    return `cannot create a network namespace here: ${(err as Error).message.split('\n').slice(-1)[0]}`;
  }
}

import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ctr } from './ctr.ts';
import type { NodeTopology } from './topology.ts';

/** Every pod container of the node, killed and deleted through containerd while it still runs. */
export async function removeContainers(t: NodeTopology): Promise<number> {
  if (!existsSync(t.containerdSocket)) return 0;
  const ids = async (what: 'tasks' | 'containers') =>
    (await ctr(t, what, 'ls', '-q').catch(() => ''))
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => /^[0-9a-f]{6,}$/.test(l));
  const tasks = await ids('tasks');
  for (const id of tasks) await ctr(t, 'tasks', 'delete', '--force', id).catch(() => undefined);
  const containers = await ids('containers');
  for (const id of containers) await ctr(t, 'containers', 'delete', id).catch(() => undefined);
  return containers.length;
}

/** Mount points of the cgroup hierarchies (v1 controllers and the unified one). */
function cgroupMounts(): string[] {
  return readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .map((l) => l.split(' '))
    .filter((f) => f[2] === 'cgroup' || f[2] === 'cgroup2')
    .map((f) => f[1]!);
}

/** The pods' cgroup parent in every hierarchy: the kubelet refuses a cgroupRoot that does not exist. */
export function createCgroups(t: NodeTopology): void {
  for (const m of cgroupMounts()) mkdirSync(join(m, t.cgroupRoot), { recursive: true });
}

/** Directories under `dir`, deepest first. */
function depthFirst(dir: string): string[] {
  const children = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .flatMap((e) => depthFirst(join(dir, e.name)));
  return [...children, dir];
}

/** Kills whatever is left in the node's cgroups, then removes them, deepest first, in every hierarchy. */
export async function removeCgroups(t: NodeTopology): Promise<string[]> {
  const roots = cgroupMounts()
    .map((m) => join(m, t.cgroupRoot))
    .filter(existsSync);
  for (let attempt = 0; attempt < 50; attempt++) {
    let left = 0;
    for (const root of roots.filter(existsSync)) {
      for (const dir of depthFirst(root)) {
        const procs = readFileSync(join(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean).map(Number);
        for (const pid of procs) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            /* gone */
          }
        }
        try {
          rmdirSync(dir);
        } catch {
          left++;
        }
      }
    }
    if (left === 0) return roots;
    await sleep(100);
  }
  throw new Error(`could not remove the node's cgroups under ${roots.join(', ')}`);
}

/** What a node leaves on disk once its processes are gone: its folders (images, pods, logs) and relay sockets. */
export function removeNodeFiles(t: NodeTopology): void {
  rmSync(t.dirs.root, { recursive: true, force: true });
  rmSync(t.dirs.relays, { recursive: true, force: true });
}

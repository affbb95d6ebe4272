// `down` of a stack with a real node leaves nothing behind: no process, pod, cgroup, mount or network namespace, and
// the host's sysctls as they were. Runs a second, scratch stack (its own folder, ports and namespace) beside the main
// one, with a pod on its node, then takes it down.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadStackEnv, parseEnvFile } from '../src/env.ts';
import { stackId } from '../src/node/topology.ts';

const cli = join(import.meta.dirname, '..', 'src', 'cli.ts');
const dir = mkdtempSync(join(tmpdir(), 'stack-node-down-'));
const hasNode = Boolean(loadStackEnv().STACK_NODE);
const SYSCTLS = ['vm/overcommit_memory', 'kernel/panic', 'kernel/panic_on_oops'];

function stack(...args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], {
    encoding: 'utf8',
    env: { ...process.env, FRAUD_STACK_DIR: dir },
    timeout: 240_000,
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

function processesUsing(path: string): string[] {
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .flatMap((pid) => {
      try {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        return cmdline.includes(path) ? [`${pid}: ${cmdline.replaceAll('\0', ' ')}`] : [];
      } catch {
        return [];
      }
    });
}

const cgroupDirs = (id: string) =>
  readdirSync('/sys/fs/cgroup')
    .map((h) => join('/sys/fs/cgroup', h, `fraud-stack-${id}`))
    .filter(existsSync);

afterAll(() => {
  stack('down');
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!hasNode)('down with a real node', () => {
  it('removes every pod, cgroup, mount, network namespace and process it created', () => {
    const sysctlsBefore = SYSCTLS.map((s) => readFileSync(`/proc/sys/${s}`, 'utf8'));
    const id = stackId(dir);
    const up = stack('up', '--node');
    expect(up.code, up.out).toBe(0);
    const env = parseEnvFile(readFileSync(join(dir, 'env'), 'utf8'));
    const kubectl = (...args: string[]) =>
      spawnSync(env.KUBECTL!, args, { encoding: 'utf8', env: { ...process.env, KUBECONFIG: env.KUBECONFIG } });
    const run = kubectl(
      'run',
      'idle',
      `--image=${env.SCORER_IMAGE}`,
      '--image-pull-policy=Never',
      '--restart=Never',
      '--command',
      '--',
      'node',
      '-e',
      'setInterval(() => {}, 1000)',
    );
    expect(run.status, run.stderr).toBe(0);
    const ready = kubectl('wait', '--for=condition=Ready', 'pod/idle', '--timeout=60s');
    expect(ready.status, ready.stderr).toBe(0);
    expect(cgroupDirs(id).length).toBeGreaterThan(0);
    expect(spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout).toContain(`fraud-stack-${id}`);
    // The kubelet wrote its sysctls into stand-ins inside the node's mount namespace, not the host's.
    expect(SYSCTLS.map((s) => readFileSync(`/proc/sys/${s}`, 'utf8'))).toEqual(sysctlsBefore);

    const down = stack('down');
    expect(down.code, down.out).toBe(0);
    expect(down.out).toMatch(/pod containers removed/);
    expect(processesUsing(dir)).toEqual([]);
    expect(cgroupDirs(id)).toEqual([]);
    expect(spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout).not.toContain(`fraud-stack-${id}`);
    expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(dir);
    expect(existsSync(join(dir, 'data', 'node'))).toBe(false);
    expect(SYSCTLS.map((s) => readFileSync(`/proc/sys/${s}`, 'utf8'))).toEqual(sysctlsBefore);
  }, 300_000);
});

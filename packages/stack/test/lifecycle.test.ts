import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readState } from '../src/state.ts';

const cli = join(import.meta.dirname, '..', 'src', 'cli.ts');
const scratch = mkdtempSync(join(tmpdir(), 'stack-lifecycle-'));

function stack(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [cli, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 180_000,
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

/** Processes whose command line mentions a folder: what a stack rooted there left running. */
function processesUsing(dir: string): number[] {
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .map(Number)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dir);
      } catch {
        return false;
      }
    });
}

afterAll(() => {
  stack(['down'], { FRAUD_STACK_DIR: join(scratch, 'failing') });
  rmSync(scratch, { recursive: true, force: true });
});

describe('stack lifecycle', () => {
  it('reports `up` on a running stack and starts nothing twice', () => {
    const before = readState()!;
    const r = stack(['up']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('already up');
    expect(readState()!.parts).toEqual(before.parts);
  });

  it('says so and exits 0 on `down` when nothing runs', () => {
    const r = stack(['down'], { FRAUD_STACK_DIR: join(scratch, 'empty') });
    expect(r.code).toBe(0);
    expect(r.out).toContain('not running');
  });

  it('names a part that fails to start, shows its log, and stops the parts already started', () => {
    const dir = join(scratch, 'failing');
    // A JVM that cannot start: Kafka fails while etcd, Redis, S3 and the apiserver come up around it.
    const r = stack(['up', '--no-node'], { FRAUD_STACK_DIR: dir, JAVA_TOOL_OPTIONS: '-XX:+NoSuchJvmOption' });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/kafka failed to start/);
    expect(r.out).toMatch(/Unrecognized VM option|Could not create the Java Virtual Machine/);
    expect(processesUsing(dir)).toEqual([]);
    expect(stack(['status'], { FRAUD_STACK_DIR: dir }).code).toBe(3);
  });
});

#!/usr/bin/env node
/**
 * `npm test`: lint, typecheck, then every vitest project against the real local stack.
 * Brings the stack up when it is not, and then always takes it down again: on success, failure, Ctrl-C, or when this
 * process is killed outright (a detached reaper watches our pid). Tests run in their own process group, which is
 * killed at the end, so no server a test started outlives the run.
 */
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, TESTS_PID_FILE } from './paths.ts';
import { stopGroup } from './process.ts';
import { down, isUp, up } from './stack.ts';

const say = (msg: string) => process.stderr.write(`[test] ${msg}\n`);
const bin = (name: string) => join(REPO_ROOT, 'node_modules', '.bin', name);

function step(name: string, cmd: string, args: string[], onStart?: (pid: number) => void): Promise<number> {
  const t = Date.now();
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: REPO_ROOT, stdio: 'inherit', detached: true });
    if (child.pid) onStart?.(child.pid);
    child.on('exit', (code, signal) => {
      say(
        `${name}: ${code === 0 ? 'passed' : `failed (${signal ?? code})`} in ${Math.round((Date.now() - t) / 1000)} s`,
      );
      resolve(code ?? 1);
    });
  });
}

async function main(): Promise<number> {
  const vitestArgs = process.argv.slice(2);
  const quick = vitestArgs.length > 0;
  if (!quick) {
    if ((await step('lint', bin('biome'), ['check', '.'])) !== 0) return 1;
    if ((await step('typecheck', bin('tsc'), ['-p', 'tsconfig.json'])) !== 0) return 1;
  }
  const owned = !isUp();
  const reaperArgs = [join(REPO_ROOT, 'packages/stack/src/cli.ts'), 'reap', String(process.pid)];
  spawn(process.execPath, owned ? reaperArgs : [...reaperArgs, '--keep-stack'], {
    detached: true,
    stdio: 'ignore',
  }).unref();
  if (owned) {
    say('bringing the local stack up for this run');
    await up({ owner: process.pid });
  } else {
    say('using the local stack that is already up (it stays up)');
  }
  let testsPid: number | undefined;
  const cleanup = async () => {
    if (testsPid) await stopGroup(testsPid, 3_000);
    if (owned) await down({ quiet: true });
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(sig, () => {
      say(`${sig}: stopping`);
      void cleanup().finally(() => process.exit(130));
    });
  }
  try {
    return await step('vitest', bin('vitest'), ['run', ...vitestArgs], (pid) => {
      testsPid = pid;
      writeFileSync(TESTS_PID_FILE, String(pid));
    });
  } finally {
    await cleanup();
    rmSync(TESTS_PID_FILE, { force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);

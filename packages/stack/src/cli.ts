#!/usr/bin/env node
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { buildAll } from './build.ts';
import { stackPaths, TESTS_PID_FILE } from './paths.ts';
import { isAlive, stopGroup } from './process.ts';
import { down, type PartStatus, status, up } from './stack.ts';

const USAGE = `usage: npm run stack -- <command>

  up       build what is missing (cached outside the repo), then start every part on free loopback ports
  status   each part with its version, address and health (exit 1 when a part is unhealthy, 3 when not up)
  down     stop every part (--purge also deletes the stack's data)
  build    build or download every part into the cache without starting anything

The running stack's addresses are in ${stackPaths.env}; its kubeconfig is ${stackPaths.kubeconfig}.`;

function table(parts: PartStatus[]): string {
  const rows = [
    ['PART', 'VERSION', 'ADDRESS', 'PID', 'HEALTH'],
    ...parts.map((p) => [p.name, p.version, p.address, String(p.pid || '-'), p.healthy ? 'ok' : 'DOWN']),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      purge: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      owner: { type: 'string' },
      'keep-stack': { type: 'boolean' },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return command || values.help ? 0 : 2;
  }
  switch (command) {
    case 'up': {
      const result = await up({ owner: values.owner ? Number(values.owner) : undefined });
      if (result.already) console.log('the stack is already up; nothing started');
      else console.log(`the stack is up in ${result.seconds} s (after builds)`);
      console.log(table((await status()) ?? []));
      console.log(`\nexport $(cat ${stackPaths.env})   # addresses for your shell`);
      return 0;
    }
    case 'status': {
      const parts = await status();
      if (!parts) {
        console.log('the stack is not up: run `npm run stack -- up`');
        return 3;
      }
      console.log(table(parts));
      return parts.every((p) => p.healthy) ? 0 : 1;
    }
    case 'down': {
      const { stopped } = await down({ purge: values.purge });
      console.log(stopped.length ? `stopped ${stopped.join(', ')}` : 'the stack was not running; nothing to stop');
      return 0;
    }
    case 'build': {
      const timings = await buildAll();
      for (const t of timings)
        console.log(`${t.name.padEnd(12)} ${t.version.padEnd(10)} ${t.cached ? 'cached' : `${t.seconds} s`}`);
      return 0;
    }
    case 'reap': {
      // Once the given test run is gone, however it ended: stop its tests' process group, then (unless the stack
      // was already up before the run) the stack.
      const owner = Number(rest[0]);
      if (!Number.isInteger(owner)) throw new Error('usage: stack reap <pid> [--keep-stack]');
      while (isAlive(owner)) await sleep(500);
      if (existsSync(TESTS_PID_FILE)) {
        await stopGroup(Number(readFileSync(TESTS_PID_FILE, 'utf8')), 3_000);
        rmSync(TESTS_PID_FILE, { force: true });
      }
      if (!values['keep-stack']) await down({ quiet: true });
      return 0;
    }
    default:
      console.error(`unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);

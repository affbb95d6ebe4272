#!/usr/bin/env node
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { ARTIFACTS } from './artifacts.ts';
import { buildAll } from './build.ts';
import { parseEnvFile } from './env.ts';
import { ensureProjectImages, importImages } from './node/images.ts';
import { nodeWanted } from './node/lifecycle.ts';
import { nodeTopology } from './node/topology.ts';
import { stackPaths, TESTS_PID_FILE } from './paths.ts';
import { isAlive, stopGroup } from './process.ts';
import { down, type PartStatus, status, up } from './stack.ts';
import { readState } from './state.ts';

const USAGE = `usage: npm run stack -- <command>

  up       build what is missing (cached outside the repo), then start every part on free loopback ports, with a
           real node (kubelet + containerd) in a network namespace of the stack's own when FRAUD_STACK_NODE=1 or
           --node (--no-node: without it)
  status   each part with its version, address and health (exit 1 when a part is unhealthy, 3 when not up)
  down     stop every part, and remove the node's pods, cgroups, mounts and namespace (--purge: also the data)
  build    build or download every part into the cache without starting anything (--no-node: not the node's)
  images   build the project's images from their Dockerfiles when their inputs changed (buildah, offline), and
           load them into the running node
  shell    a shell inside the node's namespaces (network and mounts): ctr, ip, the pods' addresses
  exec     run a command there: \`npm run stack -- exec -- ctr -n k8s.io containers ls\`

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
      node: { type: 'boolean' },
      'no-node': { type: 'boolean' },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return command || values.help ? 0 : 2;
  }
  switch (command) {
    case 'up': {
      const node = values['no-node'] ? false : values.node ? true : nodeWanted();
      const result = await up({ owner: values.owner ? Number(values.owner) : undefined, node });
      if (result.already) console.log('the stack is already up; nothing started');
      else console.log(`the stack is up in ${result.seconds} s (after builds)`);
      console.log(table((await status()) ?? []));
      const state = result.state;
      if (state.node)
        console.log(
          `\nreal node ${state.node.nodeName} at ${state.node.address} in network namespace ${state.node.netns}; ` +
            `images: ${Object.values(state.images ?? {}).join(', ') || 'none'}; look inside: npm run stack -- shell`,
        );
      else if (state.nodeSkipped) console.log(`\nNO REAL NODE: ${state.nodeSkipped}`);
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
      const timings = await buildAll({ node: !values['no-node'] });
      for (const t of timings)
        console.log(`${t.name.padEnd(12)} ${t.version.padEnd(10)} ${t.cached ? 'cached' : `${t.seconds} s`}`);
      return 0;
    }
    case 'images': {
      const { images, failed } = await ensureProjectImages((m) => console.error(m));
      for (const i of images) console.log(`${i.envName}=${i.ref}   ${i.archive}`);
      const state = readState();
      if (state?.node) {
        await importImages(nodeTopology(), images);
        // A component that gained a Dockerfile since `up` gets its IMAGE variable too.
        const env = parseEnvFile(readFileSync(stackPaths.env, 'utf8'));
        for (const i of images) env[i.envName!] = i.ref;
        writeFileSync(
          stackPaths.env,
          `${Object.entries(env)
            .map(([k, v]) => `${k}=${v}`)
            .join('\n')}\n`,
        );
        console.log(`imported into the running node ${state.node.nodeName}; ${stackPaths.env} names them`);
      }
      return failed.length > 0 ? 1 : 0;
    }
    case 'shell':
    case 'exec': {
      const state = readState();
      const holder = state?.parts['node-namespace']?.pid;
      if (!state?.node || !holder) {
        console.error('no real node is running: `npm run stack -- up --node`');
        return 3;
      }
      const cmd = command === 'shell' ? [process.env.SHELL ?? 'bash'] : rest;
      if (cmd.length === 0) throw new Error('usage: npm run stack -- exec -- <command> [args…]');
      const t = nodeTopology();
      const r = spawnSync('nsenter', [`--target=${holder}`, '--mount', '--net', '--', ...cmd], {
        stdio: 'inherit',
        env: {
          ...process.env,
          CONTAINERD_ADDRESS: t.containerdSocket,
          CONTAINERD_NAMESPACE: 'k8s.io',
          PATH: `${join(stackPaths.bin)}:${ARTIFACTS.containerd.dir}:${process.env.PATH}`,
        },
      });
      return r.status ?? 1;
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

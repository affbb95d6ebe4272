#!/usr/bin/env node
// Runs a command with the local stack's addresses (.stack/env) in its environment: `with-env.ts cmd args…`.
import { spawn } from 'node:child_process';
import { loadStackEnv } from './env.ts';

const [cmd, ...args] = process.argv.slice(2);
if (!cmd) {
  console.error('usage: with-env.ts <command> [args…]');
  process.exit(2);
}
let env: Record<string, string>;
try {
  env = loadStackEnv();
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}
const child = spawn(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 : 1)));

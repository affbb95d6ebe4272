#!/usr/bin/env node
// `npm run bench -- <name> [args…]`: runs bench/<name>.ts and checks its contract: the last line printed is one JSON
// object, also written to bench/results/<name>.json.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = import.meta.dirname;
const [name, ...args] = process.argv.slice(2);
const available = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts')
  .map((f) => f.slice(0, -3));
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- <name>\navailable: ${available.join(', ') || '(none yet)'}`);
  process.exit(2);
}

let lastLine = '';
const child = spawn(process.execPath, [join(dir, `${name}.ts`), ...args], { stdio: ['inherit', 'pipe', 'inherit'] });
child.stdout.on('data', (chunk: Buffer) => {
  process.stdout.write(chunk);
  const lines = chunk
    .toString()
    .split('\n')
    .filter((l) => l.trim() !== '');
  if (lines.length > 0) lastLine = lines.at(-1)!;
});
child.on('exit', (code) => {
  if (code !== 0) process.exit(code ?? 1);
  const results = join(dir, 'results', `${name}.json`);
  try {
    JSON.parse(lastLine);
  } catch {
    console.error(`bench ${name}: the last line printed is not one JSON object`);
    process.exit(1);
  }
  if (
    !existsSync(results) ||
    JSON.stringify(JSON.parse(readFileSync(results, 'utf8'))) !== JSON.stringify(JSON.parse(lastLine))
  ) {
    console.error(`bench ${name}: ${results} does not hold the same JSON as the last line`);
    process.exit(1);
  }
});

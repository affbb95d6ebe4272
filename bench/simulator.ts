// Rows/s generating the `customer` configuration on one core into an Arrow IPC file, with peak RSS.
// Usage: npm run bench -- simulator [rows]   (default 10M rows)
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CUSTOMER, simulate } from '@fraud-operator/simulator';
import { writeTransactions } from '@fraud-operator/transactions/io';
import type { Transaction } from '@fraud-operator/transactions/transaction';

const limit = Number(process.argv[2] ?? 10_000_000);
const out = join(tmpdir(), `bench-simulator-${process.pid}.arrow`);
function* limited(): Generator<Transaction[]> {
  let left = limit;
  for (const batch of simulate(CUSTOMER, 0)) {
    if (left <= 0) return;
    const part = batch.length > left ? batch.slice(0, left) : batch;
    left -= part.length;
    yield part;
  }
}
const started = performance.now();
const { rows } = await writeTransactions(out, limited());
const seconds = (performance.now() - started) / 1000;
const bytes = statSync(out).size;
rmSync(out, { force: true });
const result = {
  bench: 'simulator',
  config: 'customer',
  rows,
  seconds: Number(seconds.toFixed(2)),
  rowsPerSecond: Math.round(rows / seconds),
  targetRowsPerSecond: 1_000_000,
  fileBytes: bytes,
  maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
};
mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
writeFileSync(join(import.meta.dirname, 'results', 'simulator.json'), `${JSON.stringify(result)}\n`);
console.log(JSON.stringify(result));

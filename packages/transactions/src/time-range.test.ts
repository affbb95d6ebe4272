import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeTransactions } from './io.ts';
import { readTimeRange } from './time-range.ts';
import type { Transaction } from './transaction.ts';

const dir = mkdtempSync(join(tmpdir(), 'tx-range-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const start = Date.UTC(2018, 3, 1);
const rows: Transaction[] = Array.from({ length: 5000 }, (_, i) => ({
  TRANSACTION_ID: i,
  TX_DATETIME: start + i * 61_000,
  CUSTOMER_ID: i % 17,
  TERMINAL_ID: i % 23,
  TX_AMOUNT: 10,
  TX_FRAUD: 0,
  TX_FRAUD_SCENARIO: 0,
}));

describe('readTimeRange', () => {
  it.each(['csv', 'csv.gz', 'arrow'])('reads the first and last event time of a .%s file', async (ext) => {
    const path = join(dir, `range.${ext}`);
    await writeTransactions(path, [rows.slice(0, 10), rows.slice(10, 4000), rows.slice(4000)]);
    expect(await readTimeRange(path)).toEqual({ firstTs: start, lastTs: start + 4999 * 61_000 });
  });

  it('takes a CSV without its final newline, with CRLF and blank lines, and refuses one without rows', async () => {
    const header = 'TRANSACTION_ID,TX_DATETIME,CUSTOMER_ID,TERMINAL_ID,TX_AMOUNT,TX_FRAUD,TX_FRAUD_SCENARIO';
    const path = join(dir, 'odd.csv');
    writeFileSync(path, `${header}\r\n0,2018-04-01 00:00:31,1,2,3.5,0,0\r\n\r\n1,2018-04-02 10:00:00,1,2,3.5,0,0`);
    expect(await readTimeRange(path)).toEqual({
      firstTs: Date.UTC(2018, 3, 1, 0, 0, 31),
      lastTs: Date.UTC(2018, 3, 2, 10),
    });
    writeFileSync(path, `${header}\n0,2018-04-01 00:00:31,1,2,3.5,0,0`);
    expect(await readTimeRange(path)).toEqual({
      firstTs: Date.UTC(2018, 3, 1, 0, 0, 31),
      lastTs: Date.UTC(2018, 3, 1, 0, 0, 31),
    });
    writeFileSync(path, `${header}\n`);
    await expect(readTimeRange(path)).rejects.toThrow(/no transactions/);
    writeFileSync(path, `${header}\n0,yesterday,1,2,3.5,0,0\n`);
    await expect(readTimeRange(path)).rejects.toThrow(/first row: expected a datetime/);
  });
});

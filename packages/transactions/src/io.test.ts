import { mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatDatetime, parseDatetime } from './datetime.ts';
import { readTransactionColumns, readTransactions, writeTransactions } from './io.ts';
import { toLabelMessage, toMessage } from './message.ts';
import type { Transaction } from './transaction.ts';

const dir = mkdtempSync(join(tmpdir(), 'tx-io-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sample(n: number): Transaction[] {
  const start = Date.UTC(2018, 3, 1);
  return Array.from({ length: n }, (_, i) => ({
    TRANSACTION_ID: i,
    TX_DATETIME: start + i * 37_000,
    CUSTOMER_ID: (i * 7) % 5000,
    TERMINAL_ID: (i * 13) % 10000,
    TX_AMOUNT: Math.round(i * 3.17) / 100,
    TX_FRAUD: (i % 50 === 0 ? 1 : 0) as 0 | 1,
    TX_FRAUD_SCENARIO: (i % 50 === 0 ? (i % 3) + 1 : 0) as 0 | 1 | 2 | 3,
  }));
}

async function readAll(path: string, batchSize?: number): Promise<{ rows: Transaction[]; batches: number }> {
  const rows: Transaction[] = [];
  let batches = 0;
  for await (const b of readTransactions(path, batchSize === undefined ? {} : { batchSize })) {
    rows.push(...b);
    batches++;
  }
  return { rows, batches };
}

describe('datetime', () => {
  it('formats UTC as the Handbook does and parses it and ISO-8601 back', () => {
    const ms = Date.UTC(2018, 3, 1, 7, 19, 5);
    expect(formatDatetime(ms)).toBe('2018-04-01 07:19:05');
    expect(parseDatetime('2018-04-01 07:19:05')).toBe(ms);
    expect(parseDatetime('2018-04-01T07:19:05Z')).toBe(ms);
    expect(parseDatetime('2018-04-01T07:19:05.250Z')).toBe(ms + 250);
    expect(parseDatetime('2018-04-01T09:19:05+02:00')).toBe(ms);
    expect(parseDatetime('2018-13-01 07:19:05')).toBeNaN();
    expect(parseDatetime('yesterday')).toBeNaN();
  });
});

describe.each(['csv', 'csv.gz', 'arrow', 'feather'])('round trip through .%s', (ext) => {
  it('writes in batches and reads back the same rows in batches', async () => {
    const rows = sample(10_000);
    const path = join(dir, `round.${ext}`);
    const batches = [rows.slice(0, 4000), rows.slice(4000, 4001), rows.slice(4001)];
    expect(await writeTransactions(path, batches)).toEqual({ rows: 10_000 });
    const back = await readAll(path, 3000);
    expect(back.rows).toEqual(rows);
    expect(back.batches).toBe(4);
    let n = 0;
    for await (const c of readTransactionColumns(path)) {
      expect(c.TX_DATETIME[0]).toBe(rows[n]?.TX_DATETIME);
      n += c.length;
    }
    expect(n).toBe(10_000);
  });

  it('accepts an async iterable and an empty input', async () => {
    const path = join(dir, `empty.${ext}`);
    async function* none(): AsyncGenerator<Transaction[]> {}
    expect(await writeTransactions(path, none())).toEqual({ rows: 0 });
    expect((await readAll(path)).rows).toEqual([]);
  });
});

describe('CSV as users bring it', () => {
  const read = async (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return (await readAll(path)).rows;
  };
  it("reads the Handbook's pandas export: an unnamed index column and its extra time columns, ignored", async () => {
    const rows = await read(
      'pandas.csv',
      ',TRANSACTION_ID,TX_DATETIME,CUSTOMER_ID,TERMINAL_ID,TX_AMOUNT,TX_TIME_SECONDS,TX_TIME_DAYS,TX_FRAUD,TX_FRAUD_SCENARIO\n' +
        '0,0,2018-04-01 00:00:31,596,3156,57.16,31,0,0,0\n1,1,2018-04-01 00:02:10,4961,3412,81.51,130,0,1,2\n',
    );
    expect(rows.map((r) => [r.TRANSACTION_ID, r.CUSTOMER_ID, r.TX_AMOUNT, r.TX_FRAUD, r.TX_FRAUD_SCENARIO])).toEqual([
      [0, 596, 57.16, 0, 0],
      [1, 4961, 81.51, 1, 2],
    ]);
  });
  it('reads a history without TX_FRAUD_SCENARIO (only a simulator knows it) as scenario 0', async () => {
    const rows = await read(
      'real.csv',
      'TRANSACTION_ID,TX_DATETIME,CUSTOMER_ID,TERMINAL_ID,TX_AMOUNT,TX_FRAUD\n7,2018-04-01T00:00:31Z,1,2,10.5,1\n',
    );
    expect(rows).toEqual([
      {
        TRANSACTION_ID: 7,
        TX_DATETIME: Date.UTC(2018, 3, 1, 0, 0, 31),
        CUSTOMER_ID: 1,
        TERMINAL_ID: 2,
        TX_AMOUNT: 10.5,
        TX_FRAUD: 1,
        TX_FRAUD_SCENARIO: 0,
      },
    ]);
  });
});

describe('bad CSV input', () => {
  const header = 'TRANSACTION_ID,TX_DATETIME,CUSTOMER_ID,TERMINAL_ID,TX_AMOUNT,TX_FRAUD,TX_FRAUD_SCENARIO';
  const good = '0,2018-04-01 00:00:31,596,3156,57.16,0,0';
  const bad = async (text: string): Promise<string> => {
    const path = join(dir, 'bad.csv');
    writeFileSync(path, text);
    try {
      await readAll(path);
    } catch (err) {
      return (err as Error).message;
    }
    throw new Error('read did not fail');
  };
  it('names a missing column', async () => {
    expect(await bad(`TRANSACTION_ID,TX_DATETIME,CUSTOMER_ID,TX_AMOUNT,TX_FRAUD,TX_FRAUD_SCENARIO\n`)).toMatch(
      /column TERMINAL_ID.*missing column TERMINAL_ID/,
    );
  });
  it('names the row and column of a mistyped value', async () => {
    expect(await bad(`${header}\n${good}\n${good}\n1,2018-04-01 00:00:31,596,3156,abc,0,0\n`)).toMatch(
      /row 3, column TX_AMOUNT, byte \d+\): expected a number, got "abc"/,
    );
    expect(await bad(`${header}\n${good}\n0,01/04/2018,596,3156,1,0,0\n`)).toMatch(/row 2, column TX_DATETIME/);
    expect(await bad(`${header}\n0,2018-04-01 00:00:31,596,3156,1,2,0\n`)).toMatch(/row 1, column TX_FRAUD\b/);
    expect(await bad(`${header}\n0,2018-04-01 00:00:31,x,3156,1,0,0\n`)).toMatch(/row 1, column CUSTOMER_ID/);
  });
  it('reports a truncated last line with its row and byte', async () => {
    const text = `${header}\n${good}\n0,2018-04-01 00:0`;
    expect(await bad(text)).toMatch(new RegExp(`row 2, byte ${header.length + good.length + 2}\\): truncated`));
  });
  it('reports a truncated gzip file', async () => {
    const path = join(dir, 'trunc.csv.gz');
    await writeTransactions(path, [sample(20_000)]);
    truncateSync(path, Math.floor(statSync(path).size / 2));
    await expect(readAll(path)).rejects.toThrow(
      /trunc\.csv\.gz \(row \d+, byte \d+\): corrupt input after data row \d+: unexpected end of file/,
    );
  });
});

describe('bad Arrow input', () => {
  it('reports a truncated file with its size', async () => {
    const path = join(dir, 'trunc.arrow');
    await writeTransactions(path, [sample(5000), sample(5000)]);
    const size = statSync(path).size;
    truncateSync(path, size - 100);
    await expect(readAll(path)).rejects.toThrow(/truncated/);
  });
  it('reports a corrupt footer clearly', async () => {
    const path = join(dir, 'corrupt.arrow');
    await writeTransactions(path, [sample(5000)]);
    const bytes = readFileSync(path);
    bytes.fill(0xff, bytes.length - 200, bytes.length - 10);
    writeFileSync(path, bytes);
    await expect(readAll(path)).rejects.toThrow(/corrupt\.arrow.*corrupt/);
  });
  it('refuses a file that is not Arrow', async () => {
    const path = join(dir, 'text.arrow');
    writeFileSync(path, 'hello');
    await expect(readAll(path)).rejects.toThrow(/not a complete Arrow IPC file/);
  });
});

describe('wire messages', () => {
  it('carries event time and the label delay, never the wall clock', () => {
    const tx = sample(51)[50] as Transaction;
    expect(toMessage(tx)).toEqual({
      txId: '50',
      ts: tx.TX_DATETIME,
      customerId: '350',
      terminalId: '650',
      amount: tx.TX_AMOUNT,
    });
    const label = toLabelMessage(tx, 7 * 86_400_000);
    expect(label).toMatchObject({ txId: '50', txTs: tx.TX_DATETIME, ts: tx.TX_DATETIME + 7 * 86_400_000, fraud: true });
    expect(() => toLabelMessage(tx, -1)).toThrow(/label delay/);
  });
});

import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';
import { formatDatetime, parseDatetime } from './datetime.ts';
import { TransactionFileError } from './errors.ts';
import { TRANSACTION_COLUMNS, type Transaction } from './transaction.ts';

type Column = (typeof TRANSACTION_COLUMNS)[number];

/** Only simulated histories know a fraud's scenario; a file without the column reads as 0 (none known). */
const OPTIONAL: ReadonlySet<Column> = new Set(['TX_FRAUD_SCENARIO']);

/** Where each column sits in a header line (-1: an optional one is absent); other columns are ignored. */
export function headerIndex(path: string, header: string): Record<Column, number> {
  const names = header
    .replace(/^\uFEFF/, '')
    .split(',')
    .map((n) => n.trim().replace(/^"(.*)"$/, '$1'));
  const index = {} as Record<Column, number>;
  for (const column of TRANSACTION_COLUMNS) {
    const at = names.indexOf(column);
    if (at < 0 && !OPTIONAL.has(column)) {
      throw new TransactionFileError(path, `missing column ${column} in the header (found: ${names.join(', ')})`, {
        row: 0,
        column,
      });
    }
    index[column] = at;
  }
  return index;
}

function integer(path: string, text: string | undefined, column: Column, row: number, byteOffset: number): number {
  const value = text === undefined || text === '' ? Number.NaN : Number(text);
  if (!Number.isSafeInteger(value)) {
    throw new TransactionFileError(path, `expected an integer, got ${JSON.stringify(text ?? '')}`, {
      row,
      column,
      byteOffset,
    });
  }
  return value;
}

/** Parses one data line. `row` is the 1-based data row (the header is row 0). */
export function parseCsvRow(
  path: string,
  line: string,
  index: Record<Column, number>,
  fieldCount: number,
  row: number,
  byteOffset: number,
): Transaction {
  const f = line.split(',');
  if (f.length !== fieldCount) {
    throw new TransactionFileError(path, `expected ${fieldCount} fields, found ${f.length}`, { row, byteOffset });
  }
  const datetimeText = f[index.TX_DATETIME] ?? '';
  const TX_DATETIME = parseDatetime(datetimeText.replace(/^"(.*)"$/, '$1'));
  if (Number.isNaN(TX_DATETIME)) {
    throw new TransactionFileError(
      path,
      `expected "YYYY-MM-DD HH:MM:SS" or ISO-8601, got ${JSON.stringify(datetimeText)}`,
      {
        row,
        column: 'TX_DATETIME',
        byteOffset,
      },
    );
  }
  const amountText = f[index.TX_AMOUNT] ?? '';
  const TX_AMOUNT = amountText === '' ? Number.NaN : Number(amountText);
  if (!Number.isFinite(TX_AMOUNT)) {
    throw new TransactionFileError(path, `expected a number, got ${JSON.stringify(amountText)}`, {
      row,
      column: 'TX_AMOUNT',
      byteOffset,
    });
  }
  const fraud = integer(path, f[index.TX_FRAUD], 'TX_FRAUD', row, byteOffset);
  if (fraud !== 0 && fraud !== 1) {
    throw new TransactionFileError(path, `expected 0 or 1, got ${fraud}`, { row, column: 'TX_FRAUD', byteOffset });
  }
  const scenario =
    index.TX_FRAUD_SCENARIO < 0 ? 0 : integer(path, f[index.TX_FRAUD_SCENARIO], 'TX_FRAUD_SCENARIO', row, byteOffset);
  if (scenario < 0 || scenario > 3) {
    throw new TransactionFileError(path, `expected 0, 1, 2 or 3, got ${scenario}`, {
      row,
      column: 'TX_FRAUD_SCENARIO',
      byteOffset,
    });
  }
  return {
    TRANSACTION_ID: integer(path, f[index.TRANSACTION_ID], 'TRANSACTION_ID', row, byteOffset),
    TX_DATETIME,
    CUSTOMER_ID: integer(path, f[index.CUSTOMER_ID], 'CUSTOMER_ID', row, byteOffset),
    TERMINAL_ID: integer(path, f[index.TERMINAL_ID], 'TERMINAL_ID', row, byteOffset),
    TX_AMOUNT,
    TX_FRAUD: fraud as 0 | 1,
    TX_FRAUD_SCENARIO: scenario as 0 | 1 | 2 | 3,
  };
}

export function openInput(path: string): Readable {
  const file = createReadStream(path, { highWaterMark: 1 << 20 });
  return path.endsWith('.gz') ? file.pipe(createGunzip()) : file;
}

/** Streams a CSV file (optionally gzip) in batches; memory is one batch plus one read chunk. */
export async function* readCsvTransactions(path: string, batchSize = 65_536): AsyncGenerator<Transaction[]> {
  const input = openInput(path);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let pending = '';
  let byteOffset = 0; // of the start of `pending`, in the (decompressed) text
  let index: Record<Column, number> | undefined;
  let fieldCount = 0;
  let row = 0;
  let batch: Transaction[] = [];
  const consume = (line: string, lineStart: number): void => {
    const text = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (index === undefined) {
      index = headerIndex(path, text);
      fieldCount = text.split(',').length;
      return;
    }
    row += 1;
    if (text === '') return;
    batch.push(parseCsvRow(path, text, index, fieldCount, row, lineStart));
  };
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      pending += decoder.decode(chunk, { stream: true });
      let start = 0;
      for (let nl = pending.indexOf('\n', start); nl >= 0; nl = pending.indexOf('\n', start)) {
        const line = pending.slice(start, nl);
        consume(line, byteOffset);
        byteOffset += Buffer.byteLength(line) + 1;
        start = nl + 1;
        if (batch.length >= batchSize) {
          yield batch;
          batch = [];
        }
      }
      pending = pending.slice(start);
    }
    pending += decoder.decode();
  } catch (err) {
    if (err instanceof TransactionFileError) throw err;
    throw new TransactionFileError(
      path,
      `corrupt input after data row ${row}: ${(err as Error).message}`,
      {
        row: row + 1,
        byteOffset,
      },
      { cause: err },
    );
  } finally {
    input.destroy();
  }
  if (pending !== '') {
    if (index === undefined) consume(pending, byteOffset);
    else {
      try {
        consume(pending, byteOffset);
      } catch (err) {
        throw new TransactionFileError(
          path,
          `truncated: the last line has no newline and does not parse (${(err as Error).message})`,
          { row: row, byteOffset },
          { cause: err },
        );
      }
    }
  }
  if (index === undefined) throw new TransactionFileError(path, 'empty file: no header line', { byteOffset: 0 });
  if (batch.length > 0) yield batch;
}

export const CSV_HEADER = TRANSACTION_COLUMNS.join(',');

export function formatCsvRow(t: Transaction): string {
  return `${t.TRANSACTION_ID},${formatDatetime(t.TX_DATETIME)},${t.CUSTOMER_ID},${t.TERMINAL_ID},${t.TX_AMOUNT},${t.TX_FRAUD},${t.TX_FRAUD_SCENARIO}`;
}

async function write(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

/** Writes CSV (gzip when the path ends in .gz), one batch in memory at a time. */
export async function writeCsvTransactions(
  path: string,
  batches: AsyncIterable<Transaction[]> | Iterable<Transaction[]>,
): Promise<{ rows: number }> {
  const file = createWriteStream(path);
  const out: Writable = path.endsWith('.gz') ? createGzip() : file;
  if (out !== file) out.pipe(file);
  let rows = 0;
  try {
    await write(out, `${CSV_HEADER}\n`);
    for await (const batch of batches) {
      let text = '';
      for (const t of batch) text += `${formatCsvRow(t)}\n`;
      rows += batch.length;
      await write(out, text);
    }
  } catch (err) {
    out.destroy();
    file.destroy();
    throw err;
  }
  out.end();
  await once(file, 'close');
  return { rows };
}

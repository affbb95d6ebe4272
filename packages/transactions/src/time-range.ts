import { open } from 'node:fs/promises';
import { RecordBatchReader } from 'apache-arrow';
import { datetimeColumn } from './arrow-io.ts';
import { headerIndex, openInput } from './csv-io.ts';
import { parseDatetime } from './datetime.ts';
import { TransactionFileError } from './errors.ts';
import { formatOf } from './io.ts';

/** Epoch milliseconds UTC of a file's first and last row. */
export interface TimeRange {
  firstTs: number;
  lastTs: number;
}

/**
 * The event-time range of a transaction file sorted by TX_DATETIME, from its first and last rows only: an Arrow file's
 * first and last record batches (random access through the footer), a CSV's first and last lines (one pass over the
 * bytes, nothing parsed between). A file that is not sorted is refused by whoever replays it, not here.
 */
export function readTimeRange(path: string): Promise<TimeRange> {
  return formatOf(path) === 'arrow' ? arrowTimeRange(path) : csvTimeRange(path);
}

async function arrowTimeRange(path: string): Promise<TimeRange> {
  const handle = await open(path, 'r');
  try {
    const reader = await RecordBatchReader.from(handle);
    await reader.open();
    if (!reader.isFile()) throw new TransactionFileError(path, 'not an Arrow IPC file (no footer)');
    let firstTs = Number.NaN;
    let lastTs = Number.NaN;
    for (let i = 0; i < reader.numRecordBatches && Number.isNaN(firstTs); i++) {
      const batch = await reader.readRecordBatch(i);
      if (batch !== null && batch.numRows > 0) firstTs = datetimeColumn(batch, path)[0]!;
    }
    for (let i = reader.numRecordBatches - 1; i >= 0 && Number.isNaN(lastTs); i--) {
      const batch = await reader.readRecordBatch(i);
      if (batch !== null && batch.numRows > 0) lastTs = datetimeColumn(batch, path)[batch.numRows - 1]!;
    }
    if (Number.isNaN(firstTs)) throw new TransactionFileError(path, 'no transactions');
    return { firstTs, lastTs };
  } catch (err) {
    if (err instanceof TransactionFileError) throw err;
    throw new TransactionFileError(path, `corrupt Arrow IPC file: ${(err as Error).message}`, {}, { cause: err });
  } finally {
    await handle.close();
  }
}

const NEWLINE = 0x0a;

async function csvTimeRange(path: string): Promise<TimeRange> {
  let header: string | undefined;
  let first: string | undefined;
  let last: string | undefined;
  let carry = Buffer.alloc(0);
  for await (const chunk of openInput(path) as AsyncIterable<Buffer>) {
    // `buf` starts at a line start: `carry` is the previous chunk's unfinished line.
    const buf = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    let start = 0;
    while (first === undefined) {
      const nl = buf.indexOf(NEWLINE, start);
      if (nl < 0) break;
      const line = buf.toString('utf8', start, nl).trim();
      if (header === undefined) header = line;
      else if (line !== '') first = line;
      start = nl + 1;
    }
    let end = buf.lastIndexOf(NEWLINE);
    carry = Buffer.from(buf.subarray(end + 1));
    while (end >= 0) {
      const from = buf.lastIndexOf(NEWLINE, end - 1) + 1;
      const line = buf.toString('utf8', from, end).trim();
      if (line !== '') {
        last = line;
        break;
      }
      end = from - 1;
    }
  }
  const unfinished = carry.toString('utf8').trim();
  if (header === undefined) {
    if (unfinished === '') throw new TransactionFileError(path, 'empty file: no header line', { byteOffset: 0 });
    header = unfinished;
  } else if (unfinished !== '') {
    first ??= unfinished;
    last = unfinished;
  }
  if (first === undefined || last === undefined) throw new TransactionFileError(path, 'no transactions');
  const column = headerIndex(path, header).TX_DATETIME;
  const time = (line: string, row: string): number => {
    const text = (line.split(',')[column] ?? '').replace(/^"(.*)"$/, '$1');
    const ts = parseDatetime(text);
    if (Number.isNaN(ts))
      throw new TransactionFileError(path, `${row} row: expected a datetime, got ${JSON.stringify(text)}`, {
        column: 'TX_DATETIME',
      });
    return ts;
  };
  return { firstTs: time(first, 'first'), lastTs: time(last, 'last') };
}

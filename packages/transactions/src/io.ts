import {
  columnsFromRows,
  readArrowColumns,
  readArrowTransactions,
  type TransactionColumns,
  writeArrowTransactions,
} from './arrow-io.ts';
import { readCsvTransactions, writeCsvTransactions } from './csv-io.ts';
import type { Transaction } from './transaction.ts';

export type { TransactionColumns } from './arrow-io.ts';
export { TransactionFileError } from './errors.ts';

export type TransactionFormat = 'csv' | 'arrow';

/** The format a path names: .csv or .csv.gz → CSV; .arrow, .feather, .ipc → Arrow IPC file. */
export function formatOf(path: string): TransactionFormat {
  const lower = path.toLowerCase();
  if (lower.endsWith('.csv') || lower.endsWith('.csv.gz')) return 'csv';
  if (lower.endsWith('.arrow') || lower.endsWith('.feather') || lower.endsWith('.ipc')) return 'arrow';
  throw new Error(`${path}: unknown transaction file type (use .csv, .csv.gz, .arrow or .feather)`);
}

/** Reads a transaction file in batches of about `batchSize` rows (the last may be shorter), in file order. */
export function readTransactions(path: string, opts: { batchSize?: number } = {}): AsyncGenerator<Transaction[]> {
  const batchSize = opts.batchSize ?? 65_536;
  if (!(Number.isInteger(batchSize) && batchSize > 0))
    throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  return formatOf(path) === 'csv' ? readCsvTransactions(path, batchSize) : readArrowTransactions(path, batchSize);
}

/** Writes batches to a transaction file; the format comes from the extension. */
export function writeTransactions(
  path: string,
  batches: AsyncIterable<Transaction[]> | Iterable<Transaction[]>,
): Promise<{ rows: number }> {
  return formatOf(path) === 'csv' ? writeCsvTransactions(path, batches) : writeArrowTransactions(path, batches);
}

/**
 * The fast path for training: typed-array columns per batch. An Arrow file yields its own record batches with no
 * copy per row; a CSV is parsed and converted batch by batch.
 */
export async function* readTransactionColumns(
  path: string,
  opts: { batchSize?: number } = {},
): AsyncGenerator<TransactionColumns> {
  if (formatOf(path) === 'arrow') {
    yield* readArrowColumns(path);
    return;
  }
  for await (const rows of readCsvTransactions(path, opts.batchSize ?? 65_536)) yield columnsFromRows(rows);
}

export { writeArrowColumns } from './arrow-io.ts';

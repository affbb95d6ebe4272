import { createReplay, type FeatureSetName } from '@fraud-operator/features';
import { readTransactionColumns } from '@fraud-operator/transactions/io';
import type { RowFilter } from './kept-rows.ts';
import { dayOf } from './protocol.ts';

/**
 * A labelled history in memory: the columns the protocol needs and the feature matrix, row-major. It holds every row
 * of the file, or the ones a RowFilter kept (in file order); the day range is the whole file's either way.
 */
export interface Dataset {
  rows: number;
  names: readonly string[];
  features: Float32Array;
  txId: Int32Array;
  day: Int32Array;
  customer: Int32Array;
  amount: Float64Array;
  fraud: Int8Array;
  /** The file's first and last day and its row count, kept or not. */
  firstDay: number;
  lastDay: number;
  replayedRows: number;
}

type Columns = Omit<Dataset, 'rows' | 'names' | 'firstDay' | 'lastDay' | 'replayedRows'>;

/** Joins the kept slices of every batch into one array per column, dropping each slice once it is copied. */
function concat(parts: Columns[], rows: number, width: number): Columns {
  const out: Columns = {
    features: new Float32Array(rows * width),
    txId: new Int32Array(rows),
    day: new Int32Array(rows),
    customer: new Int32Array(rows),
    amount: new Float64Array(rows),
    fraud: new Int8Array(rows),
  };
  let n = 0;
  for (let p = 0; p < parts.length; p++) {
    const part = parts[p]!;
    out.features.set(part.features, n * width);
    out.txId.set(part.txId, n);
    out.day.set(part.day, n);
    out.customer.set(part.customer, n);
    out.amount.set(part.amount, n);
    out.fraud.set(part.fraud, n);
    n += part.txId.length;
    parts[p] = undefined as unknown as Columns;
  }
  return out;
}

/**
 * Reads a transaction file (CSV or Arrow) and replays every row through the feature engine, in file (event-time) order
 * (the replay is the state: no row may be skipped), keeping the rows `keep` accepts (all by default).
 */
export async function loadDataset(path: string, featureSet: FeatureSetName, keep?: RowFilter): Promise<Dataset> {
  const replay = createReplay({ featureSet });
  const width = replay.names.length;
  const parts: Columns[] = [];
  let replayed = 0;
  let kept = 0;
  let firstTs = Number.NaN;
  let lastTs = Number.NEGATIVE_INFINITY;
  for await (const cols of readTransactionColumns(path)) {
    const rows = cols.length;
    if (rows === 0) continue;
    for (let i = 0; i < rows; i++) {
      const ts = cols.TX_DATETIME[i]!;
      if (ts < lastTs)
        throw new Error(
          `${path}: row ${replayed + i + 1} is earlier than the row before it; sort the file by TX_DATETIME`,
        );
      lastTs = ts;
    }
    if (Number.isNaN(firstTs)) firstTs = cols.TX_DATETIME[0]!;
    const m = replay.push(cols);
    const index = new Int32Array(rows);
    let k = 0;
    for (let i = 0; i < rows; i++) {
      if (keep === undefined || keep(dayOf(cols.TX_DATETIME[i]!), cols.TX_FRAUD[i]!, cols.TRANSACTION_ID[i]!))
        index[k++] = i;
    }
    replayed += rows;
    if (k === 0) continue;
    // A column may be a view over a longer (padded) Arrow buffer, or the reader's own: copy exactly the kept rows.
    const part: Columns = {
      features: k === rows ? m : new Float32Array(k * width),
      txId: new Int32Array(k),
      day: new Int32Array(k),
      customer: new Int32Array(k),
      amount: new Float64Array(k),
      fraud: new Int8Array(k),
    };
    for (let j = 0; j < k; j++) {
      const i = index[j]!;
      if (k !== rows) part.features.set(m.subarray(i * width, (i + 1) * width), j * width);
      part.txId[j] = cols.TRANSACTION_ID[i]!;
      part.day[j] = dayOf(cols.TX_DATETIME[i]!);
      part.customer[j] = cols.CUSTOMER_ID[i]!;
      part.amount[j] = cols.TX_AMOUNT[i]!;
      part.fraud[j] = cols.TX_FRAUD[i]!;
    }
    parts.push(part);
    kept += k;
  }
  if (replayed === 0) throw new Error(`${path}: no transactions`);
  return {
    rows: kept,
    names: replay.names,
    ...concat(parts, kept, width),
    firstDay: dayOf(firstTs),
    lastDay: dayOf(lastTs),
    replayedRows: replayed,
  };
}

/** The rows where `mask` is 1: their features (row-major) and labels. */
export function select(ds: Dataset, mask: Uint8Array): { x: Float32Array; y: Int8Array; index: Int32Array } {
  const width = ds.names.length;
  let count = 0;
  for (let i = 0; i < ds.rows; i++) count += mask[i]!;
  const x = new Float32Array(count * width);
  const y = new Int8Array(count);
  const index = new Int32Array(count);
  let k = 0;
  for (let i = 0; i < ds.rows; i++) {
    if (mask[i] !== 1) continue;
    x.set(ds.features.subarray(i * width, (i + 1) * width), k * width);
    y[k] = ds.fraud[i]!;
    index[k] = i;
    k++;
  }
  return { x, y, index };
}

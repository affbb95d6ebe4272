import { createReplay, type FeatureSetName } from '@fraud-operator/features';
import { readTransactionColumns } from '@fraud-operator/transactions/io';
import { dayOf } from './protocol.ts';

/** A labelled history in memory: the columns the protocol needs and the feature matrix, row-major. */
export interface Dataset {
  rows: number;
  names: readonly string[];
  features: Float32Array;
  txId: Int32Array;
  day: Int32Array;
  customer: Int32Array;
  amount: Float64Array;
  fraud: Int8Array;
  firstTs: number;
  lastTs: number;
}

function grow<T extends Int32Array | Int8Array | Float32Array | Float64Array>(a: T, size: number): T {
  if (a.length >= size) return a;
  const b = new (a.constructor as new (n: number) => T)(Math.max(size, a.length * 2));
  b.set(a);
  return b;
}

/** Reads a transaction file (CSV or Arrow) and replays it through the feature engine, in file (event-time) order. */
export async function loadDataset(path: string, featureSet: FeatureSetName): Promise<Dataset> {
  const replay = createReplay({ featureSet });
  const width = replay.names.length;
  let n = 0;
  let features = new Float32Array(0);
  let txId = new Int32Array(0);
  let day = new Int32Array(0);
  let customer = new Int32Array(0);
  let amount = new Float64Array(0);
  let fraud = new Int8Array(0);
  let lastTs = Number.NEGATIVE_INFINITY;
  for await (const cols of readTransactionColumns(path)) {
    for (let i = 0; i < cols.length; i++) {
      const ts = cols.TX_DATETIME[i]!;
      if (ts < lastTs)
        throw new Error(`${path}: row ${n + i + 1} is earlier than the row before it; sort the file by TX_DATETIME`);
      lastTs = ts;
    }
    const m = replay.push(cols);
    const size = n + cols.length;
    features = grow(features, size * width);
    txId = grow(txId, size);
    day = grow(day, size);
    customer = grow(customer, size);
    amount = grow(amount, size);
    fraud = grow(fraud, size);
    features.set(m, n * width);
    // A column may be a view over a longer (padded) Arrow buffer: take exactly the batch's rows.
    const rows = cols.length;
    txId.set(cols.TRANSACTION_ID.subarray(0, rows), n);
    customer.set(cols.CUSTOMER_ID.subarray(0, rows), n);
    amount.set(cols.TX_AMOUNT.subarray(0, rows), n);
    fraud.set(cols.TX_FRAUD.subarray(0, rows), n);
    for (let i = 0; i < cols.length; i++) day[n + i] = dayOf(cols.TX_DATETIME[i]!);
    n = size;
  }
  if (n === 0) throw new Error(`${path}: no transactions`);
  return {
    rows: n,
    names: replay.names,
    features: features.subarray(0, n * width),
    txId: txId.subarray(0, n),
    day: day.subarray(0, n),
    customer: customer.subarray(0, n),
    amount: amount.subarray(0, n),
    fraud: fraud.subarray(0, n),
    firstTs: Number.NaN,
    lastTs,
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

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import {
  type Data,
  Field,
  Float64,
  Int8,
  Int32,
  makeData,
  RecordBatch,
  RecordBatchFileWriter,
  RecordBatchReader,
  Schema,
  Struct,
  TimestampMillisecond,
} from 'apache-arrow';
import { TransactionFileError } from './errors.ts';
import type { Transaction } from './transaction.ts';

/** The columnar file's schema: IDs int32, event time timestamp[ms, UTC], amount float64, flags int8. */
export const ARROW_SCHEMA = new Schema([
  new Field('TRANSACTION_ID', new Int32(), false),
  new Field('TX_DATETIME', new TimestampMillisecond('UTC'), false),
  new Field('CUSTOMER_ID', new Int32(), false),
  new Field('TERMINAL_ID', new Int32(), false),
  new Field('TX_AMOUNT', new Float64(), false),
  new Field('TX_FRAUD', new Int8(), false),
  new Field('TX_FRAUD_SCENARIO', new Int8(), false),
]);

/** One batch as typed arrays, the fast path for training: no object per row. */
export interface TransactionColumns {
  length: number;
  TRANSACTION_ID: Int32Array;
  /** Epoch milliseconds UTC. */
  TX_DATETIME: Float64Array;
  CUSTOMER_ID: Int32Array;
  TERMINAL_ID: Int32Array;
  TX_AMOUNT: Float64Array;
  TX_FRAUD: Int8Array;
  TX_FRAUD_SCENARIO: Int8Array;
}

const INT32_MAX = 2 ** 31 - 1;

export function columnsFromRows(rows: Transaction[]): TransactionColumns {
  const n = rows.length;
  const c: TransactionColumns = {
    length: n,
    TRANSACTION_ID: new Int32Array(n),
    TX_DATETIME: new Float64Array(n),
    CUSTOMER_ID: new Int32Array(n),
    TERMINAL_ID: new Int32Array(n),
    TX_AMOUNT: new Float64Array(n),
    TX_FRAUD: new Int8Array(n),
    TX_FRAUD_SCENARIO: new Int8Array(n),
  };
  for (let i = 0; i < n; i++) {
    const t = rows[i] as Transaction;
    if (!(t.TRANSACTION_ID >= 0 && t.TRANSACTION_ID <= INT32_MAX)) {
      throw new RangeError(`TRANSACTION_ID ${t.TRANSACTION_ID} does not fit the columnar file's int32 column`);
    }
    c.TRANSACTION_ID[i] = t.TRANSACTION_ID;
    c.TX_DATETIME[i] = t.TX_DATETIME;
    c.CUSTOMER_ID[i] = t.CUSTOMER_ID;
    c.TERMINAL_ID[i] = t.TERMINAL_ID;
    c.TX_AMOUNT[i] = t.TX_AMOUNT;
    c.TX_FRAUD[i] = t.TX_FRAUD;
    c.TX_FRAUD_SCENARIO[i] = t.TX_FRAUD_SCENARIO;
  }
  return c;
}

export function rowsFromColumns(c: TransactionColumns): Transaction[] {
  const rows: Transaction[] = new Array(c.length);
  for (let i = 0; i < c.length; i++) {
    rows[i] = {
      TRANSACTION_ID: c.TRANSACTION_ID[i] as number,
      TX_DATETIME: c.TX_DATETIME[i] as number,
      CUSTOMER_ID: c.CUSTOMER_ID[i] as number,
      TERMINAL_ID: c.TERMINAL_ID[i] as number,
      TX_AMOUNT: c.TX_AMOUNT[i] as number,
      TX_FRAUD: c.TX_FRAUD[i] as 0 | 1,
      TX_FRAUD_SCENARIO: c.TX_FRAUD_SCENARIO[i] as 0 | 1 | 2 | 3,
    };
  }
  return rows;
}

function recordBatch(c: TransactionColumns): RecordBatch {
  const length = c.length;
  const times = new BigInt64Array(length);
  for (let i = 0; i < length; i++) times[i] = BigInt(Math.round(c.TX_DATETIME[i] as number));
  const fields = ARROW_SCHEMA.fields;
  const child = (i: number, data: ArrayLike<number | bigint>): Data =>
    makeData({ type: (fields[i] as Field).type, length, nullCount: 0, data } as never);
  const children = [
    child(0, c.TRANSACTION_ID),
    child(1, times),
    child(2, c.CUSTOMER_ID),
    child(3, c.TERMINAL_ID),
    child(4, c.TX_AMOUNT),
    child(5, c.TX_FRAUD),
    child(6, c.TX_FRAUD_SCENARIO),
  ];
  return new RecordBatch(ARROW_SCHEMA, makeData({ type: new Struct(fields), length, nullCount: 0, children }));
}

/** Writes an Arrow IPC file (uncompressed, readable by pyarrow and pandas.read_feather) one record batch per input batch. */
export async function writeArrowColumns(
  path: string,
  batches: AsyncIterable<TransactionColumns> | Iterable<TransactionColumns>,
): Promise<{ rows: number }> {
  const out = createWriteStream(path);
  const writer = new RecordBatchFileWriter();
  const piped = writer.toNodeStream().pipe(out);
  writer.reset(undefined, ARROW_SCHEMA);
  let rows = 0;
  // Let the pipe move the batch to the file (a macrotask turn), then wait while the file lags: memory stays ~1 batch.
  const drained = async (): Promise<void> => {
    await new Promise((resolve) => setImmediate(resolve));
    while (out.writableNeedDrain) await once(out, 'drain');
  };
  try {
    for await (const c of batches) {
      if (c.length === 0) continue;
      writer.write(recordBatch(c));
      rows += c.length;
      await drained();
    }
  } catch (err) {
    writer.abort();
    out.destroy();
    throw err;
  }
  writer.finish();
  await once(piped, 'close');
  return { rows };
}

export async function writeArrowTransactions(
  path: string,
  batches: AsyncIterable<Transaction[]> | Iterable<Transaction[]>,
): Promise<{ rows: number }> {
  async function* columns(): AsyncGenerator<TransactionColumns> {
    for await (const b of batches) yield columnsFromRows(b);
  }
  return writeArrowColumns(path, columns());
}

function columnOf<T extends Int32Array | Int8Array | Float64Array>(
  batch: RecordBatch,
  name: string,
  path: string,
  ctor: new (n: number) => T,
): T {
  const vector = batch.getChild(name);
  if (vector === null) throw new TransactionFileError(path, `missing column ${name}`, { column: name });
  const n = batch.numRows;
  if (vector.data.length === 1 && vector.nullCount === 0) {
    const values = (vector.data[0] as Data).values as unknown;
    if (values instanceof ctor) return values;
  }
  const out = new ctor(n) as unknown as { [i: number]: number };
  for (let i = 0; i < n; i++) {
    const v = vector.get(i);
    if (v === null) throw new TransactionFileError(path, 'null value', { column: name, row: i });
    out[i] = Number(v);
  }
  return out as unknown as T;
}

export function datetimeColumn(batch: RecordBatch, path: string): Float64Array {
  const vector = batch.getChild('TX_DATETIME');
  if (vector === null) throw new TransactionFileError(path, 'missing column TX_DATETIME', { column: 'TX_DATETIME' });
  const out = new Float64Array(batch.numRows);
  let i = 0;
  for (const data of vector.data) {
    const values = data.values as BigInt64Array | Int32Array;
    if (values instanceof BigInt64Array) for (let j = 0; j < data.length; j++) out[i++] = Number(values[j]);
    else for (let j = 0; j < data.length; j++) out[i++] = Number(vector.get(i));
  }
  return out;
}

/** Streams an Arrow IPC file batch by batch through random access: memory is about one record batch. */
export async function* readArrowColumns(path: string): AsyncGenerator<TransactionColumns> {
  const handle = await open(path, 'r');
  let rowsRead = 0;
  try {
    const size = (await handle.stat()).size;
    const magic = Buffer.alloc(6);
    await handle.read(magic, 0, 6, 0);
    const tail = Buffer.alloc(6);
    await handle.read(tail, 0, 6, Math.max(0, size - 6));
    if (magic.toString('latin1') !== 'ARROW1' || tail.toString('latin1') !== 'ARROW1') {
      throw new TransactionFileError(
        path,
        `not a complete Arrow IPC file (size ${size} bytes; the ARROW1 magic is missing at the ${magic.toString('latin1') === 'ARROW1' ? 'end: truncated' : 'start'})`,
        { byteOffset: magic.toString('latin1') === 'ARROW1' ? size : 0 },
      );
    }
    const reader = await RecordBatchReader.from(handle);
    await reader.open();
    const found = reader.schema.fields.map((f) => f.name);
    const missing = ARROW_SCHEMA.fields.map((f) => f.name).filter((name) => !found.includes(name));
    if (missing.length > 0) {
      throw new TransactionFileError(
        path,
        `the file's schema lacks ${missing.join(', ')} (found: ${found.join(', ') || 'nothing'}): corrupt, or not a transaction file`,
        { column: missing[0] as string },
      );
    }
    for await (const batch of reader) {
      const c: TransactionColumns = {
        length: batch.numRows,
        TRANSACTION_ID: columnOf(batch, 'TRANSACTION_ID', path, Int32Array),
        TX_DATETIME: datetimeColumn(batch, path),
        CUSTOMER_ID: columnOf(batch, 'CUSTOMER_ID', path, Int32Array),
        TERMINAL_ID: columnOf(batch, 'TERMINAL_ID', path, Int32Array),
        TX_AMOUNT: columnOf(batch, 'TX_AMOUNT', path, Float64Array),
        TX_FRAUD: columnOf(batch, 'TX_FRAUD', path, Int8Array),
        TX_FRAUD_SCENARIO: columnOf(batch, 'TX_FRAUD_SCENARIO', path, Int8Array),
      };
      rowsRead += c.length;
      yield c;
    }
  } catch (err) {
    if (err instanceof TransactionFileError) throw err;
    throw new TransactionFileError(
      path,
      `corrupt Arrow IPC file after ${rowsRead} rows: ${(err as Error).message}`,
      {
        row: rowsRead,
      },
      { cause: err },
    );
  } finally {
    await handle.close();
  }
}

export async function* readArrowTransactions(path: string, batchSize = 65_536): AsyncGenerator<Transaction[]> {
  let rows: Transaction[] = [];
  for await (const c of readArrowColumns(path)) {
    for (const t of rowsFromColumns(c)) {
      rows.push(t);
      if (rows.length >= batchSize) {
        yield rows;
        rows = [];
      }
    }
  }
  if (rows.length > 0) yield rows;
}

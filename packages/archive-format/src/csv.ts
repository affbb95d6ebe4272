import type { TransactionMessage } from '@fraud-operator/transactions';

/**
 * The archive's CSV: this header line, then one transaction per line, in offset order.
 * - offset: the Kafka offset of the record in the object's partition.
 * - txId, ts (event time, epoch ms UTC), customerId, terminalId, amount: the TransactionMessage fields.
 * - unparsed: empty, or the base64 of a record value that was not a valid TransactionMessage (kept, not dropped,
 *   so every offset is archived).
 */
export const CSV_COLUMNS = ['offset', 'txId', 'ts', 'customerId', 'terminalId', 'amount', 'unparsed'] as const;
export const CSV_HEADER_LINE = `${CSV_COLUMNS.join(',')}\n`;

const NEEDS_QUOTES = /[",\r\n]/;

export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** A TransactionMessage if the value is one, else undefined. */
export function parseTransaction(value: Buffer | null): TransactionMessage | undefined {
  if (!value) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(value.toString('utf8'));
  } catch {
    return undefined;
  }
  const t = v as Record<string, unknown>;
  if (
    typeof t !== 'object' ||
    t === null ||
    typeof t.txId !== 'string' ||
    typeof t.ts !== 'number' ||
    !Number.isFinite(t.ts) ||
    typeof t.customerId !== 'string' ||
    typeof t.terminalId !== 'string' ||
    typeof t.amount !== 'number' ||
    !Number.isFinite(t.amount)
  ) {
    return undefined;
  }
  return t as unknown as TransactionMessage;
}

/** One CSV line (with its newline) for the record at `offset`. */
export function csvLine(offset: number, tx: TransactionMessage | undefined, raw: Buffer | null): string {
  if (!tx) return `${offset},,,,,,${raw ? raw.toString('base64') : ''}\n`;
  return `${offset},${csvField(tx.txId)},${tx.ts},${csvField(tx.customerId)},${csvField(tx.terminalId)},${tx.amount},\n`;
}

/** Splits one CSV line (without its newline) into fields, honouring quotes. */
export function parseCsvLine(line: string): string[] {
  const fields: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let value = '';
      i++;
      while (i < line.length) {
        if (line[i] === '"' && line[i + 1] === '"') {
          value += '"';
          i += 2;
        } else if (line[i] === '"') {
          i++;
          break;
        } else value += line[i++];
      }
      fields.push(value);
      i++;
    } else {
      const comma = line.indexOf(',', i);
      const end = comma === -1 ? line.length : comma;
      fields.push(line.slice(i, end));
      i = end + 1;
    }
  }
  return fields;
}

/** Feeds plaintext pieces, yields complete lines; keeps only the unfinished tail. Quoted newlines are respected. */
export class LineSplitter {
  private tail = '';

  push(text: string): string[] {
    const all = this.tail + text;
    const lines: string[] = [];
    let start = 0;
    let quoted = false;
    for (let i = 0; i < all.length; i++) {
      const c = all.charCodeAt(i);
      if (c === 34) quoted = !quoted;
      else if (c === 10 && !quoted) {
        lines.push(all.slice(start, i));
        start = i + 1;
      }
    }
    this.tail = all.slice(start);
    return lines;
  }

  /** The unfinished tail; a complete archive ends with a newline, so this is empty. */
  rest(): string {
    return this.tail;
  }
}

import type { Transaction } from './transaction.ts';
import type { LabelMessage, TransactionMessage } from './wire.ts';

/** The wire message of a transaction: event time, never the wall clock. */
export function toMessage(tx: Transaction): TransactionMessage {
  return {
    txId: String(tx.TRANSACTION_ID),
    ts: tx.TX_DATETIME,
    customerId: String(tx.CUSTOMER_ID),
    terminalId: String(tx.TERMINAL_ID),
    amount: tx.TX_AMOUNT,
  };
}

/** The label of a transaction, known `delayMs` of event time after it (the chargeback lag). */
export function toLabelMessage(tx: Transaction, delayMs: number): LabelMessage {
  if (!(delayMs >= 0)) throw new RangeError(`label delay must be ≥ 0 ms, got ${delayMs}`);
  return {
    txId: String(tx.TRANSACTION_ID),
    txTs: tx.TX_DATETIME,
    ts: tx.TX_DATETIME + delayMs,
    customerId: String(tx.CUSTOMER_ID),
    terminalId: String(tx.TERMINAL_ID),
    fraud: tx.TX_FRAUD === 1,
  };
}

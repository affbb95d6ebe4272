import type { Transaction } from '@fraud-operator/transactions/transaction';

export type StreamEvent =
  | { kind: 'transaction'; ts: number; tx: Transaction }
  | { kind: 'label'; ts: number; tx: Transaction };

/**
 * Merges transactions (already in event-time order) with their fraud labels, each due `delayMs` of event time after its
 * transaction, into one event-time-ordered stream. A label is emitted just before the first transaction later than its
 * due time; the labels still pending when the transactions end are emitted last. Only frauds get a label.
 */
export function* interleaveLabels(batches: Iterable<Transaction[]>, delayMs: number): Generator<StreamEvent> {
  if (!(delayMs >= 0)) throw new RangeError(`label delay must be ≥ 0 ms, got ${delayMs}`);
  const pending: Transaction[] = []; // due times ascending, since transactions come in time order
  let head = 0;
  for (const batch of batches) {
    for (const tx of batch) {
      while (head < pending.length && (pending[head] as Transaction).TX_DATETIME + delayMs <= tx.TX_DATETIME) {
        const due = pending[head++] as Transaction;
        yield { kind: 'label', ts: due.TX_DATETIME + delayMs, tx: due };
      }
      if (head > 4096 && head * 2 > pending.length) {
        pending.splice(0, head);
        head = 0;
      }
      yield { kind: 'transaction', ts: tx.TX_DATETIME, tx };
      if (tx.TX_FRAUD === 1) pending.push(tx);
    }
  }
  for (; head < pending.length; head++) {
    const due = pending[head] as Transaction;
    yield { kind: 'label', ts: due.TX_DATETIME + delayMs, tx: due };
  }
}

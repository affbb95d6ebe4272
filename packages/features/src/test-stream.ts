import { HANDBOOK, resolveConfig, simulate } from '@fraud-operator/simulator';
import type { Transaction } from '@fraud-operator/transactions';
import type { LabelMessage, TransactionMessage } from '@fraud-operator/transactions/wire';

/** A small simulated history (Handbook generator, reduced), for the engine's tests. */
export function smallHistory(seed = 3, days = 45): Transaction[] {
  return [...simulate(resolveConfig(HANDBOOK, { customers: 150, terminals: 60, days }), seed)].flat();
}

export const toMessage = (t: Transaction): TransactionMessage => ({
  txId: String(t.TRANSACTION_ID),
  ts: t.TX_DATETIME,
  customerId: String(t.CUSTOMER_ID),
  terminalId: String(t.TERMINAL_ID),
  amount: t.TX_AMOUNT,
});

export const labelOf = (t: Transaction, delayMs: number): LabelMessage => ({
  ...toMessage(t),
  txTs: t.TX_DATETIME,
  ts: t.TX_DATETIME + delayMs,
  fraud: t.TX_FRAUD === 1,
});

/**
 * What travels on Kafka. Topic names are defaults; a FraudModel may rename them.
 * - `transactions`: key = customerId (per-card order), value = JSON TransactionMessage.
 * - `labels`: key = customerId, value = JSON LabelMessage (a chargeback or a confirmed genuine outcome).
 * - `verdicts`: key = txId, value = JSON Verdict. Redis holds the same under `verdict:{txId}`.
 */
export interface TransactionMessage {
  txId: string;
  /** Event time, epoch milliseconds UTC. Every window and delay downstream runs on this clock. */
  ts: number;
  customerId: string;
  terminalId: string;
  amount: number;
}

export interface LabelMessage {
  txId: string;
  /** Event time of the transaction the label is about. */
  txTs: number;
  /** Event time at which the label became known (txTs + chargeback delay). */
  ts: number;
  customerId: string;
  terminalId: string;
  fraud: boolean;
}

export interface Verdict {
  txId: string;
  score: number;
  decision: 'fraud' | 'legit';
  modelVersion: string;
  threshold: number;
  latencyMs: number;
}

export const DEFAULT_TOPICS = {
  transactions: 'transactions',
  labels: 'labels',
  verdicts: 'verdicts',
  deadLetters: 'transactions.dlq',
} as const;

export const verdictKey = (txId: string): string => `verdict:${txId}`;

/**
 * After SETting `verdict:{txId}`, the scorer PUBLISHes the same JSON on this channel, so the API can hold a request
 * until the verdict lands without polling (contract in api-image/README.md). SET first, PUBLISH second.
 */
export const verdictChannel = (txId: string): string => `verdicts:${txId}`;

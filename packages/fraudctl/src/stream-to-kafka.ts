import { setTimeout as sleep } from 'node:timers/promises';
import type { Producer } from '@fraud-operator/kafka/producer';
import { interleaveLabels } from '@fraud-operator/simulator/interleave';
import { toLabelMessage, toMessage } from '@fraud-operator/transactions/message';
import type { Transaction } from '@fraud-operator/transactions/transaction';

export interface StreamOptions {
  producer: Pick<Producer, 'send'>;
  transactionsTopic: string;
  labelsTopic: string;
  /** Chargeback lag in event time. */
  labelDelayMs: number;
  /** At most this many transactions per wall-clock second. */
  rate: number;
  /** Simulated days per wall-clock minute: event time never runs ahead of this pace. */
  speed: number;
  /** Messages per send at most. */
  maxBatch?: number;
  onSent?(counts: { transactions: number; labels: number; eventTime: number }): void;
  signal?: AbortSignal;
}

/**
 * Streams transactions and, `labelDelayMs` of event time later, their fraud labels. The wall clock only paces the
 * stream; every message carries event time (`ts`), and Kafka's own timestamp is left to the broker.
 */
export async function streamToKafka(
  batches: Iterable<Transaction[]>,
  options: StreamOptions,
): Promise<{ transactions: number; labels: number }> {
  const eventMsPerWallMs = (options.speed * 86_400_000) / 60_000;
  const maxBatch = options.maxBatch ?? 500;
  const started = performance.now();
  let firstEventTs: number | undefined;
  let transactions = 0;
  let labels = 0;
  let txOut: { key: string; value: string }[] = [];
  let labelOut: { key: string; value: string }[] = [];
  let eventTime = 0;
  const flush = async (): Promise<void> => {
    if (txOut.length > 0) await options.producer.send(options.transactionsTopic, txOut);
    if (labelOut.length > 0) await options.producer.send(options.labelsTopic, labelOut);
    txOut = [];
    labelOut = [];
    options.onSent?.({ transactions, labels, eventTime });
  };
  for (const event of interleaveLabels(batches, options.labelDelayMs)) {
    if (options.signal?.aborted) break;
    firstEventTs ??= event.ts;
    eventTime = event.ts;
    const dueByEventTime = (event.ts - firstEventTs) / eventMsPerWallMs;
    const dueByRate = (transactions / options.rate) * 1000;
    const wait = Math.max(dueByEventTime, event.kind === 'transaction' ? dueByRate : 0) - (performance.now() - started);
    if (wait > 20 || txOut.length + labelOut.length >= maxBatch) {
      await flush();
      if (wait > 0) await sleep(wait);
    }
    if (event.kind === 'transaction') {
      const message = toMessage(event.tx);
      txOut.push({ key: message.customerId, value: JSON.stringify(message) });
      transactions++;
    } else {
      const message = toLabelMessage(event.tx, options.labelDelayMs);
      labelOut.push({ key: message.customerId, value: JSON.stringify(message) });
      labels++;
    }
  }
  await flush();
  return { transactions, labels };
}

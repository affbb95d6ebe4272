// Publishes transactions to Kafka as the scorer expects (key = customerId, value = JSON TransactionMessage).
// The producer connects in the background so the API can start, and answer /readyz = 503, while Kafka is away.
import { openProducer, type Producer } from '@fraud-operator/kafka/producer';
import type { TransactionMessage } from '@fraud-operator/transactions/wire';
import { ApiError } from './problem.ts';

export interface Publisher {
  start(): void;
  publish(message: TransactionMessage): Promise<void>;
  isReady(): boolean;
  close(): Promise<void>;
}

export interface PublisherOptions {
  brokers: string[];
  clientId: string;
  topic: string;
  timeoutMs: number;
  onError: (err: unknown, msg: string) => void;
}

export function createPublisher(o: PublisherOptions): Publisher {
  let producer: Producer | undefined;
  let connecting: Promise<Producer> | undefined;
  let closed = false;

  const connect = async (): Promise<Producer> => {
    for (let attempt = 0; ; attempt++) {
      if (closed) throw new Error('publisher closed');
      try {
        producer = await openProducer({ brokers: o.brokers, clientId: o.clientId });
        if (closed) await producer.close();
        return producer;
      } catch (err) {
        o.onError(err, 'kafka producer connect failed; retrying');
        const backoff = Math.min(10_000, 250 * 2 ** attempt) * (0.5 + Math.random() / 2);
        await new Promise((r) => setTimeout(r, backoff).unref());
      }
    }
  };

  const withTimeout = <T>(p: Promise<T>): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new ApiError(503, 'kafka-unavailable', 'publish timed out', { retriable: true })),
        o.timeoutMs,
      );
    });
    return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
  };

  return {
    start() {
      connecting ??= connect();
      connecting.catch(() => {});
    },
    async publish(m) {
      this.start();
      try {
        const p = producer ?? (await withTimeout(connecting!));
        await withTimeout(p.send(o.topic, [{ key: m.customerId, value: JSON.stringify(m), timestamp: m.ts }]));
      } catch (err) {
        if (err instanceof ApiError) throw err;
        throw new ApiError(503, 'kafka-unavailable', 'publish failed', { retriable: true, cause: err });
      }
    },
    isReady: () => producer?.isConnected() === true,
    async close() {
      closed = true;
      await producer?.close().catch(() => {});
    },
  };
}

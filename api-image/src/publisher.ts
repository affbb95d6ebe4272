// Publishes transactions to Kafka as the scorer expects (key = customerId, value = JSON TransactionMessage).
// The producer connects in the background so the API can start, and answer /readyz = 503, while Kafka is away.
// Concurrent publishes share one produce request (micro-batch.ts): one Kafka round trip and one encode per batch,
// not per HTTP request; each caller still waits for the acknowledgement of the batch holding its message.
import { openProducer, type ProducedMessage, type Producer } from '@fraud-operator/kafka/producer';
import type { TransactionMessage } from '@fraud-operator/transactions/wire';
import { createMicroBatcher } from './micro-batch.ts';
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
  /** Messages per produce request at most (default 200). */
  batchMaxMessages?: number;
  /** How long a batch waits for more messages; 0 (default) sends on the event loop's next turn. */
  batchLingerMs?: number;
  onError: (err: unknown, msg: string) => void;
}

export function createPublisher(o: PublisherOptions): Publisher {
  let producer: Producer | undefined;
  let connecting: Promise<Producer> | undefined;
  let closed = false;
  const batcher = createMicroBatcher<ProducedMessage>({
    // Only reached once `producer` is set: publish() awaits the connection before queueing.
    send: (messages) => producer!.send(o.topic, messages),
    maxItems: o.batchMaxMessages ?? 200,
    lingerMs: o.batchLingerMs ?? 0,
  });

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
        if (producer === undefined) await withTimeout(connecting!);
        await withTimeout(batcher.add({ key: m.customerId, value: JSON.stringify(m), timestamp: m.ts }));
      } catch (err) {
        if (err instanceof ApiError) throw err;
        throw new ApiError(503, 'kafka-unavailable', 'publish failed', { retriable: true, cause: err });
      }
    },
    isReady: () => producer?.isConnected() === true,
    async close() {
      closed = true;
      await batcher.flush();
      await producer?.close().catch(() => {});
    },
  };
}

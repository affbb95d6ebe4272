import { Kafka, type Producer as KafkaJsProducer, logLevel, Partitioners } from 'kafkajs';

export interface ProducerOptions {
  /** Bootstrap brokers, `host:port`. */
  brokers: string[];
  clientId: string;
}

export interface ProducedMessage {
  key: string;
  value: string | Buffer;
  /** Epoch milliseconds; Kafka stamps the send time when absent. */
  timestamp?: number;
}

/** The small producer every component uses; the Kafka client behind it can change here alone. */
export interface Producer {
  send(topic: string, messages: ProducedMessage[]): Promise<void>;
  /** True between a successful connect and `close()` (or a disconnect the client reports). */
  isConnected(): boolean;
  close(): Promise<void>;
}

/**
 * Connects a producer that waits for all in-sync replicas (acks = -1) and partitions by key with the Java client's
 * murmur2 partitioner, so a key lands on the same partition whichever client wrote it.
 */
export async function openProducer(options: ProducerOptions): Promise<Producer> {
  if (options.brokers.length === 0) throw new Error('openProducer: brokers is empty');
  const kafka = new Kafka({ clientId: options.clientId, brokers: options.brokers, logLevel: logLevel.NOTHING });
  const producer: KafkaJsProducer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  let connected = false;
  producer.on(producer.events.DISCONNECT, () => {
    connected = false;
  });
  await producer.connect();
  connected = true;
  return {
    async send(topic, messages) {
      await producer.send({
        topic,
        acks: -1,
        messages: messages.map((m) => ({
          key: m.key,
          value: m.value,
          ...(m.timestamp === undefined ? {} : { timestamp: String(m.timestamp) }),
        })),
      });
    },
    isConnected: () => connected,
    async close() {
      connected = false;
      await producer.disconnect();
    },
  };
}

import { Kafka, type Consumer as KafkaJsConsumer, logLevel } from 'kafkajs';

export interface ConsumedMessage {
  key: Uint8Array | null;
  value: Uint8Array | null;
  offset: string;
  /** Kafka timestamp, epoch ms. */
  timestamp: number;
}

export interface Batch {
  topic: string;
  partition: number;
  messages: ConsumedMessage[];
  /** High watermark of the partition when fetched; lag = highWatermark - (last offset + 1). */
  highWatermark: string;
}

export interface ConsumerOptions {
  brokers: string[];
  clientId: string;
  groupId: string;
  topics: string[];
  fromBeginning?: boolean;
  /** Called per fetched batch. The batch's offsets are committed only after this resolves (side effects done). */
  onBatch(batch: Batch, control: { isRunning(): boolean; heartbeat(): Promise<void> }): Promise<void>;
  onJoin?(assignment: Record<string, number[]>): void;
  onCrash?(err: Error): void;
  maxBytesPerPartition?: number;
  /** How long the broker may hold a fetch with no data (ms): the floor of the consume latency when idle. */
  maxWaitTimeInMs?: number;
  /** Partitions whose batches are handled at once (their side effects overlap; each commits its own offsets). */
  partitionsConsumedConcurrently?: number;
}

export interface Consumer {
  pause(topic: string): void;
  resume(topic: string): void;
  joined(): boolean;
  /** Stops fetching, lets the batch in flight finish and commit, leaves the group. */
  close(): Promise<void>;
}

/** The one batch consumer every component uses: manual commit after side effects. The client can change here alone. */
export async function openConsumer(options: ConsumerOptions): Promise<Consumer> {
  if (options.brokers.length === 0) throw new Error('openConsumer: brokers is empty');
  const kafka = new Kafka({ clientId: options.clientId, brokers: options.brokers, logLevel: logLevel.NOTHING });
  const consumer: KafkaJsConsumer = kafka.consumer({
    groupId: options.groupId,
    sessionTimeout: 6_000,
    heartbeatInterval: 1_000,
    rebalanceTimeout: 10_000,
    maxBytesPerPartition: options.maxBytesPerPartition ?? 1_048_576,
    maxWaitTimeInMs: options.maxWaitTimeInMs ?? 50,
  });
  let joined = false;
  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    joined = true;
    options.onJoin?.(e.payload.memberAssignment);
  });
  consumer.on(consumer.events.CRASH, (e) => {
    joined = false;
    options.onCrash?.(e.payload.error);
  });
  await consumer.connect();
  for (const topic of options.topics) await consumer.subscribe({ topic, fromBeginning: options.fromBeginning ?? true });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 1,
    eachBatch: async ({ batch, heartbeat, isRunning, isStale, resolveOffset }) => {
      if (batch.messages.length === 0 || !isRunning() || isStale()) return;
      await options.onBatch(
        {
          topic: batch.topic,
          partition: batch.partition,
          highWatermark: batch.highWatermark,
          messages: batch.messages.map((m) => ({
            key: m.key,
            value: m.value,
            offset: m.offset,
            timestamp: Number(m.timestamp),
          })),
        },
        { isRunning, heartbeat: () => heartbeat().catch(() => undefined) },
      );
      const last = batch.messages[batch.messages.length - 1];
      if (last === undefined) return;
      resolveOffset(last.offset);
      await consumer.commitOffsets([
        { topic: batch.topic, partition: batch.partition, offset: (BigInt(last.offset) + 1n).toString() },
      ]);
      await heartbeat();
    },
  });
  return {
    pause: (topic) => consumer.pause([{ topic }]),
    resume: (topic) => consumer.resume([{ topic }]),
    joined: () => joined,
    async close() {
      joined = false;
      await consumer.disconnect();
    },
  };
}

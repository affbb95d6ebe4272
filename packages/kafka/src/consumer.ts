import { Kafka, type Consumer as KafkaJsConsumer, logLevel } from 'kafkajs';
import { createCommitter } from './committer.ts';

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
  /**
   * Called per fetched batch. The batch's offsets are committed only after this resolves (side effects done), off the
   * hot path: the next batch does not wait for the commit; `close()` does.
   */
  onBatch(batch: Batch, control: { isRunning(): boolean; heartbeat(): Promise<void> }): Promise<void>;
  onJoin?(assignment: Record<string, number[]>): void;
  /** `restart`: whether the client rejoins by itself; when false the consumer is gone for good. */
  onCrash?(err: Error, restart: boolean): void;
  /** Called after each offset commit with its round trip (ms). */
  onCommitted?(ms: number): void;
  /** A commit that failed (a rebalance): the next one overtakes it; at worst a batch is delivered again. */
  onCommitError?(err: unknown): void;
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
    options.onCrash?.(e.payload.error, e.payload.restart);
  });
  // Commits leave the hot path: a batch's offset is committed after its side effects, while the next batch runs.
  const committer = createCommitter(
    async (positions) => {
      const started = performance.now();
      await consumer.commitOffsets(positions);
      options.onCommitted?.(performance.now() - started);
    },
    (err) => options.onCommitError?.(err),
  );
  let closing = false;
  let inFlight = 0;
  let idle: () => void = () => {};
  await consumer.connect();
  for (const topic of options.topics) await consumer.subscribe({ topic, fromBeginning: options.fromBeginning ?? true });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 1,
    eachBatch: async ({ batch, heartbeat, isRunning, isStale, resolveOffset }) => {
      // once closing, a fetched batch is left unhandled and uncommitted: the partition's next owner reads it
      if (closing || batch.messages.length === 0 || !isRunning() || isStale()) return;
      inFlight++;
      try {
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
        const last = batch.messages[batch.messages.length - 1]!;
        resolveOffset(last.offset);
        committer.request({
          topic: batch.topic,
          partition: batch.partition,
          offset: (BigInt(last.offset) + 1n).toString(),
        });
      } finally {
        inFlight--;
        if (inFlight === 0) idle();
      }
      await heartbeat();
    },
  });
  return {
    pause: (topic) => consumer.pause([{ topic }]),
    resume: (topic) => consumer.resume([{ topic }]),
    joined: () => joined,
    async close() {
      joined = false;
      closing = true;
      // the batches in flight finish, their commits are answered, then the member leaves the group
      if (inFlight > 0)
        await new Promise<void>((resolve) => {
          idle = resolve;
        });
      await committer.flush();
      await consumer.disconnect();
    },
  };
}

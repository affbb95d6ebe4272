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
   * Topic → wall-clock time (epoch ms): the consumer reads that topic from its first record stamped at or after the
   * time (the partition's end when none is), whatever the group committed before.
   */
  startAt?: Record<string, number>;
  /** Topics whose records present at open `caughtUp()` waits for (from `startAt`, or from the beginning). */
  catchUp?: string[];
  /**
   * Called per fetched batch. The batch's offsets are committed only after this resolves (side effects done), off the
   * hot path: the next batch does not wait for the commit; `close()` does. A handler may resolve earlier with the
   * `durable` promise of side effects still under way: the next fetch then goes ahead, and the offsets wait for them
   * and for every earlier batch of the partition (one that rejects stops the partition's commits).
   */
  onBatch(
    batch: Batch,
    control: { isRunning(): boolean; heartbeat(): Promise<void> },
  ): Promise<void | { durable: Promise<void> }>;
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
  /**
   * Batches whose `durable` side effects may be under way at once (default 16); past it a batch's handling waits for
   * the oldest, so a sink that stops taking writes holds the fetches back instead of piling batches up in memory.
   */
  maxBatchesBehind?: number;
}

export interface Consumer {
  pause(topic: string): void;
  resume(topic: string): void;
  joined(): boolean;
  /** True once the `catchUp` topics are read up to their ends at open; false if `timeoutMs` passes first. */
  caughtUp(timeoutMs: number): Promise<boolean>;
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
  const { next, behind } =
    options.startAt || options.catchUp
      ? await retryingRetriable(() => startOffsets(kafka, options))
      : { next: new Map(), behind: new Map() };
  let reachedEnds: () => void = () => {};
  const ends = new Promise<void>((resolve) => {
    reachedEnds = resolve;
  });
  if (behind.size === 0) reachedEnds();
  const delivered = (topic: string, partition: number, offset: bigint) => {
    const key = `${topic}/${partition}`;
    if (next.has(key)) next.set(key, offset);
    const end = behind.get(key);
    if (end === undefined || offset < end) return;
    behind.delete(key);
    if (behind.size === 0) reachedEnds();
  };
  let joined = false;
  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    joined = true;
    // Emitted before the generation's first fetch, which applies the seeks: a `startAt` partition resumes after the
    // last record delivered (its start time's offset at first), on every join.
    for (const [topic, partitions] of Object.entries(e.payload.memberAssignment)) {
      for (const partition of partitions) {
        const offset = next.get(`${topic}/${partition}`);
        if (offset !== undefined) consumer.seek({ topic, partition, offset: offset.toString() });
      }
    }
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
  // per partition: the last batch's durable side effects, then its commit request
  const durableChains = new Map<string, Promise<void>>();
  const underWay = new Set<Promise<void>>();
  const maxBehind = options.maxBatchesBehind ?? 16;
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
        const result = await options.onBatch(
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
        delivered(batch.topic, batch.partition, BigInt(last.offset) + 1n);
        resolveOffset(last.offset);
        const position = {
          topic: batch.topic,
          partition: batch.partition,
          offset: (BigInt(last.offset) + 1n).toString(),
        };
        const key = `${batch.topic}/${batch.partition}`;
        const earlier = durableChains.get(key);
        const durable = result?.durable;
        if (durable === undefined && earlier === undefined) committer.request(position);
        else {
          const chain = Promise.all([earlier, durable]).then(() => committer.request(position));
          // a rejection holds back the partition's later commits too; the handler reports its own failures
          chain.catch(() => undefined);
          durableChains.set(key, chain);
        }
        if (durable !== undefined) {
          const settled = durable.then(
            () => undefined,
            () => undefined,
          );
          underWay.add(settled);
          void settled.then(() => underWay.delete(settled));
          while (underWay.size > maxBehind) await Promise.race(underWay);
        }
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
    async caughtUp(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      try {
        return await Promise.race([ends.then(() => true), timedOut]);
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      joined = false;
      closing = true;
      // the batches in flight finish, their commits are answered, then the member leaves the group
      if (inFlight > 0)
        await new Promise<void>((resolve) => {
          idle = resolve;
        });
      await Promise.allSettled(durableChains.values());
      await committer.flush();
      await consumer.disconnect();
    },
  };
}

/**
 * Where each `startAt` partition starts (`topic/partition` → the offset of its first record at or after the time) and
 * the end offset of every `catchUp` partition that has records to read from there (or from the beginning).
 */
async function startOffsets(
  kafka: Kafka,
  options: ConsumerOptions,
): Promise<{ next: Map<string, bigint>; behind: Map<string, bigint> }> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const next = new Map<string, bigint>();
    for (const [topic, time] of Object.entries(options.startAt ?? {})) {
      for (const p of await admin.fetchTopicOffsetsByTimestamp(topic, time)) {
        next.set(`${topic}/${p.partition}`, BigInt(p.offset));
      }
    }
    const behind = new Map<string, bigint>();
    for (const topic of options.catchUp ?? []) {
      for (const p of await admin.fetchTopicOffsets(topic)) {
        const key = `${topic}/${p.partition}`;
        const start = next.get(key) ?? BigInt(options.fromBeginning === false ? p.high : p.low);
        if (start < BigInt(p.high)) behind.set(key, BigInt(p.high));
      }
    }
    return { next, behind };
  } finally {
    await admin.disconnect();
  }
}

/**
 * Retries what fails with an error the client marks retriable (a partition whose leader is still being elected right
 * after the topic was created answers NOT_LEADER_OR_FOLLOWER), with a fresh client each time: 5 tries, 0.2–1.6 s apart.
 */
async function retryingRetriable<T>(attempt: () => Promise<T>): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (err) {
      if (tries >= 5 || (err as { retriable?: boolean }).retriable !== true) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** tries));
    }
  }
}

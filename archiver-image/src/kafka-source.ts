import { type Consumer, Kafka, type LogEntry, logLevel } from 'kafkajs';
import type { Logger } from 'pino';
import type { ArchiveRecord } from './partition-archiver.ts';

/**
 * The archiver's only contact with the Kafka client (kafkajs), so the client can be swapped in this one file.
 * Offsets are never auto-committed: `commit` is called after an object is complete in S3.
 */
export interface BatchHandler {
  /** Returns false when the batch was not taken (stale or stopping): its offsets are then not resolved. */
  onBatch(partition: number, records: ArchiveRecord[], stillOwned: () => boolean): Promise<boolean>;
  onAssignment(partitions: number[]): Promise<void>;
  onFatal(err: unknown): void;
}

export interface SourceOptions {
  brokers: string[];
  clientId: string;
  groupId: string;
  topic: string;
  fromBeginning: boolean;
  sessionTimeoutMs: number;
  log: Logger;
}

export class KafkaSource {
  private readonly options: SourceOptions;
  private readonly consumer: Consumer;
  private heartbeatNow: (() => Promise<void>) | undefined;
  private joined = false;

  constructor(options: SourceOptions) {
    this.options = options;
    const log = options.log.child({ component: 'kafkajs' });
    const kafka = new Kafka({
      clientId: options.clientId,
      brokers: options.brokers,
      logLevel: logLevel.WARN,
      logCreator: () => (entry: LogEntry) => {
        const { message, ...extra } = entry.log;
        const method = entry.level <= logLevel.ERROR ? 'error' : 'warn';
        log[method]({ namespace: entry.namespace, ...pickSafe(extra) }, message);
      },
      retry: { retries: 10, initialRetryTime: 300, maxRetryTime: 10_000 },
    });
    this.consumer = kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: options.sessionTimeoutMs,
      heartbeatInterval: Math.max(1000, Math.floor(options.sessionTimeoutMs / 10)),
      maxBytesPerPartition: 4 * 1024 * 1024,
      retry: { retries: 10 },
    });
  }

  get isJoined(): boolean {
    return this.joined;
  }

  async start(handler: BatchHandler): Promise<void> {
    const { topic } = this.options;
    this.consumer.on(this.consumer.events.GROUP_JOIN, (e) => {
      this.joined = true;
      const partitions = e.payload.memberAssignment[topic] ?? [];
      void handler.onAssignment(partitions).catch((err) => handler.onFatal(err));
    });
    this.consumer.on(this.consumer.events.CRASH, (e) => {
      if (!e.payload.restart) handler.onFatal(e.payload.error);
    });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic, fromBeginning: this.options.fromBeginning });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        if (batch.messages.length === 0 || !isRunning() || isStale()) return;
        const records: ArchiveRecord[] = batch.messages.map((m) => ({
          offset: Number(m.offset),
          value: m.value,
          timestamp: Number(m.timestamp),
        }));
        this.heartbeatNow = heartbeat;
        let taken: boolean;
        try {
          taken = await handler.onBatch(batch.partition, records, () => isRunning() && !isStale());
        } finally {
          this.heartbeatNow = undefined;
        }
        // Resolving moves the fetch position only; nothing is committed until the object is in S3.
        if (taken) resolveOffset(batch.lastOffset());
      },
    });
  }

  /** Keeps the group session alive while a batch waits on S3 (a no-op outside a batch). */
  async heartbeat(): Promise<void> {
    await this.heartbeatNow?.().catch(() => undefined);
  }

  async commit(partition: number, nextOffset: number): Promise<void> {
    await this.consumer.commitOffsets([{ topic: this.options.topic, partition, offset: String(nextOffset) }]);
  }

  /** Stops fetching; batches already being handled finish. */
  pause(): void {
    this.consumer.pause([{ topic: this.options.topic }]);
  }

  async close(): Promise<void> {
    await this.consumer.disconnect();
  }
}

/** kafkajs log extras carry broker and group details, never record values; keep only plain scalars. */
function pickSafe(extra: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(extra)) {
    if (['string', 'number', 'boolean'].includes(typeof v)) out[k] = v;
  }
  return out;
}

import { csvLine, parseTransaction } from '@fraud-operator/archive-format';
import type { Logger } from 'pino';
import type { ArchiverMetrics } from './metrics.ts';
import type { CompletedObject, ObjectStart } from './open-object.ts';
import { type CutReason, cutAfter, cutBefore, isPlausibleEventTime, windowStart } from './policy.ts';
import { type RetryOptions, retry } from './retry.ts';

/** One Kafka record as the archiver sees it. */
export interface ArchiveRecord {
  offset: number;
  value: Buffer | null;
  /** The Kafka record timestamp, used for the window only when the value is not a transaction. */
  timestamp: number;
}

/** The slice of OpenObject the partition logic needs (a fake in unit tests, the real one in the app). */
export interface WritableObject {
  readonly key: string;
  readonly nextOffset: number;
  readonly windowStart: number;
  readonly openedAtMs: number;
  readonly plaintextBytes: number;
  readonly shouldDrain: boolean;
  add(line: string): void;
  drain(): Promise<void>;
  complete(): Promise<CompletedObject>;
  abort(): Promise<void>;
}

export interface PartitionDeps {
  topic: string;
  partition: number;
  windowMs: number;
  objectMaxBytes: number;
  objectMaxAgeMs: number;
  now: () => number;
  openObject: (start: ObjectStart) => Promise<WritableObject>;
  /** Commits `nextOffset` for this partition; throws when the commit is refused. */
  commit: (nextOffset: number) => Promise<void>;
  /** False once the partition was taken away: then nothing may be completed or committed. */
  owned: () => boolean;
  /** Bumped on every group join: after one, Kafka redelivers from the committed offset. */
  generation: () => number;
  /** The archiver cannot keep its invariant (see completeOpen); the process must restart. */
  fatal: (err: unknown) => void;
  /** How commits are retried (tests make the waits instant). */
  commitRetry?: Pick<RetryOptions, 'attempts' | 'sleep'>;
  log: Logger;
  metrics: ArchiverMetrics;
}

/**
 * One partition's archive: records go into the open object in offset order; when a cut is due the object is
 * completed in S3 and only then is the offset after it committed. Work is serialised per partition.
 */
export class PartitionArchiver {
  private readonly deps: PartitionDeps;
  private open: WritableObject | undefined;
  private openGeneration = 0;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(deps: PartitionDeps) {
    this.deps = deps;
  }

  /** Runs `fn` after every earlier piece of work on this partition. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  get openObjectBytes(): number {
    return this.open?.plaintextBytes ?? 0;
  }

  async append(records: readonly ArchiveRecord[]): Promise<void> {
    const d = this.deps;
    for (const record of records) {
      const tx = parseTransaction(record.value);
      if (!tx) d.metrics.unparsed.inc();
      if (this.open && record.offset !== this.open.nextOffset) {
        d.log.warn(
          { key: this.open.key, expected: this.open.nextOffset, got: record.offset },
          'offset jump: discarding the open object',
        );
        await this.discard();
      }
      // An absurd event time (year 1970 or 3000) must not name a window: the Kafka timestamp does instead.
      const recordWindow =
        tx && isPlausibleEventTime(tx.ts)
          ? windowStart(tx.ts, d.windowMs)
          : (this.open?.windowStart ?? windowStart(record.timestamp, d.windowMs));
      if (this.open) {
        const reason = cutBefore(this.state(this.open), recordWindow);
        if (reason) await this.completeOpen(reason);
      }
      if (!this.open) {
        this.openGeneration = d.generation();
        this.open = await d.openObject({
          topic: d.topic,
          partition: d.partition,
          firstOffset: record.offset,
          windowStart: recordWindow,
          windowEnd: recordWindow + d.windowMs,
        });
      }
      this.open.add(csvLine(record.offset, tx, tx ? null : record.value));
      if (this.open.shouldDrain) await this.open.drain();
      if (this.open.plaintextBytes >= d.objectMaxBytes) await this.completeOpen('size');
    }
    if (this.open) await this.open.drain();
    await this.completeIfDue();
  }

  /** The age cap: an idle partition's object completes on time, so its offsets are committed. */
  async completeIfDue(): Promise<void> {
    if (!this.open) return;
    const reason = cutAfter(this.state(this.open), this.deps.now(), this.deps);
    if (reason) await this.completeOpen(reason);
  }

  /** Completes the open object now (shutdown), then commits. */
  async flush(reason: CutReason): Promise<void> {
    if (this.open) await this.completeOpen(reason);
  }

  /** Drops the open object without completing it: its records will be read again from the committed offset. */
  async discard(): Promise<void> {
    const open = this.open;
    this.open = undefined;
    if (open) await open.abort();
  }

  private state(o: WritableObject) {
    return { windowStart: o.windowStart, plaintextBytes: o.plaintextBytes, openedAtMs: o.openedAtMs };
  }

  private async completeOpen(reason: CutReason): Promise<void> {
    const d = this.deps;
    const open = this.open!;
    this.open = undefined;
    if (!d.owned()) {
      d.log.warn({ key: open.key }, 'partition no longer owned: discarding the open object');
      await open.abort();
      return;
    }
    const started = d.now();
    const done = await open.complete();
    d.metrics.objects.inc({ reason });
    d.metrics.records.inc(done.records);
    d.metrics.bytes.inc(done.bytes);
    d.metrics.completeSeconds.observe((d.now() - started) / 1000);
    try {
      await retry(() => d.commit(done.lastOffset + 1), {
        what: `commit ${done.lastOffset + 1}`,
        attempts: 5,
        ...d.commitRetry,
      });
      d.metrics.committedOffset.set({ partition: String(d.partition) }, done.lastOffset + 1);
    } catch (err) {
      d.metrics.commitFailures.inc();
      const summary = { key: done.key, nextOffset: done.lastOffset + 1, err: (err as Error).message };
      if (d.generation() !== this.openGeneration) {
        // A rebalance: Kafka redelivers from the committed offset, which is this object's first: same key rewritten.
        d.log.warn(summary, 'commit refused after a rebalance: the object will be rewritten');
        return;
      }
      // Going on would complete the next object while this one is uncommitted; a re-run could then cut differently
      // and leave that next object overlapping. Only the committed offset may be an uncommitted object's start.
      d.log.error(summary, 'commit keeps failing: restarting from the committed offset');
      d.fatal(err);
      throw err;
    }
    d.log.info(
      {
        key: done.key,
        reason,
        firstOffset: done.firstOffset,
        lastOffset: done.lastOffset,
        records: done.records,
        bytes: done.bytes,
        parts: done.parts,
      },
      'object complete',
    );
  }
}

import { type BackoffPolicy, backoffDelay, DEFAULT_BACKOFF } from './backoff.ts';

export type ReconcileResult = { requeueAfterMs?: number } | undefined;
export type Handler = (key: string) => Promise<ReconcileResult>;

/**
 * A keyed work queue in the manner of client-go's: a key is queued at most once, is processed by at most one worker
 * at a time (a key added while in flight is re-run after it), failures come back after a jittered exponential
 * backoff that resets on success, and a handler may ask to be run again after a delay.
 */
export class WorkQueue {
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private readonly inFlight = new Set<string>();
  private readonly dirty = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly handler: Handler;
  private readonly workers: number;
  private readonly backoff: BackoffPolicy;
  private readonly onError: (key: string, err: unknown, retryInMs: number) => void;
  private running = 0;
  private stopped = false;
  private idleWaiters: (() => void)[] = [];

  constructor(options: {
    handler: Handler;
    workers?: number;
    backoff?: BackoffPolicy;
    onError?: (key: string, err: unknown, retryInMs: number) => void;
  }) {
    this.handler = options.handler;
    this.workers = options.workers ?? 2;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.onError = options.onError ?? (() => {});
  }

  add(key: string): void {
    if (this.stopped) return;
    if (this.inFlight.has(key)) {
      this.dirty.add(key);
      return;
    }
    if (this.queued.has(key)) return;
    this.queued.add(key);
    this.queue.push(key);
    this.pump();
  }

  /** Adds the key after `ms`; an earlier pending delayed add of the same key wins. */
  addAfter(key: string, ms: number): void {
    if (this.stopped) return;
    if (ms <= 0) {
      this.add(key);
      return;
    }
    if (this.timers.has(key)) return;
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.add(key);
    }, ms);
    timer.unref();
    this.timers.set(key, timer);
  }

  failuresOf(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  get length(): number {
    return this.queue.length;
  }

  /** Resolves when nothing is queued or running. */
  idle(): Promise<void> {
    if (this.queue.length === 0 && this.running === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops taking work and waits for the reconciles in flight. */
  async shutdown(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.queue.length = 0;
    this.queued.clear();
    await this.idle();
  }

  private pump(): void {
    while (!this.stopped && this.running < this.workers && this.queue.length > 0) {
      const key = this.queue.shift() as string;
      this.queued.delete(key);
      this.inFlight.add(key);
      this.running += 1;
      void this.process(key);
    }
    if (this.queue.length === 0 && this.running === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  private async process(key: string): Promise<void> {
    try {
      const result = await this.handler(key);
      this.failures.delete(key);
      if (result?.requeueAfterMs !== undefined) this.addAfter(key, result.requeueAfterMs);
    } catch (err) {
      const failures = (this.failures.get(key) ?? 0) + 1;
      this.failures.set(key, failures);
      const delay = backoffDelay(failures, this.backoff);
      this.onError(key, err, delay);
      this.addAfter(key, delay);
    } finally {
      this.inFlight.delete(key);
      this.running -= 1;
      if (this.dirty.delete(key)) this.add(key);
      this.pump();
    }
  }
}

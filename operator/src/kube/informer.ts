import { type KubernetesObject, Watch } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { backoffDelay } from './backoff.ts';
import { isGone, KubeError } from './errors.ts';
import type { KubeRest } from './rest.ts';

export type InformerEvent = 'added' | 'modified' | 'deleted';
/** `old` is the cached object before a modification (undefined for additions and deletions). */
export type InformerHandler<T> = (event: InformerEvent, obj: T, old?: T) => void;

const keyOf = (o: KubernetesObject): string => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

/**
 * List, then watch from the list's resourceVersion, keeping a cache. Reconnects after the server closes the watch
 * (its timeout), after a silent watch (no event or bookmark within `silenceMs`), after an error (with backoff), and
 * relists after 410 Gone, emitting the differences so no change is ever lost. Handlers only enqueue keys.
 */
export class Informer<T extends KubernetesObject> {
  private readonly cache = new Map<string, T>();
  private readonly handlers: InformerHandler<T>[] = [];
  private resourceVersion = '';
  private stopped = false;
  private failures = 0;
  private abort: { abort(): void } | undefined;
  private synced = false;
  private syncWaiters: (() => void)[] = [];
  private readonly watcher: Watch;
  /** Counters for tests and metrics. */
  readonly stats = { lists: 0, watches: 0, gone: 0, errors: 0 };

  private readonly rest: KubeRest;
  private readonly path: string;
  private readonly log: Logger;
  private readonly options: { labelSelector?: string; silenceMs?: number };

  constructor(rest: KubeRest, path: string, log: Logger, options: { labelSelector?: string; silenceMs?: number } = {}) {
    this.rest = rest;
    this.path = path;
    this.log = log;
    this.options = options;
    this.watcher = new Watch(rest.kc);
    // A watch with no event and no bookmark for this long is presumed dead and reopened from the last resourceVersion.
    (this.watcher as unknown as { requestTimeoutMs: number }).requestTimeoutMs = options.silenceMs ?? 90_000;
  }

  on(handler: InformerHandler<T>): void {
    this.handlers.push(handler);
  }

  get(namespace: string, name: string): T | undefined {
    return this.cache.get(`${namespace}/${name}`);
  }

  list(): T[] {
    return [...this.cache.values()];
  }

  hasSynced(): Promise<void> {
    return this.synced ? Promise.resolve() : new Promise((r) => this.syncWaiters.push(r));
  }

  start(): void {
    this.stopped = false;
    void this.loop();
  }

  stop(): void {
    this.stopped = true;
    this.abort?.abort();
  }

  private emit(event: InformerEvent, obj: T, old?: T): void {
    for (const h of this.handlers) h(event, obj, old);
  }

  private async relist(): Promise<void> {
    const query: Record<string, string> = {};
    if (this.options.labelSelector) query.labelSelector = this.options.labelSelector;
    const list = await this.rest.list<T>(this.path, query);
    this.stats.lists += 1;
    const fresh = new Map(list.items.map((o) => [keyOf(o), o] as const));
    for (const [key, old] of this.cache) if (!fresh.has(key)) this.emit('deleted', old);
    for (const [key, obj] of fresh) {
      const old = this.cache.get(key);
      if (!old) this.emit('added', obj);
      else if (old.metadata?.resourceVersion !== obj.metadata?.resourceVersion) this.emit('modified', obj, old);
    }
    this.cache.clear();
    for (const [key, obj] of fresh) this.cache.set(key, obj);
    this.resourceVersion = list.metadata.resourceVersion ?? '';
    if (!this.synced) {
      this.synced = true;
      for (const w of this.syncWaiters.splice(0)) w();
    }
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      try {
        if (!this.resourceVersion) await this.relist();
        await this.watchOnce();
        this.failures = 0;
      } catch (err) {
        if (this.stopped) return;
        if (isGone(err)) {
          this.stats.gone += 1;
          this.log.info({ path: this.path }, 'watch expired (410 Gone): relisting');
          this.resourceVersion = '';
          continue;
        }
        this.stats.errors += 1;
        this.failures += 1;
        const delay = backoffDelay(this.failures, { baseMs: 500, capMs: 30_000, jitter: 0.5 });
        this.log.warn({ err, path: this.path, retryInMs: delay }, 'watch failed');
        if ((err instanceof KubeError && err.status !== 0) || (err as { statusCode?: number }).statusCode)
          this.resourceVersion = '';
        await new Promise((r) => setTimeout(r, delay).unref());
      }
    }
  }

  /** One watch request; resolves when it ends cleanly or by silence, rejects on an error (410 included). */
  private watchOnce(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let gone: unknown;
      const query: Record<string, string | number | boolean> = {
        resourceVersion: this.resourceVersion,
        allowWatchBookmarks: true,
        // Spread reconnects like client-go: the server closes each watch after 5–10 min.
        timeoutSeconds: 300 + Math.floor(Math.random() * 300),
      };
      if (this.options.labelSelector) query.labelSelector = this.options.labelSelector;
      this.stats.watches += 1;
      this.watcher
        .watch(
          this.path,
          query,
          (phase: string, obj: T & { code?: number; message?: string }) => {
            if (phase === 'ERROR') {
              gone = new KubeError(
                obj.code ?? 500,
                obj.code === 410 ? 'Expired' : 'WatchError',
                obj.message ?? 'watch error',
              );
              return;
            }
            const rv = obj.metadata?.resourceVersion;
            if (phase === 'BOOKMARK') {
              if (rv) this.resourceVersion = rv;
              return;
            }
            const key = keyOf(obj);
            if (phase === 'DELETED') {
              this.cache.delete(key);
              this.emit('deleted', obj);
            } else {
              const old = this.cache.get(key);
              this.cache.set(key, obj);
              if (old) this.emit('modified', obj, old);
              else this.emit('added', obj);
            }
            if (rv) this.resourceVersion = rv;
          },
          (err: unknown) => {
            this.abort = undefined;
            if (gone) reject(gone);
            else if (err && (err as { name?: string }).name === 'TimeoutError') {
              this.log.debug({ path: this.path }, 'watch silent: reconnecting');
              resolve();
            } else if (err && !this.stopped) reject(err);
            else resolve();
          },
        )
        .then((controller) => {
          this.abort = controller;
          if (this.stopped) controller.abort();
        }, reject);
    });
  }
}

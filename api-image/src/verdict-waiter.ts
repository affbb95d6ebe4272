// Waits for a verdict without polling: the scorer SETs `verdict:{txId}` and then PUBLISHes the same JSON on
// `verdicts:{txId}` (the contract in README.md). We SUBSCRIBE first and GET second, so a verdict that lands between
// the two is still seen: before the GET it is in the key, after the SUBSCRIBE it arrives as a message.

import { verdictChannel, verdictKey } from '@fraud-operator/transactions/wire';
import type { Redis } from 'ioredis';

export { verdictChannel };

export interface VerdictWaiter {
  /** The verdict's JSON, or null when `ms` passes (or `signal` aborts, or the waiter closes) first. */
  wait(txId: string, ms: number, signal?: AbortSignal): Promise<string | null>;
  /** Releases every waiter with null (used before shutdown so held requests answer at once). */
  close(): void;
  readonly waiting: number;
}

interface Channel {
  resolvers: Set<(json: string | null) => void>;
  subscribed: Promise<unknown>;
}

export function createVerdictWaiter(redis: Redis, subscriber: Redis): VerdictWaiter {
  const channels = new Map<string, Channel>();
  let closed = false;
  let waiting = 0;

  subscriber.on('message', (channel: string, message: string) => {
    const entry = channels.get(channel);
    if (entry) for (const resolve of [...entry.resolvers]) resolve(message);
  });

  const release = (channel: string, resolve: (json: string | null) => void) => {
    const entry = channels.get(channel);
    if (!entry?.resolvers.delete(resolve) || entry.resolvers.size > 0) return;
    channels.delete(channel);
    // Redis runs a connection's commands in order, so a later SUBSCRIBE to the same channel is not undone by this.
    subscriber.unsubscribe(channel).catch(() => {});
  };

  return {
    get waiting() {
      return waiting;
    },
    close() {
      closed = true;
      for (const entry of channels.values()) for (const resolve of [...entry.resolvers]) resolve(null);
    },
    wait(txId, ms, signal) {
      if (closed || ms <= 0 || signal?.aborted) return Promise.resolve(null);
      const channel = verdictChannel(txId);
      return new Promise<string | null>((outerResolve, reject) => {
        waiting += 1;
        let done = false;
        const finish = (json: string | null, err?: unknown) => {
          if (done) return;
          done = true;
          waiting -= 1;
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          release(channel, finish);
          if (err === undefined) outerResolve(json);
          else reject(err);
        };
        const onAbort = () => finish(null);
        const timer = setTimeout(() => finish(null), ms);
        signal?.addEventListener('abort', onAbort, { once: true });

        let entry = channels.get(channel);
        if (!entry) {
          entry = { resolvers: new Set(), subscribed: subscriber.subscribe(channel) };
          channels.set(channel, entry);
        }
        entry.resolvers.add(finish);
        entry.subscribed
          .then(() => (done ? null : redis.get(verdictKey(txId))))
          .then((json) => {
            if (json !== null) finish(json);
          })
          .catch((err: unknown) => finish(null, err ?? new Error('subscribe failed')));
      });
    },
  };
}

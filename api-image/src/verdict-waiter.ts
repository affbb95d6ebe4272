// Waits for a verdict without polling: the scorer SETs `verdict:{txId}` and then PUBLISHes the same JSON on
// `verdicts:{txId}` (the contract in README.md). We SUBSCRIBE first and GET second, so a verdict that lands between
// the two is still seen: before the GET it is in the key, after the SUBSCRIBE it arrives as a message.
// (UN)SUBSCRIBEs of one event-loop turn go out as one command per run, in order (see `subscriptionCommands`).

import { verdictChannel, verdictKey } from '@fraud-operator/transactions/wire';
import type { Redis } from 'ioredis';
import { createMicroBatcher } from './micro-batch.ts';

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

export interface SubscriptionOp {
  kind: 'subscribe' | 'unsubscribe';
  channel: string;
}

export interface SubscriptionCommand {
  kind: SubscriptionOp['kind'];
  channels: string[];
}

/**
 * The commands for a queue of (un)subscriptions: consecutive ops of one kind share a command, and the commands keep
 * the queue's order, so an UNSUBSCRIBE never overtakes a later SUBSCRIBE to the same channel. Pure.
 */
export function subscriptionCommands(ops: readonly SubscriptionOp[]): SubscriptionCommand[] {
  const commands: SubscriptionCommand[] = [];
  for (const op of ops) {
    const last = commands.at(-1);
    if (last?.kind === op.kind) last.channels.push(op.channel);
    else commands.push({ kind: op.kind, channels: [op.channel] });
  }
  return commands;
}

export function createVerdictWaiter(redis: Redis, subscriber: Redis): VerdictWaiter {
  const channels = new Map<string, Channel>();
  let closed = false;
  let waiting = 0;
  // One SUBSCRIBE with many channels costs Redis and us one command, not one per waiting request.
  const subscriptions = createMicroBatcher<SubscriptionOp>({
    maxItems: 1000,
    lingerMs: 0,
    send: async (ops) => {
      await Promise.all(
        subscriptionCommands(ops).map((c) =>
          c.kind === 'subscribe'
            ? subscriber.subscribe(...c.channels)
            : subscriber.unsubscribe(...c.channels).catch(() => {}),
        ),
      );
    },
  });

  subscriber.on('message', (channel: string, message: string) => {
    const entry = channels.get(channel);
    if (entry) for (const resolve of [...entry.resolvers]) resolve(message);
  });

  const release = (channel: string, resolve: (json: string | null) => void) => {
    const entry = channels.get(channel);
    if (!entry?.resolvers.delete(resolve) || entry.resolvers.size > 0) return;
    channels.delete(channel);
    // Redis runs a connection's commands in order, so a later SUBSCRIBE to the same channel is not undone by this.
    subscriptions.add({ kind: 'unsubscribe', channel }).catch(() => {});
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
          entry = { resolvers: new Set(), subscribed: subscriptions.add({ kind: 'subscribe', channel }) };
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

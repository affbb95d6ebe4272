export interface PartitionOffset {
  topic: string;
  partition: number;
  /** The next offset to read: last handled + 1. */
  offset: string;
}

export interface Committer {
  /** Records that everything before `offset` is handled; committed soon, without the caller waiting. */
  request(position: PartitionOffset): void;
  /** Resolves once every requested offset has been sent and answered (or failed). */
  flush(): Promise<void>;
}

/**
 * Offset commits off the hot path: one commit request in flight at a time, carrying the latest requested offset of
 * every partition that moved since the last one. A commit covers everything before its offset, so a failed one
 * (a rebalance) is simply overtaken by the next; the worst case is a redelivery, which the consumer's idempotent
 * side effects absorb.
 */
export function createCommitter(
  commit: (positions: PartitionOffset[]) => Promise<void>,
  onError: (err: unknown) => void,
): Committer {
  const latest = new Map<string, PartitionOffset>();
  let running: Promise<void> | null = null;
  const drain = async () => {
    while (latest.size > 0) {
      const positions = [...latest.values()];
      latest.clear();
      try {
        await commit(positions);
      } catch (err) {
        onError(err);
      }
    }
    running = null;
  };
  return {
    request(position) {
      latest.set(`${position.topic}\u0000${position.partition}`, position);
      running ??= drain();
    },
    flush: () => running ?? Promise.resolve(),
  };
}

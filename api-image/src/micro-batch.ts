// Coalesces concurrent calls into one `send` of many items: a batch goes out when it holds `maxItems`, or when the
// linger ends (`lingerMs`, or 0 for the event loop's next turn, which gathers everything this turn's I/O produced).
// Every caller's promise settles with its own batch's outcome, never before that send has settled.

export interface MicroBatchOptions<T> {
  send(items: T[]): Promise<void>;
  maxItems: number;
  lingerMs: number;
}

export interface MicroBatcher<T> {
  /** Resolves once the batch holding `item` has been sent; rejects with that send's error. */
  add(item: T): Promise<void>;
  /** Sends what is queued now and waits for every send started so far to settle. */
  flush(): Promise<void>;
  /** Items queued and not yet handed to `send`. */
  readonly queued: number;
}

interface Batch<T> {
  items: T[];
  resolve(): void;
  reject(err: unknown): void;
  done: Promise<void>;
}

export function createMicroBatcher<T>(o: MicroBatchOptions<T>): MicroBatcher<T> {
  if (!Number.isInteger(o.maxItems) || o.maxItems < 1) throw new Error(`micro-batch: maxItems ${o.maxItems} < 1`);
  if (!(o.lingerMs >= 0)) throw new Error(`micro-batch: lingerMs ${o.lingerMs} < 0`);
  let open: Batch<T> | undefined;
  let cancelTimer: (() => void) | undefined;
  const inFlight = new Set<Promise<void>>();

  const newBatch = (): Batch<T> => {
    let resolve!: () => void;
    let reject!: (err: unknown) => void;
    const done = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { items: [], resolve, reject, done };
  };

  const dispatch = () => {
    const batch = open;
    open = undefined;
    cancelTimer?.();
    cancelTimer = undefined;
    if (batch === undefined) return;
    // `send` is called synchronously here, so batches reach it in the order they were filled.
    let sending: Promise<void>;
    try {
      sending = o.send(batch.items);
    } catch (err) {
      sending = Promise.reject(err);
    }
    const settled = sending.then(batch.resolve, batch.reject).finally(() => inFlight.delete(settled));
    inFlight.add(settled);
  };

  const schedule = () => {
    if (o.lingerMs === 0) {
      const handle = setImmediate(dispatch);
      cancelTimer = () => clearImmediate(handle);
    } else {
      const handle = setTimeout(dispatch, o.lingerMs);
      cancelTimer = () => clearTimeout(handle);
    }
  };

  return {
    get queued() {
      return open?.items.length ?? 0;
    },
    add(item) {
      if (open === undefined) {
        open = newBatch();
        schedule();
      }
      const batch = open;
      batch.items.push(item);
      if (batch.items.length >= o.maxItems) dispatch();
      return batch.done;
    },
    async flush() {
      dispatch();
      await Promise.allSettled([...inFlight]);
    },
  };
}

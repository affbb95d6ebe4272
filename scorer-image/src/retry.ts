/** Retries a retriable side effect with capped, jittered exponential backoff while `keepGoing()`; never a TypeError. */
export async function retrying<T>(
  what: string,
  fn: () => Promise<T>,
  keepGoing: () => boolean,
  onRetry: (err: unknown) => void,
): Promise<T> {
  let delay = 50;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof TypeError || err instanceof RangeError || !keepGoing()) throw err;
      onRetry(err);
      await new Promise((r) => setTimeout(r, delay * (0.5 + Math.random() / 2)));
      delay = Math.min(delay * 2, 2_000);
      if (!keepGoing()) throw new Error(`${what}: gave up while stopping`, { cause: err });
    }
  }
}

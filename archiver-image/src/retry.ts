/** One retry helper: exponential backoff with full jitter and a cap; never retries a programmer's error. */
export interface RetryOptions {
  what: string;
  baseMs?: number;
  capMs?: number;
  /** Give up after this many attempts; Infinity retries until `stopped` says so. */
  attempts?: number;
  stopped?: () => boolean;
  onRetry?: (info: { attempt: number; delayMs: number; err: unknown }) => void | Promise<void>;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export class GaveUpError extends Error {
  readonly retriable = false;
  constructor(what: string, attempts: number, cause: unknown) {
    super(`${what}: gave up after ${attempts} attempts`, { cause });
    this.name = 'GaveUpError';
  }
}

export function isProgrammerError(err: unknown): boolean {
  return (
    err instanceof TypeError || err instanceof RangeError || err instanceof SyntaxError || err instanceof ReferenceError
  );
}

/** Client errors that retrying cannot fix (bad request, forbidden, missing bucket): the caller must see them. */
export function isRetriable(err: unknown): boolean {
  if (isProgrammerError(err)) return false;
  const status = (err as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
  if (status === undefined) return true;
  return status >= 500 || status === 408 || status === 429;
}

export function backoffDelay(attempt: number, baseMs: number, capMs: number, random: () => number): number {
  return Math.floor(random() * Math.min(capMs, baseMs * 2 ** Math.min(attempt, 30)));
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function retry<T>(fn: () => Promise<T>, options: RetryOptions): Promise<T> {
  const { baseMs = 200, capMs = 5000, attempts = Number.POSITIVE_INFINITY } = options;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isRetriable(err)) throw err;
      if (attempt >= attempts || options.stopped?.()) throw new GaveUpError(options.what, attempt, err);
      const delayMs = backoffDelay(attempt, baseMs, capMs, random);
      await options.onRetry?.({ attempt, delayMs, err });
      await sleep(delayMs);
    }
  }
}

export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
  /** 0..1: the delay is drawn from [d × (1 − jitter), d]. */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 500, capMs: 60_000, jitter: 0.5 };

/** Delay before retry number `failures` (1 = first retry): base × 2^(failures−1), capped, then jittered down. */
export function backoffDelay(failures: number, policy: BackoffPolicy = DEFAULT_BACKOFF, random = Math.random): number {
  if (!Number.isInteger(failures) || failures < 1) throw new Error(`backoff: failures is ${failures}, must be ≥ 1`);
  const exp = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(failures - 1, 30));
  return Math.round(exp * (1 - policy.jitter * random()));
}

/** Pure decisions of the archiver: windows, cut points and part sizes. */

/** The window a timestamp falls in, aligned to the epoch. A 7-day window therefore starts on a Thursday 00:00 UTC. */
export function windowStart(ts: number, windowMs: number): number {
  return Math.floor(ts / windowMs) * windowMs;
}

const YEAR_2000 = Date.UTC(2000, 0, 1);
const YEAR_2200 = Date.UTC(2200, 0, 1);

/** Event times outside 2000..2199 are bugs upstream; they are archived as they are but do not choose a window. */
export function isPlausibleEventTime(ts: number): boolean {
  return Number.isFinite(ts) && ts >= YEAR_2000 && ts < YEAR_2200;
}

export interface OpenObjectState {
  windowStart: number;
  plaintextBytes: number;
  openedAtMs: number;
}

export type CutReason = 'window' | 'size' | 'age' | 'shutdown' | 'rebalance';

/**
 * Whether the open object must be completed before a record of window `recordWindow` joins it. A record of a later
 * window starts a new object; a late record (earlier window) stays in the open object: every object is one
 * contiguous offset range, and the CSV keeps each row's own event time.
 */
export function cutBefore(open: OpenObjectState, recordWindow: number): CutReason | undefined {
  return recordWindow > open.windowStart ? 'window' : undefined;
}

/** Whether the open object is complete after its latest records: the size cap or the age cap is reached. */
export function cutAfter(
  open: OpenObjectState,
  nowMs: number,
  limits: { objectMaxBytes: number; objectMaxAgeMs: number },
): CutReason | undefined {
  if (open.plaintextBytes >= limits.objectMaxBytes) return 'size';
  if (nowMs - open.openedAtMs >= limits.objectMaxAgeMs) return 'age';
  return undefined;
}

export const MAX_PARTS = 10_000;
export const MAX_PART_BYTES = 5 * 1024 ** 3;
const PARTS_PER_STEP = 1000;

/**
 * Part n (1-based) is the minimum size doubled every 1000 parts, so 10,000 parts reach (2^10 - 1) * 1000 * min
 * (over 5 TiB, the S3 object limit, with an 5 MiB minimum) while a small object keeps small parts and memory.
 */
export function partSize(partNumber: number, minPartBytes: number): number {
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > MAX_PARTS) {
    throw new Error(`part number ${partNumber} is outside 1..${MAX_PARTS}`);
  }
  return Math.min(MAX_PART_BYTES, minPartBytes * 2 ** Math.floor((partNumber - 1) / PARTS_PER_STEP));
}

/** Bytes that parts 1..n can carry. */
export function capacityOfParts(n: number, minPartBytes: number): number {
  let total = 0;
  for (let p = 1; p <= n; p++) total += partSize(p, minPartBytes);
  return total;
}

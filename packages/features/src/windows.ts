/**
 * Window arithmetic shared by every state: event time is cut into UTC hours, and every window is a range of whole
 * hours ending at the transaction's hour. The Redis script (redis-state.ts) does the same sums in Lua; the parity
 * test holds the two to identical results.
 */
export const HOUR_MS = 3_600_000;
export const DAY_HOURS = 24;
/** The customer windows (1, 7, 30 days) and the terminal windows, in hours. */
export const WINDOWS_HOURS = [24, 168, 720] as const;
/** Default chargeback delay before a label may be used: 7 days (the Handbook's). */
export const DEFAULT_LABEL_DELAY_MS = 7 * 24 * HOUR_MS;
/** Cap of the hours-since-previous feature (a first transaction gets it too). */
export const MAX_GAP_HOURS = 720;

export const hourOf = (ts: number): number => Math.floor(ts / HOUR_MS);

/**
 * What a state returns per transaction, before features are composed from it. `raw` layout:
 * [0..2]   customer count over 1/7/30 days, current transaction included
 * [3..5]   customer amount sum (cents) over 1/7/30 days, current included
 * [6]      customer count in the current hour, current included
 * [7..9]   terminal count over 1/7/30 days ending `delay + 1` hours before the transaction's hour
 * [10..12] terminal frauds in the same windows, counting only labels known before the transaction's hour
 * [13]     customer×terminal count over 30 days, current included
 * [14]     the customer's previous transaction time (ms), or -1
 * [15]     the terminal's frauds known before the transaction's hour, over the retained history (see retainedHours)
 * [16]     the transaction hour of the earliest of those frauds, or -1
 * [17]     the transaction hour of the latest of those frauds, or -1
 * [18]     the customer's anomalous transactions over the 7 days before this one (this one excluded): an amount over
 *          ANOMALY_RATIO times the customer's mean of days 2..30 at that transaction's time
 * [19]     the terminal's transactions from the hour of the earliest fraud in [16], when it is at or before the
 *          windows' end, to the windows' end (0 otherwise): with [12], the fraud share since a compromise became known
 * [20..21] the customer's count and amount sum (cents) before its 7-day window, over its history since its last gap
 *          of more than 30 days (LONG_GAP_HOURS): its habits before any recent compromise, from more transactions
 * [22]     the terminal's current run of known frauds: back from its latest hour bucket at or before the windows' end
 *          (over the retained history), the hour of the earliest of the buckets whose transactions are all frauds known
 *          before the transaction's hour; -1 when the latest bucket holds a genuine transaction, or there is none
 * [23]     the hour of the bucket holding a genuine transaction just before that run; -1 when none is retained (or no run)
 * [24..25] the transactions in that run, and those of them that were anomalous for their card when recorded (as [18]
 *          counts them): a compromised card's ×5 amounts make runs at the terminals it uses, a breach does not
 * [26]     the highest ratio, among that run's transactions over HIGH_RATIO (highRatio), of the amount to its card's
 *          older mean when it was recorded, in thousandths; 0 when none was (or no run)
 */
export const RAW_WIDTH = 27;

/** A card silent this long starts a new history for the long-run totals of raw [20..21]. */
export const LONG_GAP_HOURS = 720;

/** A transaction is anomalous for its card when amount × prior count > ANOMALY_RATIO × prior sum (integer cents). */
export const ANOMALY_RATIO = 3;

/** The terminal windows end this many hours before the transaction's hour: every label in them is known by then. */
export const terminalShiftHours = (labelDelayMs: number): number => Math.ceil(labelDelayMs / HOUR_MS) + 1;

/** Hours of history a state must keep: the longest terminal window plus its shift. */
export const retainedHours = (labelDelayMs: number): number => WINDOWS_HOURS[2] + terminalShiftHours(labelDelayMs);

/** What a state needs of the label delay, per call: where terminal windows end and how much history to keep. */
export interface WindowSpec {
  shiftHours: number;
  retainedHours: number;
}

/** Pure: the window spec of a label delay; a delay that is not a finite non-negative number is refused. */
export function windowSpec(labelDelayMs: number = DEFAULT_LABEL_DELAY_MS): WindowSpec {
  if (!(Number.isFinite(labelDelayMs) && labelDelayMs >= 0))
    throw new RangeError(`features: labelDelayMs must be a finite number >= 0, got ${labelDelayMs}`);
  return { shiftHours: terminalShiftHours(labelDelayMs), retainedHours: retainedHours(labelDelayMs) };
}

export const cents = (amount: number): number => Math.round(amount * 100);

/** Terminals keep, per hour, the highest amount ratio of the transactions whose ratio is over this. */
export const HIGH_RATIO = 2;

/** The largest ratio highRatio gives, in thousandths (an int32, as the Redis script stores it). */
export const MAX_HIGH_RATIO = 2 ** 31 - 1;

/**
 * Pure: a transaction's amount (cents) over its card's older mean (`olderN` transactions, `olderS` cents: raw
 * [20..21]) in thousandths, rounded down, when the ratio is over HIGH_RATIO; else 0. Compared in integers, the same
 * double operations in the same order as the Redis script's, and an integer in the end (a script's reply and the
 * MessagePack records keep integers small and exact).
 */
export const highRatio = (amountCents: number, olderN: number, olderS: number): number =>
  olderN > 0 && olderS > 0 && amountCents * olderN > HIGH_RATIO * olderS
    ? Math.min(MAX_HIGH_RATIO, Math.floor((amountCents * olderN * 1000) / olderS))
    : 0;

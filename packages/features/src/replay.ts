import type { TransactionColumns } from '@fraud-operator/transactions';
import { composeFeatures } from './compose.ts';
import { DenseIds } from './dense-ids.ts';
import type { FeatureEngineOptions } from './engine.ts';
import { columnsOf, FEATURE_SETS, featureSetOf } from './names.ts';
import { PairCounts } from './pair-counts.ts';
import {
  ANOMALY_RATIO,
  cents,
  DEFAULT_LABEL_DELAY_MS,
  HOUR_MS,
  highRatio,
  LONG_GAP_HOURS,
  RAW_WIDTH,
  WINDOWS_HOURS,
  windowSpec,
} from './windows.ts';

const [W1, W7, W30] = WINDOWS_HOURS;
const FRAUD = 1;
const ANOMALOUS = 2;
const NONE = -1;

/** Replay takes the engine's options: the feature set and the label delay. */
export type ReplayOptions = FeatureEngineOptions;

export interface Replay {
  readonly names: readonly string[];
  /** The next chunk of history, in event-time order: its feature matrix (row-major, names.length per row). */
  push(cols: TransactionColumns): Float32Array;
}

function grown<T extends Int32Array | Float64Array>(a: T, size: number, fill: number): T {
  if (a.length >= size) return a;
  let n = Math.max(a.length, 1024);
  while (n < size) n *= 2;
  const b = new (a.constructor as new (n: number) => T)(n);
  b.fill(fill, a.length);
  b.set(a);
  return b;
}

/**
 * The offline replay, columnar: the same windows and sums as the streaming states (memory-state.ts, the Redis script),
 * computed with running totals instead of bucket scans. History arrives in event-time order, so every window edge only
 * moves forward: each row enters a ring of recent rows once and leaves each window once, when the current hour passes
 * that window's edge (a cursor per edge). A row's own fraud label enters the terminal's sums when it is known, at its
 * TX_DATETIME + labelDelayMs, as the live labels topic would deliver it. The parity test holds this to the states.
 */
class ColumnarReplay implements Replay {
  readonly names: readonly string[];
  readonly #columns: number[];
  readonly #delayMs: number;
  readonly #shift: number;
  readonly #retained: number;
  readonly #pairs: PairCounts | undefined;
  readonly #customers = new DenseIds();
  readonly #terminals = new DenseIds();
  readonly #raw = new Float64Array(RAW_WIDTH);
  readonly #full = new Float32Array(FEATURE_SETS.full.length);
  #rowsSeen = 0;
  #lastTs = Number.NEGATIVE_INFINITY;
  #hour = Number.NaN;

  // The ring of recent rows, addressed by sequence number & mask.
  #mask = (1 << 16) - 1;
  #rHour = new Int32Array(1 << 16);
  #rKnown = new Int32Array(1 << 16);
  #rCust = new Int32Array(1 << 16);
  #rTerm = new Int32Array(1 << 16);
  #rCents = new Float64Array(1 << 16);
  #rFlags = new Uint8Array(1 << 16);
  /** The row's high amount ratio in thousandths (highRatio; 0 when not high). */
  #rHigh = new Int32Array(1 << 16);
  /** The row's terminal's entered rows before the row's hour (set when it enters the terminal windows). */
  #rBefore = new Int32Array(1 << 16);
  #head = 0;
  // Cursors (sequence numbers): customer windows' exits; terminal windows' entry and exits; known frauds' entry, exit.
  #cx1 = 0;
  #cx7 = 0;
  #cx30 = 0;
  #tIn = 0;
  #tx1 = 0;
  #tx7 = 0;
  #tx30 = 0;
  #kIn = 0;
  #kx = 0;
  /** Next known fraud of the same terminal, by sequence number (frauds are rare: a Map is enough). */
  readonly #nextFraud = new Map<number, number>();

  // Per card (dense index).
  #cN1 = new Int32Array(0);
  #cN7 = new Int32Array(0);
  #cN30 = new Int32Array(0);
  #cS1 = new Float64Array(0);
  #cS7 = new Float64Array(0);
  #cS30 = new Float64Array(0);
  #cLast = new Float64Array(0);
  #cHour = new Float64Array(0);
  #cHourN = new Int32Array(0);
  #cAnomalies = new Int32Array(0);
  #cLongN = new Int32Array(0);
  #cLongS = new Float64Array(0);
  // Per terminal (dense index).
  #tN1 = new Int32Array(0);
  #tN7 = new Int32Array(0);
  #tN30 = new Int32Array(0);
  #tF1 = new Int32Array(0);
  #tF7 = new Int32Array(0);
  #tF30 = new Int32Array(0);
  #tKnown = new Int32Array(0);
  #tFirst = new Float64Array(0);
  #tLatest = new Float64Array(0);
  /** Rows ever entered into the terminal's windows, and that count before the hour of the latest of them. */
  #tEntered = new Int32Array(0);
  #tEnteredHour = new Float64Array(0);
  #tBeforeHour = new Int32Array(0);
  /**
   * 1 while every row of the terminal's latest entered hour is a fraud; that hour's rows, its anomalous ones, and their
   * highest high ratio.
   */
  #tAllFraud = new Int32Array(0);
  #tHourN = new Int32Array(0);
  #tHourA = new Int32Array(0);
  #tHourR = new Int32Array(0);
  /** The terminal's latest complete entered hour holding a genuine row (NONE: none yet). */
  #tRunPrev = new Float64Array(0);
  /**
   * Per terminal: the entered hours of all-fraud rows since its latest hour with a genuine one (the run so far), as
   * (hour, rows, anomalous rows, highest high ratio) quadruples.
   */
  readonly #runs = new Map<number, number[]>();

  constructor(opts: FeatureEngineOptions) {
    const set = featureSetOf(opts.featureSet);
    this.names = FEATURE_SETS[set];
    this.#columns = columnsOf(set);
    this.#delayMs = opts.labelDelayMs ?? DEFAULT_LABEL_DELAY_MS;
    const spec = windowSpec(this.#delayMs);
    this.#shift = spec.shiftHours;
    this.#retained = spec.retainedHours;
    const pairColumn = FEATURE_SETS.full.indexOf('CUSTOMER_TERMINAL_NB_TX_30DAY_WINDOW');
    this.#pairs = this.#columns.includes(pairColumn) ? new PairCounts() : undefined;
  }

  #growCustomers(size: number): void {
    if (this.#cN1.length >= size) return;
    this.#cN1 = grown(this.#cN1, size, 0);
    this.#cN7 = grown(this.#cN7, size, 0);
    this.#cN30 = grown(this.#cN30, size, 0);
    this.#cS1 = grown(this.#cS1, size, 0);
    this.#cS7 = grown(this.#cS7, size, 0);
    this.#cS30 = grown(this.#cS30, size, 0);
    this.#cLast = grown(this.#cLast, size, NONE);
    this.#cHour = grown(this.#cHour, size, Number.NaN);
    this.#cHourN = grown(this.#cHourN, size, 0);
    this.#cAnomalies = grown(this.#cAnomalies, size, 0);
    this.#cLongN = grown(this.#cLongN, size, 0);
    this.#cLongS = grown(this.#cLongS, size, 0);
  }

  #growTerminals(size: number): void {
    if (this.#tN1.length >= size) return;
    this.#tN1 = grown(this.#tN1, size, 0);
    this.#tN7 = grown(this.#tN7, size, 0);
    this.#tN30 = grown(this.#tN30, size, 0);
    this.#tF1 = grown(this.#tF1, size, 0);
    this.#tF7 = grown(this.#tF7, size, 0);
    this.#tF30 = grown(this.#tF30, size, 0);
    this.#tKnown = grown(this.#tKnown, size, 0);
    this.#tFirst = grown(this.#tFirst, size, NONE);
    this.#tLatest = grown(this.#tLatest, size, NONE);
    this.#tEntered = grown(this.#tEntered, size, 0);
    this.#tEnteredHour = grown(this.#tEnteredHour, size, Number.NaN);
    this.#tBeforeHour = grown(this.#tBeforeHour, size, 0);
    this.#tAllFraud = grown(this.#tAllFraud, size, 0);
    this.#tHourN = grown(this.#tHourN, size, 0);
    this.#tHourA = grown(this.#tHourA, size, 0);
    this.#tHourR = grown(this.#tHourR, size, 0);
    this.#tRunPrev = grown(this.#tRunPrev, size, NONE);
  }

  /** Doubles the ring when it is full, keeping every row a cursor may still reach. */
  #makeRoom(): void {
    const oldest = Math.min(this.#cx1, this.#cx7, this.#cx30, this.#tIn, this.#tx1, this.#tx7, this.#tx30, this.#kIn);
    const live = this.#head - Math.min(oldest, this.#kx);
    if (live <= this.#mask) return;
    const capacity = (this.#mask + 1) * 2;
    const mask = capacity - 1;
    const from = this.#head - live;
    const move = <T extends Int32Array | Float64Array | Uint8Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(capacity);
      for (let s = from; s < this.#head; s++) b[s & mask] = a[s & this.#mask]!;
      return b;
    };
    this.#rHour = move(this.#rHour);
    this.#rKnown = move(this.#rKnown);
    this.#rCust = move(this.#rCust);
    this.#rTerm = move(this.#rTerm);
    this.#rCents = move(this.#rCents);
    this.#rFlags = move(this.#rFlags);
    this.#rHigh = move(this.#rHigh);
    this.#rBefore = move(this.#rBefore);
    this.#mask = mask;
  }

  /** Moves every window edge to hour `h`: rows leave the windows they fell out of, terminal rows and labels enter. */
  #advance(h: number): void {
    const m = this.#mask;
    const hour = this.#rHour;
    const cust = this.#rCust;
    const term = this.#rTerm;
    const amount = this.#rCents;
    const flags = this.#rFlags;
    const head = this.#head;
    let s = this.#cx1;
    for (; s < head && hour[s & m]! <= h - W1; s++) {
      const c = cust[s & m]!;
      this.#cN1[c]!--;
      this.#cS1[c]! -= amount[s & m]!;
    }
    this.#cx1 = s;
    for (s = this.#cx7; s < head && hour[s & m]! <= h - W7; s++) {
      const c = cust[s & m]!;
      this.#cN7[c]!--;
      this.#cS7[c]! -= amount[s & m]!;
      if (flags[s & m]! & ANOMALOUS) this.#cAnomalies[c]!--;
    }
    this.#cx7 = s;
    for (s = this.#cx30; s < head && hour[s & m]! <= h - W30; s++) {
      const c = cust[s & m]!;
      this.#cN30[c]!--;
      this.#cS30[c]! -= amount[s & m]!;
      this.#pairs?.add(c, term[s & m]!, -1);
    }
    this.#cx30 = s;

    const end = h - this.#shift;
    for (s = this.#tIn; s < head && hour[s & m]! <= end; s++) {
      const t = term[s & m]!;
      const fraud = flags[s & m]! & FRAUD;
      const anomalous = flags[s & m]! & ANOMALOUS ? 1 : 0;
      if (this.#tEnteredHour[t] !== hour[s & m]) {
        this.#closeHour(t);
        this.#tEnteredHour[t] = hour[s & m]!;
        this.#tBeforeHour[t] = this.#tEntered[t]!;
        this.#tAllFraud[t] = fraud;
        this.#tHourN[t] = 1;
        this.#tHourA[t] = anomalous;
        this.#tHourR[t] = this.#rHigh[s & m]!;
      } else {
        if (!fraud) this.#tAllFraud[t] = 0;
        this.#tHourN[t]!++;
        this.#tHourA[t]! += anomalous;
        this.#tHourR[t] = Math.max(this.#tHourR[t]!, this.#rHigh[s & m]!);
      }
      this.#rBefore[s & m] = this.#tBeforeHour[t]!;
      this.#tEntered[t]!++;
      this.#tN1[t]!++;
      this.#tN7[t]!++;
      this.#tN30[t]!++;
      if (flags[s & m]! & FRAUD) {
        this.#tF1[t]!++;
        this.#tF7[t]!++;
        this.#tF30[t]!++;
      }
    }
    this.#tIn = s;
    for (s = this.#tx1; s < this.#tIn && hour[s & m]! <= end - W1; s++) {
      const t = term[s & m]!;
      this.#tN1[t]!--;
      if (flags[s & m]! & FRAUD) this.#tF1[t]!--;
    }
    this.#tx1 = s;
    for (s = this.#tx7; s < this.#tIn && hour[s & m]! <= end - W7; s++) {
      const t = term[s & m]!;
      this.#tN7[t]!--;
      if (flags[s & m]! & FRAUD) this.#tF7[t]!--;
    }
    this.#tx7 = s;
    for (s = this.#tx30; s < this.#tIn && hour[s & m]! <= end - W30; s++) {
      const t = term[s & m]!;
      this.#tN30[t]!--;
      if (flags[s & m]! & FRAUD) this.#tF30[t]!--;
    }
    this.#tx30 = s;

    // Frauds known before hour h, over the retained history: a list per terminal, oldest first.
    const known = this.#rKnown;
    for (s = this.#kIn; s < head && known[s & m]! < h; s++) {
      if (!(flags[s & m]! & FRAUD)) continue;
      const t = term[s & m]!;
      if (this.#tKnown[t]!++ === 0) this.#tFirst[t] = s;
      else this.#nextFraud.set(this.#tLatest[t]!, s);
      this.#tLatest[t] = s;
    }
    this.#kIn = s;
    for (s = this.#kx; s < this.#kIn && hour[s & m]! <= h - this.#retained; s++) {
      if (!(flags[s & m]! & FRAUD)) continue;
      const t = term[s & m]!;
      const next = this.#nextFraud.get(s);
      this.#nextFraud.delete(s);
      if (--this.#tKnown[t]! === 0) {
        this.#tFirst[t] = NONE;
        this.#tLatest[t] = NONE;
      } else this.#tFirst[t] = next!;
    }
    this.#kx = s;
  }

  /** The terminal's latest entered hour is complete: it extends the run of all-fraud hours, or ends it. */
  #closeHour(t: number): void {
    const last = this.#tEnteredHour[t]!;
    if (Number.isNaN(last)) return;
    if (this.#tAllFraud[t]) {
      const run = this.#runs.get(t);
      if (run) run.push(last, this.#tHourN[t]!, this.#tHourA[t]!, this.#tHourR[t]!);
      else this.#runs.set(t, [last, this.#tHourN[t]!, this.#tHourA[t]!, this.#tHourR[t]!]);
    } else {
      this.#runs.delete(t);
      this.#tRunPrev[t] = last;
    }
  }

  /**
   * Raw [22..26] as the states find them scanning their buckets back from the windows' end: the first hour of the
   * terminal's current run of all-fraud hours and the hour before it, both within the retained history, the run's
   * rows and anomalous rows, and their highest high ratio.
   */
  #knownRun(t: number, h: number, raw: Float64Array): void {
    raw[22] = NONE;
    raw[23] = NONE;
    raw[24] = 0;
    raw[25] = 0;
    raw[26] = 0;
    const latest = this.#tEnteredHour[t]!;
    const horizon = h - this.#retained;
    if (!(latest > horizon && this.#tAllFraud[t])) return;
    const run = this.#runs.get(t) ?? [];
    let drop = 0;
    while (drop < run.length && run[drop]! <= horizon) drop += 4;
    if (drop > 0) run.splice(0, drop);
    let rows = this.#tHourN[t]!;
    let anomalous = this.#tHourA[t]!;
    let high = this.#tHourR[t]!;
    for (let k = 0; k < run.length; k += 4) {
      rows += run[k + 1]!;
      anomalous += run[k + 2]!;
      high = Math.max(high, run[k + 3]!);
    }
    raw[22] = run.length > 0 ? run[0]! : latest;
    if (this.#tRunPrev[t]! > horizon) raw[23] = this.#tRunPrev[t]!;
    raw[24] = rows;
    raw[25] = anomalous;
    raw[26] = high;
  }

  push(cols: TransactionColumns): Float32Array {
    const width = this.#columns.length;
    const columns = this.#columns;
    const out = new Float32Array(cols.length * width);
    const raw = this.#raw;
    const full = this.#full;
    const pairs = this.#pairs;
    for (let i = 0; i < cols.length; i++) {
      const ts = cols.TX_DATETIME[i]!;
      const amount = cols.TX_AMOUNT[i]!;
      if (!(ts >= this.#lastTs && Number.isFinite(ts)) || !Number.isFinite(amount)) this.#refuse(cols, i);
      this.#lastTs = ts;
      const h = Math.floor(ts / HOUR_MS);
      if (h !== this.#hour) {
        this.#advance(h);
        this.#hour = h;
      }
      const c = this.#customers.index(cols.CUSTOMER_ID[i]!);
      const t = this.#terminals.index(cols.TERMINAL_ID[i]!);
      this.#growCustomers(c + 1);
      this.#growTerminals(t + 1);
      const money = cents(amount);

      raw[14] = this.#cLast[c]!;
      this.#cLast[c] = ts;
      const n1 = ++this.#cN1[c]!;
      const n7 = ++this.#cN7[c]!;
      const n30 = ++this.#cN30[c]!;
      const s1 = this.#cS1[c]! + money;
      const s7 = this.#cS7[c]! + money;
      const s30 = this.#cS30[c]! + money;
      this.#cS1[c] = s1;
      this.#cS7[c] = s7;
      this.#cS30[c] = s30;
      if (h - this.#cHour[c]! > LONG_GAP_HOURS) {
        this.#cLongN[c] = 0;
        this.#cLongS[c] = 0;
      }
      const longN = ++this.#cLongN[c]!;
      const longS = this.#cLongS[c]! + money;
      this.#cLongS[c] = longS;
      if (this.#cHour[c] === h) this.#cHourN[c]!++;
      else {
        this.#cHour[c] = h;
        this.#cHourN[c] = 1;
      }
      raw[18] = this.#cAnomalies[c]!;
      const priorCount = n30 - n1;
      const anomalous = priorCount > 0 && money * priorCount > ANOMALY_RATIO * (s30 - s1);
      if (anomalous) this.#cAnomalies[c]!++;
      raw[13] = pairs ? pairs.add(c, t, 1) : 0;

      this.#makeRoom();
      const slot = this.#head & this.#mask;
      this.#rHour[slot] = h;
      this.#rKnown[slot] = Math.floor((ts + this.#delayMs) / HOUR_MS);
      this.#rCust[slot] = c;
      this.#rTerm[slot] = t;
      this.#rCents[slot] = money;
      this.#rFlags[slot] = (cols.TX_FRAUD[i] === 1 ? FRAUD : 0) | (anomalous ? ANOMALOUS : 0);
      this.#rHigh[slot] = highRatio(money, longN - n7, longS - s7);
      this.#head++;

      raw[0] = n1;
      raw[1] = n7;
      raw[2] = n30;
      raw[3] = s1;
      raw[4] = s7;
      raw[5] = s30;
      raw[6] = this.#cHourN[c]!;
      raw[20] = longN - n7;
      raw[21] = longS - s7;
      raw[7] = this.#tN1[t]!;
      raw[8] = this.#tN7[t]!;
      raw[9] = this.#tN30[t]!;
      raw[10] = this.#tF1[t]!;
      raw[11] = this.#tF7[t]!;
      raw[12] = this.#tF30[t]!;
      raw[15] = this.#tKnown[t]!;
      const first = this.#tFirst[t]!;
      raw[16] = first === NONE ? NONE : this.#rHour[first & this.#mask]!;
      // The earliest known fraud has entered the windows when its hour is at or before their end.
      raw[19] =
        first !== NONE && raw[16]! <= h - this.#shift ? this.#tEntered[t]! - this.#rBefore[first & this.#mask]! : 0;
      const latest = this.#tLatest[t]!;
      raw[17] = latest === NONE ? NONE : this.#rHour[latest & this.#mask]!;
      this.#knownRun(t, h, raw);
      composeFeatures(amount, ts, raw, full, 0);
      const at = i * width;
      for (let k = 0; k < width; k++) out[at + k] = full[columns[k]!]!;
    }
    this.#rowsSeen += cols.length;
    return out;
  }

  #refuse(cols: TransactionColumns, i: number): never {
    const row = `row ${this.#rowsSeen + i + 1} (TRANSACTION_ID ${cols.TRANSACTION_ID[i]})`;
    const ts = cols.TX_DATETIME[i]!;
    if (!Number.isFinite(ts)) throw new RangeError(`replay: ${row}: TX_DATETIME is not a time (${ts})`);
    if (!Number.isFinite(cols.TX_AMOUNT[i]!))
      throw new RangeError(`replay: ${row}: TX_AMOUNT is not a number (${cols.TX_AMOUNT[i]})`);
    throw new RangeError(
      `replay: ${row}: TX_DATETIME ${new Date(ts).toISOString()} is before the previous row's ` +
        `${new Date(this.#lastTs).toISOString()}; the history must be in event-time order (sort by TX_DATETIME)`,
    );
  }
}

/** A stateful replay for history read in chunks (readTransactionColumns): push them in order. */
export function createReplay(opts: FeatureEngineOptions = {}): Replay {
  return new ColumnarReplay(opts);
}

/** One-shot replay of a whole history held in memory. */
export function replayFeatures(
  cols: TransactionColumns,
  opts: FeatureEngineOptions = {},
): { names: readonly string[]; matrix: Float32Array } {
  const replay = createReplay(opts);
  return { names: replay.names, matrix: replay.push(cols) };
}

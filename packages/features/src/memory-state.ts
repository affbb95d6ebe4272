import type { LabelMessage, TransactionMessage } from '@fraud-operator/transactions/wire';
import { FraudBuckets, HourBuckets } from './buckets.ts';
import type { FeatureState } from './state.ts';
import {
  ANOMALY_RATIO,
  cents,
  highRatio,
  hourOf,
  LONG_GAP_HOURS,
  RAW_WIDTH,
  WINDOWS_HOURS,
  type WindowSpec,
} from './windows.ts';

const [W1, W7, W30] = WINDOWS_HOURS;

interface Customer {
  /** The card's latest hour: a late transaction counts at it (per card, the stream is in order by design). */
  hour: number;
  last: number;
  buckets: HourBuckets;
  /** Anomalous transactions per hour (their count in `n`). */
  anomalies: HourBuckets;
  /** Count and cent sum since the card's last gap of more than LONG_GAP_HOURS, this transaction included. */
  longN: number;
  longS: number;
}
interface Terminal {
  /** The terminal's latest hour: its windows never move back (transactions reach it from every partition). */
  hour: number;
  buckets: HourBuckets;
  frauds: FraudBuckets;
  /** By hour, the highest ratio of the transactions whose amount ratio was high (highRatio). */
  highs: Map<number, number>;
}

/**
 * Raw [22..26]: back from the latest bucket at or before the windows' end, the buckets whose transactions are all
 * frauds known before hour `ht` (the terminal's current run of known frauds), the bucket before them, the run's
 * transactions and anomalous ones (a terminal bucket's `s` counts its anomalous transactions), and their highest high
 * ratio. `frauds`: the known frauds by transaction hour.
 */
function knownRun(t: Terminal, frauds: Map<number, number>, end: number, out: Float64Array, at: number): void {
  const tb = t.buckets;
  out[at + 22] = -1;
  out[at + 23] = -1;
  out[at + 24] = 0;
  out[at + 25] = 0;
  out[at + 26] = 0;
  for (let j = tb.hours.length - 1; j >= 0; j--) {
    const bh = tb.hours[j]!;
    if (bh > end) continue;
    if ((frauds.get(bh) ?? 0) < tb.n[j]!) {
      if (out[at + 22]! >= 0) out[at + 23] = bh;
      return;
    }
    out[at + 22] = bh;
    out[at + 24]! += tb.n[j]!;
    out[at + 25]! += tb.s[j]!;
    out[at + 26] = Math.max(out[at + 26]!, t.highs.get(bh) ?? 0);
  }
}

/**
 * The state in process memory, for tests and single-process use: the windows of the Redis script (redis-state.ts),
 * summed from hour buckets where the script keeps running totals. Per card and per terminal, hours never go back: a
 * transaction later than the latest one seen counts at the latest hour (the card's windows) and reads the terminal's
 * windows as of its latest hour. It keeps every txId it saw (idempotency), so it is not
 * for whole histories: the columnar replay (replay.ts) is. The parity test holds all three to identical sums.
 */
export class MemoryState implements FeatureState {
  readonly #customers = new Map<string, Customer>();
  readonly #terminals = new Map<string, Terminal>();
  readonly #pairs = new Map<string, HourBuckets>();
  readonly #seen = new Map<string, Float64Array>();
  readonly #labelled = new Set<string>();

  #terminal(id: string): Terminal {
    let t = this.#terminals.get(id);
    if (!t) {
      t = { hour: Number.NEGATIVE_INFINITY, buckets: new HourBuckets(), frauds: new FraudBuckets(), highs: new Map() };
      this.#terminals.set(id, t);
    }
    return t;
  }

  recordOne(tx: TransactionMessage, out: Float64Array, at: number, spec: WindowSpec): void {
    const cached = this.#seen.get(tx.txId);
    if (cached) {
      out.set(cached, at);
      return;
    }
    const h = hourOf(tx.ts);
    out.fill(0, at, at + RAW_WIDTH);

    let customer = this.#customers.get(tx.customerId);
    if (!customer) {
      customer = { hour: h, last: -1, buckets: new HourBuckets(), anomalies: new HourBuckets(), longN: 0, longS: 0 };
      this.#customers.set(tx.customerId, customer);
    }
    const hc = Math.max(h, customer.hour);
    if (hc - customer.hour > LONG_GAP_HOURS) {
      customer.longN = 0;
      customer.longS = 0;
    }
    customer.longN += 1;
    customer.longS += cents(tx.amount);
    customer.hour = hc;
    out[at + 14] = customer.last;
    customer.last = tx.ts;
    const cb = customer.buckets;
    cb.add(hc, 1, cents(tx.amount));
    cb.prune(hc - spec.retainedHours);
    for (let j = cb.hours.length - 1; j >= 0; j--) {
      const fh = cb.hours[j]!;
      if (fh <= hc - W30) break;
      const n = cb.n[j]!;
      const s = cb.s[j]!;
      out[at + 2]! += n;
      out[at + 5]! += s;
      if (fh > hc - W7) {
        out[at + 1]! += n;
        out[at + 4]! += s;
      }
      if (fh > hc - W1) {
        out[at]! += n;
        out[at + 3]! += s;
      }
      if (fh === hc) out[at + 6] = n;
    }
    const ab = customer.anomalies;
    ab.prune(hc - spec.retainedHours);
    for (let j = ab.hours.length - 1; j >= 0; j--) {
      const fh = ab.hours[j]!;
      if (fh <= hc - W7) break;
      out[at + 18]! += ab.n[j]!;
    }
    out[at + 20] = customer.longN - out[at + 1]!;
    out[at + 21] = customer.longS - out[at + 4]!;
    const priorCount = out[at + 2]! - out[at]!;
    const anomalous = priorCount > 0 && cents(tx.amount) * priorCount > ANOMALY_RATIO * (out[at + 5]! - out[at + 3]!);
    if (anomalous) ab.add(hc, 1, 0);

    const terminal = this.#terminal(tx.terminalId);
    const ht = Math.max(h, terminal.hour);
    terminal.hour = ht;
    const tb = terminal.buckets;
    const end = ht - spec.shiftHours;
    tb.prune(ht - spec.retainedHours);
    for (const fh of terminal.highs.keys()) if (fh <= ht - spec.retainedHours) terminal.highs.delete(fh);
    for (let j = tb.hours.length - 1; j >= 0; j--) {
      const fh = tb.hours[j]!;
      if (fh > end) continue;
      if (fh <= end - W30) break;
      const n = tb.n[j]!;
      out[at + 9]! += n;
      if (fh > end - W7) out[at + 8]! += n;
      if (fh > end - W1) out[at + 7]! += n;
    }
    const fb = terminal.frauds;
    fb.prune(ht - spec.retainedHours);
    out[at + 16] = -1;
    out[at + 17] = -1;
    const known = new Map<number, number>();
    for (let j = 0; j < fb.n.length; j++) {
      const fh = fb.txHours[j]!;
      if (fb.knownHours[j]! >= ht) continue;
      known.set(fh, (known.get(fh) ?? 0) + fb.n[j]!);
      out[at + 15]! += fb.n[j]!;
      if (out[at + 16]! < 0 || fh < out[at + 16]!) out[at + 16] = fh;
      if (fh > out[at + 17]!) out[at + 17] = fh;
      if (fh > end || fh <= end - W30) continue;
      const n = fb.n[j]!;
      out[at + 12]! += n;
      if (fh > end - W7) out[at + 11]! += n;
      if (fh > end - W1) out[at + 10]! += n;
    }
    knownRun(terminal, known, end, out, at);
    const first = out[at + 16]!;
    if (first >= 0 && first <= end)
      for (let j = tb.hours.length - 1; j >= 0 && tb.hours[j]! >= first; j--)
        if (tb.hours[j]! <= end) out[at + 19]! += tb.n[j]!;
    tb.add(h, 1, anomalous ? 1 : 0);
    const high = highRatio(cents(tx.amount), out[at + 20]!, out[at + 21]!);
    if (high > 0) terminal.highs.set(h, Math.max(high, terminal.highs.get(h) ?? 0));

    const pairKey = `${tx.customerId}:${tx.terminalId}`;
    let pair = this.#pairs.get(pairKey);
    if (!pair) {
      pair = new HourBuckets();
      this.#pairs.set(pairKey, pair);
    }
    pair.add(hc, 1, 0);
    pair.prune(hc - W30);
    for (let j = pair.hours.length - 1; j >= 0; j--) out[at + 13]! += pair.n[j]!;
    this.#seen.set(tx.txId, out.slice(at, at + RAW_WIDTH));
  }

  applyLabel(label: LabelMessage): void {
    if (!label.fraud || this.#labelled.has(label.txId)) return;
    this.#labelled.add(label.txId);
    this.#terminal(label.terminalId).frauds.add(hourOf(label.txTs), hourOf(label.ts));
  }

  async record(txs: readonly TransactionMessage[], spec: WindowSpec): Promise<Float64Array> {
    const out = new Float64Array(txs.length * RAW_WIDTH);
    for (let i = 0; i < txs.length; i++) this.recordOne(txs[i]!, out, i * RAW_WIDTH, spec);
    return out;
  }

  async applyLabels(labels: readonly LabelMessage[]): Promise<void> {
    for (const l of labels) this.applyLabel(l);
  }
}

export const memoryState = (): MemoryState => new MemoryState();

import type { LabelMessage, TransactionMessage } from '@fraud-operator/transactions/wire';
import { FraudBuckets, HourBuckets } from './buckets.ts';
import type { FeatureState } from './state.ts';
import {
  cents,
  DEFAULT_LABEL_DELAY_MS,
  hourOf,
  RAW_WIDTH,
  retainedHours,
  terminalShiftHours,
  WINDOWS_HOURS,
} from './windows.ts';

const [W1, W7, W30] = WINDOWS_HOURS;

interface Customer {
  last: number;
  buckets: HourBuckets;
}
interface Terminal {
  buckets: HourBuckets;
  frauds: FraudBuckets;
}

/**
 * The state in process memory, for replay and tests: the windows and pruning of the Redis script (redis-state.ts)
 * over numeric arrays instead of hash fields. The parity test holds the two to identical sums.
 */
export class MemoryState implements FeatureState {
  readonly #customers = new Map<string, Customer>();
  readonly #terminals = new Map<string, Terminal>();
  readonly #pairs = new Map<string, HourBuckets>();
  readonly #seen = new Map<string, Float64Array>();
  readonly #labelled = new Set<string>();
  readonly #shift: number;
  readonly #retained: number;

  constructor(labelDelayMs = DEFAULT_LABEL_DELAY_MS) {
    this.#shift = terminalShiftHours(labelDelayMs);
    this.#retained = retainedHours(labelDelayMs);
  }

  #terminal(id: string): Terminal {
    let t = this.#terminals.get(id);
    if (!t) {
      t = { buckets: new HourBuckets(), frauds: new FraudBuckets() };
      this.#terminals.set(id, t);
    }
    return t;
  }

  /** `remember` false: a replay of history that never asks twice (no per-transaction memory). */
  recordOne(tx: TransactionMessage, out: Float64Array, at: number, remember = true): void {
    const cached = remember ? this.#seen.get(tx.txId) : undefined;
    if (cached) {
      out.set(cached, at);
      return;
    }
    const h = hourOf(tx.ts);
    out.fill(0, at, at + RAW_WIDTH);

    let customer = this.#customers.get(tx.customerId);
    if (!customer) {
      customer = { last: -1, buckets: new HourBuckets() };
      this.#customers.set(tx.customerId, customer);
    }
    out[at + 14] = customer.last;
    customer.last = tx.ts;
    const cb = customer.buckets;
    cb.add(h, 1, cents(tx.amount));
    cb.prune(h - this.#retained);
    for (let j = cb.hours.length - 1; j >= 0; j--) {
      const fh = cb.hours[j]!;
      if (fh > h) continue;
      if (fh <= h - W30) break;
      const n = cb.n[j]!;
      const s = cb.s[j]!;
      out[at + 2]! += n;
      out[at + 5]! += s;
      if (fh > h - W7) {
        out[at + 1]! += n;
        out[at + 4]! += s;
      }
      if (fh > h - W1) {
        out[at]! += n;
        out[at + 3]! += s;
      }
      if (fh === h) out[at + 6] = n;
    }

    const terminal = this.#terminal(tx.terminalId);
    const tb = terminal.buckets;
    const end = h - this.#shift;
    tb.prune(h - this.#retained);
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
    fb.prune(h - this.#retained);
    for (let j = 0; j < fb.n.length; j++) {
      const fh = fb.txHours[j]!;
      if (fh > end || fb.knownHours[j]! >= h || fh <= end - W30) continue;
      const n = fb.n[j]!;
      out[at + 12]! += n;
      if (fh > end - W7) out[at + 11]! += n;
      if (fh > end - W1) out[at + 10]! += n;
    }
    tb.add(h, 1, 0);

    const pairKey = `${tx.customerId}:${tx.terminalId}`;
    let pair = this.#pairs.get(pairKey);
    if (!pair) {
      pair = new HourBuckets();
      this.#pairs.set(pairKey, pair);
    }
    pair.add(h, 1, 0);
    pair.prune(h - W30);
    for (let j = pair.hours.length - 1; j >= 0; j--) {
      if (pair.hours[j]! <= h) out[at + 13]! += pair.n[j]!;
    }
    if (remember) this.#seen.set(tx.txId, out.slice(at, at + RAW_WIDTH));
  }

  applyLabel(label: LabelMessage): void {
    if (!label.fraud || this.#labelled.has(label.txId)) return;
    this.#labelled.add(label.txId);
    this.#terminal(label.terminalId).frauds.add(hourOf(label.txTs), hourOf(label.ts));
  }

  async record(txs: readonly TransactionMessage[]): Promise<Float64Array> {
    const out = new Float64Array(txs.length * RAW_WIDTH);
    for (let i = 0; i < txs.length; i++) this.recordOne(txs[i]!, out, i * RAW_WIDTH);
    return out;
  }

  async applyLabels(labels: readonly LabelMessage[]): Promise<void> {
    for (const l of labels) this.applyLabel(l);
  }
}

export const memoryState = (labelDelayMs?: number): MemoryState => new MemoryState(labelDelayMs);

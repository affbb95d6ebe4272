/**
 * Counts per (card, terminal) pair of dense indexes: an open-addressing hash table over typed arrays (a Map of
 * millions of pairs is several times slower and larger). Counts may fall to zero; a rebuild drops those entries.
 */
export class PairCounts {
  #cust: Int32Array;
  #term: Int32Array;
  #count: Int32Array;
  #mask: number;
  #used = 0;

  constructor(capacity = 1 << 16) {
    this.#cust = new Int32Array(capacity).fill(-1);
    this.#term = new Int32Array(capacity);
    this.#count = new Int32Array(capacity);
    this.#mask = capacity - 1;
  }

  #slot(c: number, t: number): number {
    let i = (Math.imul(c, 0x9e3779b1) ^ Math.imul(t + 0x7f4a7c15, 0x85ebca77)) & this.#mask;
    for (;;) {
      const k = this.#cust[i]!;
      if (k === -1 || (k === c && this.#term[i] === t)) return i;
      i = (i + 1) & this.#mask;
    }
  }

  /** Adds `delta` to the pair's count and returns the new count. */
  add(c: number, t: number, delta: number): number {
    let i = this.#slot(c, t);
    if (this.#cust[i] === -1) {
      if (2 * (this.#used + 1) > this.#cust.length) {
        this.#rebuild();
        i = this.#slot(c, t);
      }
      this.#cust[i] = c;
      this.#term[i] = t;
      this.#used++;
    }
    this.#count[i]! += delta;
    return this.#count[i]!;
  }

  #rebuild(): void {
    const cust = this.#cust;
    const term = this.#term;
    const count = this.#count;
    let live = 0;
    for (let i = 0; i < cust.length; i++) if (cust[i] !== -1 && count[i] !== 0) live++;
    let capacity = cust.length;
    while (4 * live > capacity) capacity *= 2;
    this.#cust = new Int32Array(capacity).fill(-1);
    this.#term = new Int32Array(capacity);
    this.#count = new Int32Array(capacity);
    this.#mask = capacity - 1;
    this.#used = live;
    for (let i = 0; i < cust.length; i++) {
      if (cust[i] === -1 || count[i] === 0) continue;
      const j = this.#slot(cust[i]!, term[i]!);
      this.#cust[j] = cust[i]!;
      this.#term[j] = term[i]!;
      this.#count[j] = count[i]!;
    }
  }
}

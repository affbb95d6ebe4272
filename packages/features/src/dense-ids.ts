/** Identifiers up to this go through a flat lookup table; larger (or negative) ones through a Map. */
const TABLE_LIMIT = 1 << 24;

/** Maps arbitrary int32 identifiers (card, terminal) to dense indexes 0, 1, 2, … in order of first sight. */
export class DenseIds {
  #table = new Int32Array(1024).fill(-1);
  readonly #large = new Map<number, number>();
  size = 0;

  index(id: number): number {
    if (id >= 0 && id < TABLE_LIMIT) {
      if (id >= this.#table.length) {
        let n = this.#table.length;
        while (n <= id) n *= 2;
        const grown = new Int32Array(Math.min(n, TABLE_LIMIT)).fill(-1);
        grown.set(this.#table);
        this.#table = grown;
      }
      const known = this.#table[id]!;
      if (known >= 0) return known;
      this.#table[id] = this.size;
      return this.size++;
    }
    const known = this.#large.get(id);
    if (known !== undefined) return known;
    this.#large.set(id, this.size);
    return this.size++;
  }
}

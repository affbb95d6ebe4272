/** Reads exact byte counts from a stream of arbitrarily cut pieces, holding only what the caller asked for. */
export class ByteReader {
  private readonly source: AsyncIterator<Uint8Array>;
  private pieces: Buffer[] = [];
  private buffered = 0;
  private done = false;

  constructor(source: AsyncIterable<Uint8Array>) {
    this.source = source[Symbol.asyncIterator]();
  }

  /** Exactly n bytes, or fewer only when the stream ends first. */
  async read(n: number): Promise<Buffer> {
    while (this.buffered < n && !this.done) {
      const next = await this.source.next();
      if (next.done) {
        this.done = true;
        break;
      }
      if (next.value.length === 0) continue;
      const piece = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
      this.pieces.push(piece);
      this.buffered += piece.length;
    }
    const take = Math.min(n, this.buffered);
    const all = this.pieces.length === 1 ? this.pieces[0]! : Buffer.concat(this.pieces, this.buffered);
    const out = all.subarray(0, take);
    const rest = all.subarray(take);
    this.pieces = rest.length > 0 ? [rest] : [];
    this.buffered = rest.length;
    return out;
  }

  /** True when no byte is left. */
  async atEnd(): Promise<boolean> {
    if (this.buffered > 0) return false;
    const peek = await this.read(1);
    if (peek.length === 0) return true;
    this.pieces.unshift(peek);
    this.buffered += peek.length;
    return false;
  }
}

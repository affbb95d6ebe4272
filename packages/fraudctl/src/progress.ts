/** Rows, rows/s and ETA on stderr: a redrawn bar on a TTY, else one line every few seconds. */
export class Progress {
  readonly #stream: NodeJS.WriteStream;
  readonly #total: number;
  readonly #started = performance.now();
  #rows = 0;
  #lastDraw = 0;

  constructor(stream: NodeJS.WriteStream, total: number) {
    this.#stream = stream;
    this.#total = total;
  }

  add(rows: number): void {
    this.#rows += rows;
    const now = performance.now();
    if (now - this.#lastDraw >= (this.#stream.isTTY ? 200 : 5000)) {
      this.#lastDraw = now;
      this.#draw(now);
    }
  }

  done(): void {
    this.#draw(performance.now());
    if (this.#stream.isTTY) this.#stream.write('\n');
  }

  #draw(now: number): void {
    const seconds = (now - this.#started) / 1000;
    const rate = seconds > 0 ? this.#rows / seconds : 0;
    const share = Math.min(1, this.#rows / this.#total);
    const eta = rate > 0 ? Math.max(0, (this.#total - this.#rows) / rate) : Number.NaN;
    const text = `${this.#rows.toLocaleString('en')} rows  ${Math.round(rate).toLocaleString('en')} rows/s  ETA ${Number.isNaN(eta) ? '?' : `${eta.toFixed(0)} s`}`;
    if (this.#stream.isTTY) {
      const width = 30;
      const filled = Math.round(share * width);
      this.#stream.write(
        `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)} %  ${text}\x1b[K`,
      );
    } else {
      this.#stream.write(`${(share * 100).toFixed(0)} %  ${text}\n`);
    }
  }
}

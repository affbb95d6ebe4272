/**
 * Pure: negative downsampling with reweighting. Every fraud is kept with weight 1; each genuine row is kept when a
 * seeded hash of its TRANSACTION_ID falls below `rate` (sampledGenuine) and weighted 1/rate, so the weighted class
 * balance, and the fitted probabilities' scale, stay those of the full data. The decision belongs to the row alone,
 * not to its position: the loader can drop the rows a phase will not sample before the phase sees the data, and the
 * phase then draws the same rows. `rate` 1 keeps everything.
 */
export function downsampleNegatives(
  mask: Uint8Array,
  labels: ArrayLike<number>,
  txIds: ArrayLike<number>,
  rate: number,
  seed: number,
): { mask: Uint8Array; weightOf: (label: number) => number } {
  checkRate(rate);
  if (rate === 1) return { mask, weightOf: () => 1 };
  const out = new Uint8Array(mask.length);
  for (let i = 0; i < mask.length; i++) {
    if (mask[i] === 1 && (labels[i] === 1 || sampledGenuine(txIds[i]!, seed, rate))) out[i] = 1;
  }
  return { mask: out, weightOf: (label) => (label === 1 ? 1 : 1 / rate) };
}

function checkRate(rate: number): void {
  if (!(rate > 0 && rate <= 1)) throw new RangeError(`negative rate must be in (0, 1], got ${rate}`);
}

/** murmur3's finaliser: a bijection on 32 bits that spreads every input bit over the output. */
function mix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Pure: whether a genuine row with this TRANSACTION_ID is in the sample of share `rate` drawn with `seed`. */
export function sampledGenuine(txId: number, seed: number, rate: number): boolean {
  return mix32(txId ^ mix32(seed + 0x9e3779b9)) < rate * 4_294_967_296;
}

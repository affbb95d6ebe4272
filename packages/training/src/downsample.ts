/**
 * Pure: negative downsampling with reweighting. Every fraud is kept with weight 1; each genuine row is kept with
 * probability `rate` (a seeded draw, so a run is reproducible) and weighted 1/rate, so the weighted class balance, and
 * the fitted probabilities' scale, stay those of the full data. `rate` 1 keeps everything.
 */
export function downsampleNegatives(
  mask: Uint8Array,
  labels: ArrayLike<number>,
  rate: number,
  seed: number,
): { mask: Uint8Array; weightOf: (label: number) => number } {
  if (!(rate > 0 && rate <= 1)) throw new RangeError(`negative rate must be in (0, 1], got ${rate}`);
  if (rate === 1) return { mask, weightOf: () => 1 };
  const out = new Uint8Array(mask.length);
  let state = (seed ^ 0x9e3779b9) >>> 0;
  for (let i = 0; i < mask.length; i++) {
    if (mask[i] !== 1) continue;
    // mulberry32: one draw per candidate row, in row order.
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    const u = ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
    out[i] = labels[i] === 1 || u < rate ? 1 : 0;
  }
  return { mask: out, weightOf: (label) => (label === 1 ? 1 : 1 / rate) };
}

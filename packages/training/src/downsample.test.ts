import { describe, expect, it } from 'vitest';
import { downsampleNegatives, sampledGenuine } from './downsample.ts';

describe('negative downsampling', () => {
  const n = 100_000;
  const labels = Array.from({ length: n }, (_, i) => (i % 100 === 0 ? 1 : 0));
  const txIds = Int32Array.from({ length: n }, (_, i) => 5_000_000 + i);
  const mask = new Uint8Array(n).fill(1);
  mask[5] = 0;

  it('keeps every fraud, about rate of the genuine rows, nothing outside the mask, and reweights', () => {
    const { mask: kept, weightOf } = downsampleNegatives(mask, labels, txIds, 0.1, 7);
    let frauds = 0;
    let genuine = 0;
    for (let i = 0; i < n; i++) {
      if (!kept[i]) continue;
      if (labels[i] === 1) frauds++;
      else genuine++;
    }
    expect(frauds).toBe(1000);
    expect(kept[5]).toBe(0);
    expect(genuine).toBeGreaterThan(0.1 * 98_999 * 0.95);
    expect(genuine).toBeLessThan(0.1 * 98_999 * 1.05);
    expect(weightOf(1)).toBe(1);
    expect(weightOf(0)).toBe(10);
  });

  it('is reproducible for a seed and differs between seeds; rate 1 keeps all; a bad rate is refused', () => {
    const a = downsampleNegatives(mask, labels, txIds, 0.2, 1).mask;
    expect(downsampleNegatives(mask, labels, txIds, 0.2, 1).mask).toEqual(a);
    expect(downsampleNegatives(mask, labels, txIds, 0.2, 2).mask).not.toEqual(a);
    expect(downsampleNegatives(mask, labels, txIds, 1, 1).mask).toBe(mask);
    expect(() => downsampleNegatives(mask, labels, txIds, 0, 1)).toThrow(/in \(0, 1\]/);
  });

  it("draws by the row's TRANSACTION_ID, not its position: a subset draws the same rows", () => {
    const all = downsampleNegatives(mask, labels, txIds, 0.3, 4).mask;
    const everyFourth = Int32Array.from({ length: n / 4 }, (_, i) => txIds[i * 4]!);
    const sub = downsampleNegatives(
      new Uint8Array(everyFourth.length).fill(1),
      Array.from(everyFourth, (_, i) => labels[i * 4]!),
      everyFourth,
      0.3,
      4,
    ).mask;
    expect(Array.from(sub)).toEqual(Array.from(everyFourth, (_, i) => all[i * 4]));
    expect(sampledGenuine(123, 4, 1)).toBe(true);
  });
});

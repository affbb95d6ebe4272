import { describe, expect, it } from 'vitest';
import { BIN_COUNT, binFloor, binOf } from './bins.ts';

describe('score bins', () => {
  it('are monotone in the score and cover [0, 1]', () => {
    let previous = 0;
    for (let i = 0; i <= 100_000; i++) {
      const b = binOf(i / 100_000);
      expect(b).toBeGreaterThanOrEqual(previous);
      previous = b;
    }
    expect(binOf(0)).toBe(0);
    expect(binOf(1)).toBe(BIN_COUNT - 1);
    expect(binOf(Number.NaN)).toBe(0);
  });

  it('keep scores near 1 apart: a fraud operating point is not lost in a bin', () => {
    expect(binOf(0.999)).toBeLessThan(binOf(0.9999));
    expect(binOf(0.99999)).toBeLessThan(binOf(0.999999));
    expect(binOf(0.001)).toBeLessThan(binOf(0.0011));
  });

  it('floor of a bin is in that bin', () => {
    for (const b of [1, 10, 256, 400, BIN_COUNT - 1]) expect(binOf(binFloor(b) * (1 + 1e-9))).toBe(b);
  });
});

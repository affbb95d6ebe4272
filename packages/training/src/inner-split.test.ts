import { describe, expect, it } from 'vitest';
import { innerValidationMask } from './inner-split.ts';

describe('innerValidationMask', () => {
  it('marks the rows of the last days of the range, in any row order', () => {
    expect(Array.from(innerValidationMask([10, 16, 11, 15, 16, 14]))).toEqual([0, 1, 0, 1, 1, 0]);
    expect(Array.from(innerValidationMask([3, 4, 5, 6], 1))).toEqual([0, 0, 0, 1]);
  });

  it('does not split a range no longer than the validation days', () => {
    expect(Array.from(innerValidationMask([7, 8, 8]))).toEqual([0, 0, 0]);
    expect(Array.from(innerValidationMask([]))).toEqual([]);
  });

  it('refuses a number of days that is not a positive integer', () => {
    expect(() => innerValidationMask([1, 2, 3], 0)).toThrow(/inner validation days must be > 0/);
  });
});

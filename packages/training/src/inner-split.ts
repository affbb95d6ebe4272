/** Days at the end of a training range that validate the number of trees (early stopping), never a test fold's. */
export const INNER_VALIDATION_DAYS = 2;

/**
 * Pure: the inner time split of a training set, 1 for the rows of its last `days` days (by event day, in any row
 * order). Rows before them fit the trees, these choose how many, and the model is then refitted on all of them with
 * that number: the choice sees the training range only, and the later rows, as a test week is later.
 */
export function innerValidationMask(rowDays: ArrayLike<number>, days = INNER_VALIDATION_DAYS): Uint8Array {
  if (!(Number.isInteger(days) && days > 0)) throw new RangeError(`inner validation days must be > 0, got ${days}`);
  let last = Number.NEGATIVE_INFINITY;
  let first = Number.POSITIVE_INFINITY;
  for (let i = 0; i < rowDays.length; i++) {
    last = Math.max(last, rowDays[i]!);
    first = Math.min(first, rowDays[i]!);
  }
  const mask = new Uint8Array(rowDays.length);
  if (last - first + 1 <= days) return mask; // too short to split: no early stopping
  for (let i = 0; i < rowDays.length; i++) mask[i] = rowDays[i]! > last - days ? 1 : 0;
  return mask;
}

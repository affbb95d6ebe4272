import { DELAY_DAYS, TRAIN_DAYS } from './protocol.ts';

export const FINAL_FIT_WEEKS = 4;

/** Inclusive day numbers. */
export interface DayRange {
  fromDay: number;
  toDay: number;
}

/** Pure: the shipped model's training days, the latest four weeks whose labels are known (ending the delay before the data's end). */
export function finalFitRange(lastDay: number): DayRange {
  const toDay = lastDay - DELAY_DAYS;
  return { fromDay: toDay - TRAIN_DAYS * FINAL_FIT_WEEKS + 1, toDay };
}

import { sampledGenuine } from './downsample.ts';
import type { DayRange } from './final-fit-range.ts';
import { type Fold, foldSeed, TEST_DAYS, TRAIN_DAYS } from './protocol.ts';

export interface KeepPlan {
  folds: readonly Fold[];
  /** The final fit's days (`fraudctl train`); absent when only the protocol runs (`fraudctl evaluate`). */
  finalFit?: DayRange;
  negativeRate: number;
  seed: number;
}

/** Decides, from a row's day, label and TRANSACTION_ID alone, whether any phase will look at it. */
export type RowFilter = (day: number, fraud: number, txId: number) => boolean;

/**
 * Pure: the rows the protocol and the final fit use, so that the replay keeps only those. Every row of a test week
 * (the compromised-card removal is decided later); the frauds of a fold's training and delay weeks (the training set,
 * and the customers known compromised during the test week); the genuine rows of a training week that the fold's
 * draw samples; the final fit's frauds and the genuine rows its draw samples. Each phase then draws from what was kept
 * and gets the rows it would have drawn from the whole file (downsample.ts draws by TRANSACTION_ID).
 */
export function rowFilter(plan: KeepPlan): RowFilter {
  const { folds, finalFit, negativeRate, seed } = plan;
  if (!(negativeRate > 0 && negativeRate <= 1))
    throw new RangeError(`negative rate must be in (0, 1], got ${negativeRate}`);
  return (day, fraud, txId) => {
    for (const f of folds) {
      if (day >= f.testStartDay && day < f.testStartDay + TEST_DAYS) return true;
      if (day < f.trainStartDay || day >= f.testStartDay) continue;
      if (fraud === 1) return true;
      if (day < f.trainStartDay + TRAIN_DAYS && sampledGenuine(txId, foldSeed(seed, f.fold), negativeRate)) return true;
    }
    if (finalFit === undefined || day < finalFit.fromDay || day > finalFit.toDay) return false;
    return fraud === 1 || sampledGenuine(txId, seed, negativeRate);
  };
}

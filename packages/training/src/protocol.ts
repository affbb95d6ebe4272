/**
 * The Handbook's prequential protocol (chapter 5.2), as pure functions over day numbers (UTC days since the epoch):
 * 7 days of training, 7 days of delay, 7 days of test; fold k's training starts 7k days before the anchor.
 */
export const DAY_MS = 86_400_000;
export const TRAIN_DAYS = 7;
export const DELAY_DAYS = 7;
export const TEST_DAYS = 7;
export const FOLDS = 4;
/** The Handbook's first training day: 2018-08-15 (its figures use this start on the 2018-04-01.. simulation). */
export const HANDBOOK_ANCHOR_DAY = Date.UTC(2018, 7, 15) / DAY_MS;

export interface Fold {
  fold: number;
  trainStartDay: number;
  testStartDay: number;
}

export const dayOf = (ts: number): number => Math.floor(ts / DAY_MS);

/** The seed of fold k's model and of its draw of genuine training rows (downsample.ts). */
export const foldSeed = (seed: number, fold: number): number => seed + fold;

/** The folds for data spanning [firstDay, lastDay]: the Handbook's dates when covered, else counted back from the end. */
export function folds(firstDay: number, lastDay: number): Fold[] {
  const span = TRAIN_DAYS + DELAY_DAYS + TEST_DAYS;
  const coversHandbook =
    firstDay <= HANDBOOK_ANCHOR_DAY - (FOLDS - 1) * TEST_DAYS && lastDay >= HANDBOOK_ANCHOR_DAY + span - 1;
  const anchor = coversHandbook ? HANDBOOK_ANCHOR_DAY : lastDay - span + 1;
  const out: Fold[] = [];
  for (let k = 0; k < FOLDS; k++) {
    const trainStartDay = anchor - TEST_DAYS * k;
    if (trainStartDay < firstDay)
      throw new Error(
        `the data covers ${lastDay - firstDay + 1} days: ${FOLDS} folds need ${span + (FOLDS - 1) * TEST_DAYS}`,
      );
    out.push({ fold: k, trainStartDay, testStartDay: trainStartDay + TRAIN_DAYS + DELAY_DAYS });
  }
  return out;
}

/**
 * Which test transactions count (the Handbook's get_train_test_set): customers with a fraud in the training days are
 * known compromised; each test day adds those whose frauds became known (test day - delay - 1 ... as the Handbook).
 * Their transactions are dropped from the test set.
 */
export function testMask(
  fold: Fold,
  day: Int32Array,
  customer: Int32Array,
  fraud: Int8Array,
): { train: Uint8Array; test: Uint8Array } {
  const n = day.length;
  const train = new Uint8Array(n);
  const test = new Uint8Array(n);
  const known = new Set<number>();
  const fraudsByDay = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const d = day[i]!;
    if (d >= fold.trainStartDay && d < fold.trainStartDay + TRAIN_DAYS) {
      train[i] = 1;
      if (fraud[i] === 1) known.add(customer[i]!);
    }
    if (fraud[i] === 1) {
      const list = fraudsByDay.get(d) ?? [];
      list.push(customer[i]!);
      fraudsByDay.set(d, list);
    }
  }
  for (let t = 0; t < TEST_DAYS; t++) {
    // Frauds of day (training start + train days + t - 1) are known by test day t.
    for (const c of fraudsByDay.get(fold.trainStartDay + TRAIN_DAYS + t - 1) ?? []) known.add(c);
    const testDay = fold.testStartDay + t;
    for (let i = 0; i < n; i++) if (day[i] === testDay && !known.has(customer[i]!)) test[i] = 1;
  }
  return { train, test };
}

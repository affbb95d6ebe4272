import { describe, expect, it } from 'vitest';
import { DAY_MS, folds, HANDBOOK_ANCHOR_DAY, testMask } from './protocol.ts';

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY_MS;

describe('prequential folds', () => {
  it("use the Handbook's dates on the Handbook's data", () => {
    const f = folds(day('2018-04-01'), day('2018-09-30'));
    expect(f.map((x) => x.trainStartDay)).toEqual([0, 7, 14, 21].map((d) => HANDBOOK_ANCHOR_DAY - d));
    expect(f[0]!.testStartDay).toBe(day('2018-08-29'));
  });

  it('count back from the end of other data, and refuse data too short', () => {
    const f = folds(day('2026-01-01'), day('2026-03-01'));
    expect(f[0]!.testStartDay + 6).toBe(day('2026-03-01'));
    expect(() => folds(day('2026-01-01'), day('2026-01-30'))).toThrow(/4 folds need 42/);
  });

  it('drop the test transactions of customers known to be compromised, as frauds become known', () => {
    const fold = { fold: 0, trainStartDay: 100, testStartDay: 114 };
    // customer 1: fraud in training; customer 2: fraud on day 107 (known on test day 1); customer 3: clean.
    const rows = [
      [100, 1, 1],
      [107, 2, 1],
      [114, 1, 0],
      [114, 2, 0],
      [115, 2, 0],
      [115, 3, 0],
    ] as const;
    const m = testMask(
      fold,
      Int32Array.from(rows.map((r) => r[0])),
      Int32Array.from(rows.map((r) => r[1])),
      Int8Array.from(rows.map((r) => r[2])),
    );
    expect(Array.from(m.train)).toEqual([1, 0, 0, 0, 0, 0]);
    expect(Array.from(m.test)).toEqual([0, 0, 0, 1, 0, 1]);
  });
});

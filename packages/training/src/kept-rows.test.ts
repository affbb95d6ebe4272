import { describe, expect, it } from 'vitest';
import { downsampleNegatives, sampledGenuine } from './downsample.ts';
import { finalFitRange } from './final-fit-range.ts';
import { rowFilter } from './kept-rows.ts';
import { DAY_MS, foldSeed, folds, testMask } from './protocol.ts';

const firstDay = Date.UTC(2026, 0, 1) / DAY_MS;
const lastDay = firstDay + 69;
const plan = { folds: folds(firstDay, lastDay), negativeRate: 0.1, seed: 3 };
// Counted back from the end: fold 0 tests the last 7 days, fold 3's training week starts 21 days before fold 0's.
const [f0, , f2, f3] = plan.folds;

describe('rows kept for the protocol and the final fit', () => {
  const keep = rowFilter(plan);
  const keepForTrain = rowFilter({ ...plan, finalFit: finalFitRange(lastDay) });
  const ids = Array.from({ length: 1000 }, (_, i) => i);
  const sampled = (seed: number) => ids.filter((id) => sampledGenuine(id, seed, 0.1));
  const unsampled = (seed: number) => ids.find((id) => !sampledGenuine(id, seed, 0.1))!;
  const onlyInFinalDraw = sampled(3).find((x) => !sampledGenuine(x, foldSeed(3, 2), 0.1))!;

  it('keeps what a phase uses', () => {
    expect(keep(f0!.testStartDay + 6, 0, unsampled(3))).toBe(true); // a test row, genuine, unsampled
    expect(keep(f3!.trainStartDay, 1, 1)).toBe(true); // a fraud of a training week
    expect(keep(f3!.trainStartDay + 10, 1, 1)).toBe(true); // a fraud of a delay week: its customer becomes known
    const id = sampled(foldSeed(3, 3))[0]!;
    expect(keep(f3!.trainStartDay + 6, 0, id)).toBe(true); // genuine, in fold 3's draw
    // The final fit's first week is fold 2's training week: a genuine row there is kept for the final fit's draw too.
    const { fromDay } = finalFitRange(lastDay);
    expect(fromDay).toBe(f2!.trainStartDay);
    expect(keepForTrain(fromDay, 0, onlyInFinalDraw)).toBe(true);
  });

  it('drops what no phase uses', () => {
    expect(keep(firstDay, 1, 1)).toBe(false); // a fraud before every phase
    expect(keep(f3!.trainStartDay - 1, 0, sampled(foldSeed(3, 3))[0]!)).toBe(false);
    expect(keep(f3!.trainStartDay + 3, 0, unsampled(foldSeed(3, 3)))).toBe(false); // genuine, not in fold 3's draw
    expect(keep(f3!.trainStartDay + 10, 0, sampled(foldSeed(3, 3))[0]!)).toBe(false); // genuine of a delay week
    // The final fit's range only when there is a final fit (fraudctl train), and only its draw.
    const { fromDay } = finalFitRange(lastDay);
    expect(keep(fromDay, 0, onlyInFinalDraw)).toBe(false);
    const inNoDraw = ids.find((x) => !sampledGenuine(x, 3, 0.1) && !sampledGenuine(x, foldSeed(3, 2), 0.1))!;
    expect(keepForTrain(fromDay, 0, inNoDraw)).toBe(false);
  });

  it('gives every phase the rows it would draw from the whole history', () => {
    // 70 days, 300 rows a day, 60 customers; one row in 50 a fraud.
    const n = 70 * 300;
    const day = Int32Array.from({ length: n }, (_, i) => firstDay + Math.floor(i / 300));
    const customer = Int32Array.from({ length: n }, (_, i) => (i * 7) % 60);
    const fraud = Int8Array.from({ length: n }, (_, i) => (i % 50 === 13 ? 1 : 0));
    const txId = Int32Array.from({ length: n }, (_, i) => 1000 + i);
    const final = finalFitRange(lastDay);
    const kept = Array.from({ length: n }, (_, i) => i).filter((i) => keepForTrain(day[i]!, fraud[i]!, txId[i]!));
    expect(kept.length).toBeLessThan(n / 2);
    const sub = {
      day: Int32Array.from(kept, (i) => day[i]!),
      customer: Int32Array.from(kept, (i) => customer[i]!),
      fraud: Int8Array.from(kept, (i) => fraud[i]!),
      txId: Int32Array.from(kept, (i) => txId[i]!),
    };
    const idsOf = (ds: typeof sub, mask: Uint8Array) => Array.from(ds.txId).filter((_, i) => mask[i] === 1);
    const full = { day, customer, fraud, txId };
    for (const f of plan.folds) {
      const draw = (ds: typeof sub) => {
        const m = testMask(f, ds.day, ds.customer, ds.fraud);
        const train = downsampleNegatives(m.train, ds.fraud, ds.txId, 0.1, foldSeed(3, f.fold)).mask;
        return { test: idsOf(ds, m.test), train: idsOf(ds, train) };
      };
      const a = draw(full);
      expect(a.test.length).toBeGreaterThan(0);
      expect(draw(sub)).toEqual(a);
    }
    const finalDraw = (ds: typeof sub) => {
      const inRange = Uint8Array.from(ds.day, (d) => (d >= final.fromDay && d <= final.toDay ? 1 : 0));
      return idsOf(ds, downsampleNegatives(inRange, ds.fraud, ds.txId, 0.1, 3).mask);
    };
    expect(finalDraw(sub)).toEqual(finalDraw(full));
  });
});

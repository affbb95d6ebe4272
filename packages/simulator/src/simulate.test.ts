import { describe, expect, it } from 'vitest';
import { HANDBOOK, resolveConfig } from './config.ts';
import { dailyCount, simulate } from './simulate.ts';

function stats(config = HANDBOOK, seed = 1) {
  let rows = 0;
  let fraud = 0;
  let lastTime = -Infinity;
  let ordered = true;
  let idsInOrder = true;
  const scenarios = [0, 0, 0, 0];
  let amountSum = 0;
  for (const batch of simulate(config, seed)) {
    expect(batch.length).toBeLessThanOrEqual(config.batchSize);
    for (const t of batch) {
      if (t.TX_DATETIME < lastTime) ordered = false;
      if (t.TRANSACTION_ID !== rows) idsInOrder = false;
      lastTime = t.TX_DATETIME;
      rows++;
      fraud += t.TX_FRAUD;
      scenarios[t.TX_FRAUD_SCENARIO] = (scenarios[t.TX_FRAUD_SCENARIO] as number) + 1;
      amountSum += t.TX_AMOUNT;
    }
  }
  return { rows, fraud, scenarios, ordered, idsInOrder, meanAmount: amountSum / rows, lastTime };
}

describe('simulate', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const small = resolveConfig(HANDBOOK, { customers: 200, terminals: 400, days: 10 });
    const a = [...simulate(small, 7)].flat();
    expect([...simulate(small, 7)].flat()).toEqual(a);
    expect([...simulate(small, 8)].flat()).not.toEqual(a);
  });

  it('keeps the Handbook statistics at reduced scale (1,000 customers, 60 days)', () => {
    const s = stats(resolveConfig(HANDBOOK, { customers: 1000, days: 60 }));
    // E[tx/day] = 2 per customer; a tail of the normal time of day (~3 %) falls outside the day and is dropped.
    expect(s.rows / (1000 * 60)).toBeGreaterThan(1.85);
    expect(s.rows / (1000 * 60)).toBeLessThan(2.0);
    expect(s.ordered).toBe(true);
    expect(s.idsInOrder).toBe(true);
    // Amount ~ N(m, m/2), m ~ U(5, 100): mean ≈ 52.5, slightly above after scenario 3's ×5.
    expect(s.meanAmount).toBeGreaterThan(48);
    expect(s.meanAmount).toBeLessThan(60);
    expect(s.lastTime).toBeLessThan(Date.UTC(2018, 3, 1 + 60));
  });

  it('reproduces the published full dataset: ~1.75M transactions, ~0.84 % fraud, scenario shares', () => {
    const s = stats(HANDBOOK, 0);
    expect(s.rows).toBeGreaterThan(1_700_000);
    expect(s.rows).toBeLessThan(1_800_000);
    expect((100 * s.fraud) / s.rows).toBeGreaterThan(0.78);
    expect((100 * s.fraud) / s.rows).toBeLessThan(0.9);
    const [, one, two, three] = s.scenarios as [number, number, number, number];
    // Handbook shares of frauds: scenario 2 the bulk (~60 %), scenario 3 ~30 %, scenario 1 ~7 %.
    expect(two / s.fraud).toBeGreaterThan(0.5);
    expect(two / s.fraud).toBeLessThan(0.7);
    expect(three / s.fraud).toBeGreaterThan(0.22);
    expect(three / s.fraud).toBeLessThan(0.4);
    expect(one / s.fraud).toBeGreaterThan(0.03);
    expect(one / s.fraud).toBeLessThan(0.12);
  }, 60_000); // 1.78M rows: about 1 s alone, far more on a shared, loaded machine

  it('spreads a fractional daily rate of compromises evenly and keeps a whole rate as the Handbook draws it', () => {
    expect(Array.from({ length: 56 }, (_, d) => dailyCount(2, d)).every((n) => n === 2)).toBe(true);
    const every28 = Array.from({ length: 84 }, (_, d) => dailyCount(1 / 28, d));
    expect(every28.reduce((a, b) => a + b, 0)).toBe(3);
    expect(every28.flatMap((n, d) => (n === 1 ? [d] : []))).toEqual([27, 55, 83]);
    // 1/7 a day over 28 days: 4 terminals, each compromised for 10 days from its start.
    const config = resolveConfig(HANDBOOK, {
      customers: 2000,
      terminals: 200,
      days: 28,
      compromisedTerminalsPerDay: 1 / 7,
      compromisedTerminalDays: 10,
      compromisedCustomersPerDay: 0,
      amountThreshold: 1e9,
    });
    const frauds = [...simulate(config, 3)].flat().filter((t) => t.TX_FRAUD === 1);
    expect(new Set(frauds.map((t) => t.TX_FRAUD_SCENARIO))).toEqual(new Set([2]));
    const days = new Map<number, Set<number>>();
    for (const t of frauds) {
      const day = Math.floor((t.TX_DATETIME - Date.UTC(2018, 3, 1)) / 86_400_000);
      days.set(t.TERMINAL_ID, (days.get(t.TERMINAL_ID) ?? new Set()).add(day));
    }
    expect(days.size).toBe(4);
    const starts = [...days.values()].map((d) => Math.min(...d)).sort((a, b) => a - b);
    expect(starts).toEqual([6, 13, 20, 27]);
    for (const d of days.values()) expect(Math.max(...d) - Math.min(...d)).toBeLessThanOrEqual(9);
  });

  it('refuses unknown keys and impossible values by name', () => {
    expect(() => resolveConfig(HANDBOOK, { customer: 3 })).toThrow(/unknown simulator config key "customer"/);
    expect(() => resolveConfig(HANDBOOK, { days: 0 })).toThrow(/"days" must be a positive integer/);
    expect(() => resolveConfig(HANDBOOK, { radius: '5' })).toThrow(/"radius" must be a number/);
    expect(() => resolveConfig(HANDBOOK, { startDate: '1 April' })).toThrow(/startDate/);
    expect(() => resolveConfig(HANDBOOK, { compromisedTerminalsPerDay: -0.5 })).toThrow(
      /"compromisedTerminalsPerDay" must be a number ≥ 0/,
    );
    expect(() => resolveConfig(HANDBOOK, { compromisedTerminalDays: 2.5 })).toThrow(
      /"compromisedTerminalDays" must be an integer ≥ 0/,
    );
  });
});

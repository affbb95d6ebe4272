import { describe, expect, it } from 'vitest';
import { createFeatureEngine } from './engine.ts';
import { memoryState } from './memory-state.ts';
import { FEATURE_SETS } from './names.ts';

const H = 3_600_000;
const T0 = Date.UTC(2018, 3, 2, 12, 10); // a Monday, 12:10 UTC
const tx = (id: string, ts: number, amount: number, customerId = 'c1', terminalId = 't1') => ({
  txId: id,
  ts,
  customerId,
  terminalId,
  amount,
});
/** Fraud labels of these transactions, each known a week after it (the default label delay). */
const fraudLabels = (txs: ReturnType<typeof tx>[]) =>
  txs.map((t) => ({ ...t, txTs: t.ts, ts: t.ts + 7 * 24 * H, fraud: true }));
const pick = (v: Float32Array, row: number, name: string) => {
  const names = FEATURE_SETS.full;
  return v[row * names.length + names.indexOf(name)];
};

describe('windows, worked by hand', () => {
  it('customer counts and means over 1, 7 and 30 days include the transaction and end at its hour', async () => {
    const e = createFeatureEngine(memoryState());
    const v = await e.extract([
      tx('a', T0, 10),
      tx('b', T0 + 2 * H, 30),
      tx('c', T0 + 25 * H, 50), // a's hour is 25 hours back: out of the 1-day window, in the 7-day one
      tx('d', T0 + 32 * 24 * H, 70), // 32 days after a: only itself and nothing else in 30 days
    ]);
    expect(pick(v, 0, 'CUSTOMER_ID_NB_TX_1DAY_WINDOW')).toBe(1);
    expect(pick(v, 1, 'CUSTOMER_ID_NB_TX_1DAY_WINDOW')).toBe(2);
    expect(pick(v, 1, 'CUSTOMER_ID_AVG_AMOUNT_1DAY_WINDOW')).toBe(20);
    expect(pick(v, 2, 'CUSTOMER_ID_NB_TX_1DAY_WINDOW')).toBe(2);
    expect(pick(v, 2, 'CUSTOMER_ID_AVG_AMOUNT_1DAY_WINDOW')).toBe(40);
    expect(pick(v, 2, 'CUSTOMER_ID_NB_TX_7DAY_WINDOW')).toBe(3);
    expect(pick(v, 2, 'CUSTOMER_ID_AVG_AMOUNT_7DAY_WINDOW')).toBe(30);
    expect(pick(v, 3, 'CUSTOMER_ID_NB_TX_30DAY_WINDOW')).toBe(1);
    expect(pick(v, 3, 'CUSTOMER_ID_AVG_AMOUNT_30DAY_WINDOW')).toBe(70);
    expect(pick(v, 1, 'CUSTOMER_HOURS_SINCE_PREVIOUS_TX')).toBe(2);
    expect(pick(v, 0, 'CUSTOMER_HOURS_SINCE_PREVIOUS_TX')).toBe(720);
    expect(pick(v, 1, 'AMOUNT_OVER_CUSTOMER_30DAY_AVG')).toBe(1.5);
    expect(pick(v, 1, 'CUSTOMER_TERMINAL_NB_TX_30DAY_WINDOW')).toBe(2);
  });

  it('flags weekends and nights (hour ≤ 6, UTC)', async () => {
    const e = createFeatureEngine(memoryState());
    const saturday3am = Date.UTC(2018, 3, 7, 3, 0);
    const v = await e.extract([tx('a', T0, 1), tx('b', saturday3am, 1, 'c2')]);
    expect([pick(v, 0, 'TX_DURING_WEEKEND'), pick(v, 0, 'TX_DURING_NIGHT')]).toEqual([0, 0]);
    expect([pick(v, 1, 'TX_DURING_WEEKEND'), pick(v, 1, 'TX_DURING_NIGHT')]).toEqual([1, 1]);
  });

  it('terminal risk uses only transactions older than the delay, and only labels known before the hour', async () => {
    const e = createFeatureEngine(memoryState());
    await e.extract([tx('f', T0, 100, 'c1'), tx('g', T0 + H, 5, 'c2')]);
    // The label of f arrives 7 days later, as the Handbook's delay says.
    await e.applyLabels([{ ...tx('f', T0, 100), txTs: T0, ts: T0 + 7 * 24 * H, fraud: true }]);
    // 7 days + 1 hour after f: the terminal window now ends at f's hour; f's label is known (an hour ago).
    const atOneWeek = await e.extract([tx('x', T0 + (7 * 24 + 1) * H, 1, 'c3')]);
    expect(pick(atOneWeek, 0, 'TERMINAL_ID_NB_TX_1DAY_WINDOW')).toBe(1);
    expect(pick(atOneWeek, 0, 'TERMINAL_ID_RISK_1DAY_WINDOW')).toBe(1);
    // 7 days + 2 hours: g is in the window too, genuine.
    const later = await e.extract([tx('y', T0 + (7 * 24 + 2) * H, 1, 'c4')]);
    expect(pick(later, 0, 'TERMINAL_ID_NB_TX_1DAY_WINDOW')).toBe(2);
    expect(pick(later, 0, 'TERMINAL_ID_RISK_1DAY_WINDOW')).toBe(0.5);
    // 9 days after: out of the 1-day window, still in the 7-day one.
    const nine = await e.extract([tx('z', T0 + 9 * 24 * H, 1, 'c5')]);
    expect(pick(nine, 0, 'TERMINAL_ID_NB_TX_1DAY_WINDOW')).toBe(0);
    expect(pick(nine, 0, 'TERMINAL_ID_RISK_1DAY_WINDOW')).toBe(0);
    expect(pick(nine, 0, 'TERMINAL_ID_NB_TX_7DAY_WINDOW')).toBe(2);
    expect(pick(nine, 0, 'TERMINAL_ID_RISK_7DAY_WINDOW')).toBe(0.5);
    expect(pick(nine, 0, 'TERMINAL_ID_NB_TX_30DAY_WINDOW')).toBe(2);
    expect(pick(nine, 0, 'TERMINAL_ID_KNOWN_FRAUDS')).toBe(1);
    expect(pick(nine, 0, 'TERMINAL_ID_DAYS_SINCE_LAST_KNOWN_FRAUD')).toBe(9);
    // 889 hours after f (the 30-day window ends 169 hours back): f has left it; g (an hour younger), x, y, z have not.
    const late = await e.extract([tx('w', T0 + 889 * H, 1, 'c6')]);
    expect(pick(late, 0, 'TERMINAL_ID_NB_TX_30DAY_WINDOW')).toBe(4);
    expect(pick(late, 0, 'TERMINAL_ID_RISK_30DAY_WINDOW')).toBe(0);
    expect(pick(late, 0, 'TERMINAL_ID_KNOWN_FRAUDS')).toBe(0);
    expect(pick(late, 0, 'TERMINAL_ID_DAYS_SINCE_FIRST_KNOWN_FRAUD')).toBe(99);
  });

  it('ignores a label that became known after the transaction reading the window', async () => {
    const e = createFeatureEngine(memoryState());
    await e.extract([tx('f', T0, 100)]);
    // A late chargeback: known 10 days after f, though applied to the state early (the labels topic ran ahead).
    await e.applyLabels([{ ...tx('f', T0, 100), txTs: T0, ts: T0 + 10 * 24 * H, fraud: true }]);
    const v = await e.extract([tx('x', T0 + 8 * 24 * H, 1, 'c9'), tx('y', T0 + 10 * 24 * H + H, 1, 'c8')]);
    expect(pick(v, 0, 'TERMINAL_ID_RISK_7DAY_WINDOW')).toBe(0);
    expect(pick(v, 1, 'TERMINAL_ID_RISK_7DAY_WINDOW')).toBe(1);
  });

  it("measures the terminal's fraud share since its earliest known fraud, up to the windows' end", async () => {
    const e = createFeatureEngine(memoryState());
    const D = 24 * H;
    await e.extract([
      tx('p', T0 - 20 * D, 10, 'c2'), // before the fraud: not counted
      tx('f', T0, 100, 'c3'),
      tx('g', T0 + D, 10, 'c4'),
      tx('k', T0 + 2 * D, 10, 'c5'),
    ]);
    await e.applyLabels([{ ...tx('f', T0, 100, 'c3'), txTs: T0, ts: T0 + 7 * D, fraud: true }]);
    // The windows end 7 days and an hour back. Day 6: f's label is not known yet. Day 9: they end an hour before k,
    // so f and g are in; day 10: f, g and k.
    const v = await e.extract([
      tx('x', T0 + 6 * D, 1, 'c6'),
      tx('z', T0 + 9 * D, 1, 'c7'),
      tx('y', T0 + 10 * D, 1, 'c8'),
    ]);
    const since = [0, 1, 2].map((r) => pick(v, r, 'TERMINAL_ID_NB_TX_SINCE_FIRST_KNOWN_FRAUD'));
    expect(since).toEqual([0, 2, 3]);
    const risk = [0, 1, 2].map((r) => pick(v, r, 'TERMINAL_ID_RISK_SINCE_FIRST_KNOWN_FRAUD'));
    expect(risk[0]).toBe(0);
    expect(risk[1]).toBeCloseTo(1 / 2, 6);
    expect(risk[2]).toBeCloseTo(1 / 3, 6);
  });

  it("compares the amount with the card's mean before its 7-day window, restarting after 30 silent days", async () => {
    const e = createFeatureEngine(memoryState());
    const D = 24 * H;
    const v = await e.extract([
      tx('a', T0, 10),
      tx('b', T0 + D, 30),
      tx('c', T0 + 10 * D, 100), // a and b are older than 7 days: their mean is 20
      tx('d', T0 + 12 * D, 40), // still a and b
      tx('e', T0 + 45 * D, 50), // 33 days after d: a new history, nothing older
      tx('f', T0 + 53 * D, 25), // e is older than 7 days now
    ]);
    const older = [0, 1, 2, 3, 4, 5].map((r) => pick(v, r, 'AMOUNT_OVER_CUSTOMER_OLDER_AVG'));
    expect(older).toEqual([1, 1, 5, 2, 1, 0.5]);
  });

  it("counts the card's anomalous amounts of the last 7 days, and with this one's (against the older mean)", async () => {
    const e = createFeatureEngine(memoryState());
    const D = 24 * H;
    const v = await e.extract([
      tx('a', T0, 10),
      tx('b', T0 + D, 30), // not over 3× a's 10
      tx('c', T0 + 10 * D, 100), // over 3× the older mean (20) and over 3× the prior mean of days 2..30 (20)
      tx('d', T0 + 11 * D, 70), // over 3× the older mean, not over 3× the prior mean (a, b, c: 46.7)
      tx('e', T0 + 12 * D, 40), // neither
    ]);
    const rows = [0, 1, 2, 3, 4];
    expect(rows.map((r) => pick(v, r, 'CUSTOMER_ID_NB_ANOMALOUS_TX_7DAY_WINDOW'))).toEqual([0, 0, 0, 1, 1]);
    expect(rows.map((r) => pick(v, r, 'CUSTOMER_ID_NB_ANOMALOUS_TX_7DAY_WINDOW_WITH_THIS'))).toEqual([0, 0, 1, 2, 1]);
  });

  it("follows the terminal's current run of known frauds and the genuine transaction before it", async () => {
    const e = createFeatureEngine(memoryState());
    const D = 24 * H;
    const history = [
      tx('g0', T0, 10, 'a'),
      tx('f1', T0 + 2 * D, 10, 'b'),
      tx('f2', T0 + 3 * D, 10, 'c'),
      tx('g3', T0 + 4 * D, 10, 'd'),
    ];
    await e.extract(history);
    await e.applyLabels(fraudLabels(history.filter((t) => t.txId.startsWith('f'))));
    // The windows end 7 days and an hour back: at day 10 they hold g0 and f1, at 11 f2 too, at 12 g3 ends the run.
    const v = await e.extract([
      tx('q1', T0 + 10 * D, 1, 'x'),
      tx('q2', T0 + 11 * D, 1, 'y'),
      tx('q3', T0 + 12 * D, 1, 'z'),
    ]);
    const rows = [0, 1, 2];
    expect(rows.map((r) => pick(v, r, 'TERMINAL_ID_DAYS_SINCE_KNOWN_FRAUD_RUN_START'))).toEqual([8, 9, 99]);
    expect(rows.map((r) => pick(v, r, 'TERMINAL_ID_DAYS_SINCE_GENUINE_BEFORE_RUN'))).toEqual([10, 11, 99]);
    expect(rows.map((r) => pick(v, r, 'TERMINAL_ID_KNOWN_FRAUDS'))).toEqual([1, 2, 2]);
    expect(rows.map((r) => pick(v, r, 'TERMINAL_ID_NB_TX_KNOWN_FRAUD_RUN'))).toEqual([1, 2, 0]);
  });

  it("counts the run's transactions that were anomalous for their card (a compromised card's, not a breach's)", async () => {
    const e = createFeatureEngine(memoryState());
    const D = 24 * H;
    const history = [
      tx('k0', T0, 10, 'k', 'o'),
      tx('g', T0 + D, 10, 'm', 't2'),
      tx('k1', T0 + D, 10, 'k', 'o'),
      tx('k2', T0 + 2 * D, 10, 'k', 'o'),
      tx('kf', T0 + 3 * D, 100, 'k', 't2'), // over 3× the card's prior mean (10): anomalous, and a fraud
      tx('b', T0 + 3 * D + H, 12, 'n', 't2'), // a fraud of a card's usual amount, an hour later
    ];
    await e.extract(history);
    await e.applyLabels(fraudLabels([history[4]!, history[5]!]));
    const v = await e.extract([tx('q', T0 + 12 * D, 1, 'z', 't2')]);
    expect(pick(v, 0, 'TERMINAL_ID_NB_TX_KNOWN_FRAUD_RUN')).toBe(2);
    expect(pick(v, 0, 'TERMINAL_ID_NB_ANOMALOUS_TX_KNOWN_FRAUD_RUN')).toBe(1);
    expect(pick(v, 0, 'TERMINAL_ID_DAYS_SINCE_GENUINE_BEFORE_RUN')).toBe(11);
  });

  it("gives the highest amount ratio of the run's transactions to their cards' older means", async () => {
    const e = createFeatureEngine(memoryState());
    const D = 24 * H;
    const history = [
      tx('k0', T0, 10, 'k', 'o'),
      tx('k1', T0 + D, 30, 'k', 'o'),
      tx('n0', T0 + D, 20, 'n', 'o'),
      tx('g', T0 + 8 * D, 10, 'm', 't2'),
      tx('g3', T0 + 8 * D, 10, 'm', 't3'),
      // 2.5× the card's older mean (20, from over 7 days back), under 3× its prior mean (the anomaly threshold)
      tx('kf', T0 + 9 * D, 50, 'k', 't2'),
      tx('b', T0 + 9 * D + H, 30, 'n', 't2'), // 1.5× its card's older mean: not high
      tx('b3', T0 + 9 * D + H, 30, 'n', 't3'),
    ];
    await e.extract(history);
    await e.applyLabels(fraudLabels(history.filter((t) => ['kf', 'b', 'b3'].includes(t.txId))));
    const v = await e.extract([tx('q2', T0 + 18 * D, 1, 'z', 't2'), tx('q3', T0 + 18 * D, 1, 'z', 't3')]);
    expect(pick(v, 0, 'TERMINAL_ID_NB_TX_KNOWN_FRAUD_RUN')).toBe(2);
    expect(pick(v, 0, 'TERMINAL_ID_NB_ANOMALOUS_TX_KNOWN_FRAUD_RUN')).toBe(0);
    expect(pick(v, 0, 'TERMINAL_ID_MAX_AMOUNT_RATIO_KNOWN_FRAUD_RUN')).toBe(2.5);
    expect(pick(v, 1, 'TERMINAL_ID_MAX_AMOUNT_RATIO_KNOWN_FRAUD_RUN')).toBe(2); // a run, none high: the floor
    const none = await e.extract([tx('q4', T0 + 18 * D, 1, 'z', 'o')]);
    expect(pick(none, 0, 'TERMINAL_ID_MAX_AMOUNT_RATIO_KNOWN_FRAUD_RUN')).toBe(0);
  });

  it('counts the transactions of the card in its current hour (the 1-hour window)', async () => {
    const e = createFeatureEngine(memoryState());
    const hourStart = T0 - 10 * 60_000; // 12:00
    const v = await e.extract([
      tx('a', hourStart + 5 * 60_000, 10),
      tx('b', hourStart + 50 * 60_000, 10),
      tx('c', hourStart + 61 * 60_000, 10), // 13:01: a new hour
    ]);
    expect([0, 1, 2].map((r) => pick(v, r, 'CUSTOMER_ID_NB_TX_1HOUR_WINDOW'))).toEqual([1, 2, 1]);
    expect(pick(v, 2, 'CUSTOMER_HOURS_SINCE_PREVIOUS_TX')).toBeCloseTo(11 / 60, 5);
  });

  it('shifts the terminal windows by the label delay the engine is given', async () => {
    const e = createFeatureEngine(memoryState(), { labelDelayMs: 24 * H });
    await e.extract([tx('f', T0, 100, 'c1')]);
    await e.applyLabels([{ ...tx('f', T0, 100), txTs: T0, ts: T0 + 24 * H, fraud: true }]);
    // With a 1-day delay the window ends 25 hours back: f is in it 25 hours later, not 24.
    const v = await e.extract([tx('x', T0 + 24 * H, 1, 'c2'), tx('y', T0 + 25 * H, 1, 'c3')]);
    expect(pick(v, 0, 'TERMINAL_ID_NB_TX_1DAY_WINDOW')).toBe(0);
    expect(pick(v, 1, 'TERMINAL_ID_NB_TX_1DAY_WINDOW')).toBe(1);
    expect(pick(v, 1, 'TERMINAL_ID_RISK_1DAY_WINDOW')).toBe(1);
  });

  it('is idempotent per txId: a transaction or a label seen twice counts once', async () => {
    const e = createFeatureEngine(memoryState());
    const first = await e.extract([tx('a', T0, 10), tx('b', T0 + H, 30)]);
    const again = await e.extract([tx('a', T0, 10), tx('b', T0 + H, 30)]);
    expect(Array.from(again)).toEqual(Array.from(first));
    const label = { ...tx('a', T0, 10), txTs: T0, ts: T0 + 7 * 24 * H, fraud: true };
    await e.applyLabels([label, label]);
    await e.applyLabels([label]);
    const v = await e.extract([tx('c', T0 + (7 * 24 + 2) * H, 5, 'c2')]);
    expect(pick(v, 0, 'TERMINAL_ID_NB_TX_1DAY_WINDOW')).toBe(2);
    expect(pick(v, 0, 'TERMINAL_ID_RISK_1DAY_WINDOW')).toBe(0.5);
    expect(pick(v, 0, 'CUSTOMER_ID_NB_TX_1DAY_WINDOW')).toBe(1);
  });
});

// The one engine, two states: a simulated history streamed through Redis (as the scorer runs it) and through memory,
// and replayed offline (as training runs it), gives identical vectors; replaying a batch or a label changes nothing.
import { randomUUID } from 'node:crypto';
import { HANDBOOK, resolveConfig, simulate } from '@fraud-operator/simulator';
import { loadStackEnv } from '@fraud-operator/stack/env';
import { deleteKeys } from '@fraud-operator/stack/redis-keys';
import type { Transaction } from '@fraud-operator/transactions';
import { columnsFromRows } from '@fraud-operator/transactions/arrow-io';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { NO_FRAUD_DAYS } from '../src/compose.ts';
import { createFeatureEngine, type FeatureEngineOptions } from '../src/engine.ts';
import { memoryState } from '../src/memory-state.ts';
import { FEATURE_SETS } from '../src/names.ts';
import { CARD_DEAD_MAX, CARD_RENEW_SECONDS, redisState } from '../src/redis-state.ts';
import { replayFeatures } from '../src/replay.ts';
import { terminalTag } from '../src/terminal-tag.ts';
import { labelOf, smallHistory, toMessage } from '../src/test-stream.ts';
import { DEFAULT_LABEL_DELAY_MS, RAW_WIDTH, windowSpec } from '../src/windows.ts';
import { redisStateK } from './redis-state-k.ts';
import { redisStateV2 } from './redis-state-v2.ts';

const env = loadStackEnv();
const redis = new Redis(env.REDIS_URL);
const run = `features-${randomUUID().slice(0, 8)}`;
const column = (name: string) => FEATURE_SETS.full.indexOf(name);

afterAll(async () => {
  await deleteKeys(redis, `${run}*`);
  redis.disconnect();
});

/**
 * Streams `rows` (in this arrival order) through a Redis state and a memory state, in batches, each batch's fraud
 * labels applied after it (known `delay` after their transaction). Every batch and every label goes in twice, as two
 * model versions scoring the same traffic would send them: the vectors must not change.
 */
async function streamBoth(
  rows: Transaction[],
  opts: FeatureEngineOptions & { batch?: number; extraLagMs?: (t: Transaction) => number } = {},
) {
  const delay = opts.labelDelayMs ?? DEFAULT_LABEL_DELAY_MS;
  const inRedis = createFeatureEngine(redisState(redis, `${run}-${randomUUID().slice(0, 4)}:`), opts);
  const inMemory = createFeatureEngine(memoryState(), opts);
  const fromRedis: number[] = [];
  const fromMemory: number[] = [];
  let frauds = 0;
  const size = opts.batch ?? 400;
  for (let i = 0; i < rows.length; i += size) {
    const slice = rows.slice(i, i + size);
    const batch = slice.map(toMessage);
    const r = await inRedis.extract(batch);
    expect(Array.from(await inRedis.extract(batch))).toEqual(Array.from(r));
    fromRedis.push(...r);
    const m = await inMemory.extract(batch);
    expect(Array.from(await inMemory.extract(batch))).toEqual(Array.from(m));
    fromMemory.push(...m);
    const labels = slice.filter((t) => t.TX_FRAUD === 1).map((t) => labelOf(t, delay + (opts.extraLagMs?.(t) ?? 0)));
    frauds += labels.length;
    for (const engine of [inRedis, inRedis, inMemory, inMemory]) await engine.applyLabels(labels);
  }
  return { fromRedis, fromMemory, frauds };
}

/** A trailing card string (buckets, then its 16 doubles) written header first, its dead buckets dropped. */
function headerFirst(value: Buffer): Buffer {
  const nb = (value.length - 128) / 20;
  const dead = value.readDoubleLE(nb * 20 + 14 * 8);
  const header = Buffer.alloc(112);
  for (let i = 0; i < 14; i++) {
    const v = value.readDoubleLE(nb * 20 + i * 8);
    header.writeDoubleLE(i === 1 || i === 2 ? v - dead : v, i * 8);
  }
  return Buffer.concat([header, value.subarray(dead * 20, nb * 20)]);
}

describe('feature parity', () => {
  it('Redis state, memory state and offline replay give identical vectors', async () => {
    const history = smallHistory(11, 45);
    const { fromRedis, fromMemory, frauds } = await streamBoth(history);
    expect(frauds).toBeGreaterThan(20);
    expect(fromRedis).toEqual(fromMemory);
    expect(fromRedis).toEqual(Array.from(replayFeatures(columnsFromRows(history)).matrix));
    // The windows carry information: terminal risk is non-zero somewhere.
    const risk7 = column('TERMINAL_ID_RISK_7DAY_WINDOW');
    expect(fromRedis.filter((_, k) => k % FEATURE_SETS.full.length === risk7).some((v) => v > 0)).toBe(true);
    const since = column('TERMINAL_ID_NB_TX_SINCE_FIRST_KNOWN_FRAUD');
    expect(fromRedis.filter((_, k) => k % FEATURE_SETS.full.length === since).some((v) => v > 1)).toBe(true);
    // Runs of known frauds, some with the genuine transaction before them retained, some ended by a genuine one.
    const of = (name: string) => fromRedis.filter((_, k) => k % FEATURE_SETS.full.length === column(name));
    const runs = of('TERMINAL_ID_DAYS_SINCE_KNOWN_FRAUD_RUN_START');
    expect(runs.filter((v) => v < NO_FRAUD_DAYS).length).toBeGreaterThan(20);
    expect(of('TERMINAL_ID_DAYS_SINCE_GENUINE_BEFORE_RUN').filter((v) => v < NO_FRAUD_DAYS).length).toBeGreaterThan(20);
    const known = of('TERMINAL_ID_KNOWN_FRAUDS');
    expect(runs.some((v, i) => v === NO_FRAUD_DAYS && known[i]! > 0)).toBe(true);
    expect(of('TERMINAL_ID_NB_TX_KNOWN_FRAUD_RUN').some((v) => v > 1)).toBe(true);
    expect(of('TERMINAL_ID_NB_ANOMALOUS_TX_KNOWN_FRAUD_RUN').some((v) => v > 0)).toBe(true);
    const highs = of('TERMINAL_ID_MAX_AMOUNT_RATIO_KNOWN_FRAUD_RUN');
    expect(highs.some((v) => v > 2 && !Number.isInteger(v))).toBe(true);
    expect(highs.some((v) => v === 2)).toBe(true);
  });

  it('agrees on busy terminals, where the Redis windows move hour by hour, and with another label delay', async () => {
    // 8 terminals for 150 cards: each terminal sees a transaction every hour or two (the incremental path).
    const busy = [
      ...simulate(resolveConfig(HANDBOOK, { customers: 150, terminals: 8, radius: 100, days: 40 }), 4),
    ].flat();
    expect(busy.length).toBeGreaterThan(5000);
    for (const labelDelayMs of [DEFAULT_LABEL_DELAY_MS, 2 * 86_400_000]) {
      const { fromRedis, fromMemory } = await streamBoth(busy, { labelDelayMs, batch: 150 });
      expect(fromRedis).toEqual(fromMemory);
      expect(fromRedis).toEqual(Array.from(replayFeatures(columnsFromRows(busy), { labelDelayMs }).matrix));
    }
  });

  it('agrees on transactions arriving out of event-time order and on late chargebacks', async () => {
    const history = smallHistory(12, 40);
    // Arrival order: event time plus up to 3 hours of jitter, so a card's or a terminal's hour sometimes goes back.
    const jitter = (i: number) => ((i * 2_654_435_761) % 1000) * 10_800;
    const arrival = history
      .map((t, i) => ({ t, at: t.TX_DATETIME + jitter(i) }))
      .sort((a, b) => a.at - b.at)
      .map((x) => x.t);
    const late = arrival.filter((t, i) => i > 0 && t.TX_DATETIME < arrival[i - 1]!.TX_DATETIME).length;
    expect(late).toBeGreaterThan(100);
    // …and a third of the chargebacks come 1 to 5 days later than the delay: counted only from their time on.
    const extraLagMs = (t: Transaction) => (t.TRANSACTION_ID % 3 === 0 ? (1 + (t.TRANSACTION_ID % 5)) * 86_400_000 : 0);
    const { fromRedis, fromMemory, frauds } = await streamBoth(arrival, { extraLagMs });
    expect(frauds).toBeGreaterThan(20);
    expect(fromRedis).toEqual(fromMemory);
  });

  it("agrees on a transaction a week late at a terminal with a known fraud (it lands inside the windows' range)", async () => {
    const D = 86_400_000;
    const t0 = Date.UTC(2026, 0, 1, 12);
    const at = (id: string, ts: number, customerId: string) => ({
      txId: id,
      ts,
      customerId,
      terminalId: 't',
      amount: 10,
    });
    const spec = windowSpec();
    const inRedis = redisState(redis, `${run}-late:`);
    const inMemory = memoryState();
    const steps: ((s: typeof inMemory | typeof inRedis) => Promise<unknown>)[] = [
      (s) => s.record([at('f', t0, 'a'), at('g', t0 + D, 'b')], spec),
      (s) => s.applyLabels([{ ...at('f', t0, 'a'), txTs: t0, ts: t0 + 7 * D, fraud: true }], spec),
      (s) => s.record([at('n', t0 + 12 * D, 'c')], spec),
      // 9 days late: its hour is after f's and before the windows' end at the terminal's latest hour.
      (s) => s.record([at('late', t0 + 3 * D, 'd'), at('next', t0 + 12 * D + 3_600_000, 'e')], spec),
    ];
    const raws: number[][][] = [[], []];
    for (const step of steps)
      for (const [k, s] of [inRedis, inMemory].entries()) {
        const r = await step(s);
        if (r instanceof Float64Array) raws[k]!.push(Array.from(r));
      }
    expect(raws[0]).toEqual(raws[1]);
    // f and g, then f, g and the late one (the late one reads without itself)
    expect(raws[1]!.slice(1).map((r) => r.filter((_, k) => k % RAW_WIDTH === 19))).toEqual([[2], [2, 3]]);
  });

  it('reads on from state written in the earlier layout, one card or terminal at a time, as memory does', async () => {
    // The first 25 days through the earlier script (hashes and lists), the rest through the current one on the same
    // keys; the labels of the last earlier batch arrive after the switch (into a terminal not yet migrated).
    const history = smallHistory(13, 45);
    const switchAt = history.findIndex((t) => t.TX_DATETIME >= history[0]!.TX_DATETIME + 25 * 86_400_000);
    const prefix = `${run}-upgrade:`;
    const before = createFeatureEngine(redisStateV2(redis, prefix));
    const after = createFeatureEngine(redisState(redis, prefix));
    const inMemory = createFeatureEngine(memoryState());
    const fromRedis: number[] = [];
    const fromMemory: number[] = [];
    const size = 300;
    let migrated = 0;
    for (let i = 0; i < history.length; i += size) {
      const slice = history.slice(i, i + size);
      const engine = i + size <= switchAt ? before : after;
      fromRedis.push(...(await engine.extract(slice.map(toMessage))));
      fromMemory.push(...(await inMemory.extract(slice.map(toMessage))));
      const labels = slice.filter((t) => t.TX_FRAUD === 1).map((t) => labelOf(t, DEFAULT_LABEL_DELAY_MS));
      await (i + 2 * size <= switchAt ? before : after).applyLabels(labels);
      await inMemory.applyLabels(labels);
      if (engine === before) migrated = (await redis.keys(`${prefix}c:*`)).length;
    }
    expect(migrated).toBeGreaterThan(20);
    // A batch the earlier script recorded, asked again of the current one (the other model version): the same vectors.
    const width = FEATURE_SETS.full.length;
    const last = Math.floor((switchAt - 1) / size) * size;
    const again = await after.extract(history.slice(last - size, last).map(toMessage));
    expect(Array.from(again)).toEqual(fromRedis.slice((last - size) * width, last * width));
    expect(fromRedis).toEqual(fromMemory);
    // Every card and terminal seen since the switch was moved to the new layout and its old keys removed.
    const left = await redis.keys(`${prefix}[cqtf]:*`);
    expect(left.length).toBeLessThan(migrated / 4);
    expect((await redis.keys(`${prefix}E:*`)).length).toBeGreaterThan(migrated - left.length);
  });

  it('agrees with batches larger than one script call (sent as calls of 1,000, back to back)', async () => {
    const history = smallHistory(5, 30);
    const { fromRedis, fromMemory } = await streamBoth(history, { batch: 1_234 });
    expect(history.length).toBeGreaterThan(3 * 1_234);
    expect(fromRedis).toEqual(fromMemory);
  });

  it('reads on from cards under K: with their pairs in P: keys, or written header first, as memory does', async () => {
    // The first 12 days through the script of 2026-12-05 (K: cards, P: pair keys), half of its cards then rewritten
    // header first (C:, the layout before it); the rest through the current script: the pairs' counts come from the
    // P: keys until the switch leaves the 30-day window, 33 days later.
    const history = smallHistory(17, 45);
    const switchAt = history.findIndex((t) => t.TX_DATETIME >= history[0]!.TX_DATETIME + 12 * 86_400_000);
    const prefix = `${run}-trailer:`;
    const before = createFeatureEngine(redisStateK(redis, prefix));
    const after = createFeatureEngine(redisState(redis, prefix));
    const inMemory = createFeatureEngine(memoryState());
    const fromRedis: number[] = [];
    const fromMemory: number[] = [];
    const size = 300;
    const cards = async (layout: 'C' | 'K' | 'E') => {
      const keys = await redis.keys(`${prefix}${layout}:*`);
      return Promise.all(keys.map(async (key) => ({ key, value: (await redis.getBuffer(key)) as Buffer })));
    };
    let moved = 0;
    for (let i = 0; i < history.length; i += size) {
      const engine = i + size <= switchAt ? before : after;
      if (engine === after && moved === 0) {
        const written = await cards('K');
        for (const { key, value } of written.filter((_, j) => j % 2 === 0)) {
          await redis.set(key.replace(`${prefix}K:`, `${prefix}C:`), headerFirst(value), 'EX', 86_400);
          await redis.del(key);
        }
        moved = written.length;
        expect(moved).toBeGreaterThan(40);
        expect((await redis.keys(`${prefix}P:*`)).length).toBeGreaterThan(50);
      }
      const slice = history.slice(i, i + size);
      fromRedis.push(...(await engine.extract(slice.map(toMessage))));
      fromMemory.push(...(await inMemory.extract(slice.map(toMessage))));
      const labels = slice.filter((t) => t.TX_FRAUD === 1).map((t) => labelOf(t, DEFAULT_LABEL_DELAY_MS));
      await engine.applyLabels(labels);
      await inMemory.applyLabels(labels);
    }
    expect(fromRedis).toEqual(fromMemory);
    // every card seen since is under E:, its K: or C: key gone
    const left = (await cards('C')).length + (await cards('K')).length;
    expect(left).toBeLessThan(moved / 10);
    expect((await cards('E')).length).toBeGreaterThanOrEqual(moved - left);
  });

  it('counts a pair by its terminal within one hour and across the 30-day window, as memory does', async () => {
    const H = 3_600_000;
    const t0 = Date.UTC(2026, 0, 1);
    // minutes within an hour at alternating and repeated terminals, then hours and days later, one card
    const at = [0, 1, 2, 3, 4, 5, 70, 71, 72, 24 * 60, 29 * 24 * 60, 30 * 24 * 60 + 3, 31 * 24 * 60 + 1];
    const terminals = ['a', 'b', 'a', 'a', 'c', 'b', 'a', 'a', 'b', 'a', 'c', 'a', 'b'];
    const txs = at.map((m, i) => ({
      txId: `pair-${i}`,
      ts: t0 + m * 60_000 + (i === 6 ? H : 0),
      customerId: 'p',
      terminalId: terminals[i]!,
      amount: 10 + i,
    }));
    const spec = windowSpec(DEFAULT_LABEL_DELAY_MS);
    const state = redisState(redis, `${run}-pairs:`);
    const memory = memoryState();
    const pairs: number[] = [];
    for (const tx of txs) {
      const r = Array.from(await state.record([tx], spec));
      expect(r).toEqual(Array.from(await memory.record([tx], spec)));
      pairs.push(r[13]!);
    }
    expect(pairs).toEqual([1, 1, 2, 3, 1, 2, 4, 5, 3, 6, 2, 4, 1]);
    // an entry per hour and terminal: (0, a b c), (2, a b), (24, a), (696, c), (720, a), (744, b), then the trailer
    expect(await redis.strlen(`${run}-pairs:E:p`)).toBe(9 * 30 + 136);
  });

  it("counts a terminal's tag only where an entry keeps it, not across an entry's numbers or in the trailer", async () => {
    const prefix = `${run}-tags:`;
    const spec = windowSpec(DEFAULT_LABEL_DELAY_MS);
    const ts = Date.UTC(2026, 0, 1, 12);
    const hour = Math.floor(ts / 3_600_000);
    const tag = Buffer.from(terminalTag('a'));
    // one entry of terminal 'b' an hour earlier, 5 transactions; 'a''s tag written over its cents and anomalous count
    // (in the card), or over the trailer's bytes 20-29 (past the card's entries, at an entry's tag offset)
    const card = (tagIn: 'entry' | 'trailer') => {
      const entry = Buffer.alloc(30);
      entry.writeInt32LE(hour - 1, 0);
      entry.writeInt32LE(5, 4);
      entry.writeDoubleLE(5000, 8);
      Buffer.from(terminalTag('b')).copy(entry, 20);
      const trailer = Buffer.alloc(136);
      const totals = [
        hour - 1,
        0,
        0,
        5,
        5,
        5,
        5000,
        5000,
        5000,
        0,
        5,
        ts - 3_600_000,
        5,
        5000,
        0,
        4e9,
        -4503599627370496,
      ];
      for (const [i, v] of totals.entries()) trailer.writeDoubleLE(v, i * 8);
      if (tagIn === 'entry') tag.copy(entry, 8);
      else tag.copy(trailer, 20);
      return Buffer.concat([entry, trailer]);
    };
    for (const tagIn of ['entry', 'trailer'] as const) {
      await redis.set(`${prefix}E:${tagIn}`, card(tagIn), 'EX', 600);
      const tx = { txId: `tag-${tagIn}`, ts, customerId: tagIn, terminalId: 'a', amount: 10 };
      const raw = await redisState(redis, prefix).record([tx], spec);
      expect(raw[13]).toBe(1);
    }
  });

  it("writes a card in place, keeping its TTL, and whole when its renewal is due or its window's dead buckets pile up", async () => {
    const prefix = `${run}-card:`;
    const state = redisState(redis, prefix);
    const memory = memoryState();
    const spec = windowSpec(DEFAULT_LABEL_DELAY_MS);
    const key = `${prefix}E:c`;
    const t0 = Date.UTC(2026, 0, 1);
    // a card paying every 9 hours for 80 days: buckets leave its 30-day window from day 30 on
    const txs = Array.from({ length: 213 }, (_, i) => ({
      txId: `c-${i}`,
      ts: t0 + i * 9 * 3_600_000,
      customerId: 'c',
      terminalId: `t${i % 4}`,
      amount: 5 + (i % 13),
    }));
    const fullTtl = (spec.retainedHours + 24) * 3600 + CARD_RENEW_SECONDS;
    const trailer = (b: Buffer) => {
      const nb = (b.length - 136) / 30;
      return { nb, dead: b.readDoubleLE(nb * 30 + 14 * 8), renew: b.readDoubleLE(nb * 30 + 15 * 8) };
    };
    let compactions = 0;
    let inPlace = 0;
    let previous = { nb: 0, dead: 0, renew: 0 };
    for (const [i, tx] of txs.entries()) {
      expect(Array.from(await state.record([tx], spec))).toEqual(Array.from(await memory.record([tx], spec)));
      const value = (await redis.getBuffer(key)) as Buffer;
      const now = trailer(value);
      expect((value.length - 136) % 30).toBe(0);
      expect(now.dead).toBeLessThan(CARD_DEAD_MAX);
      if (now.nb < previous.nb) compactions++;
      if (i > 0 && now.renew === previous.renew) inPlace++;
      previous = now;
      if (i === 100) {
        // an in-place write keeps a TTL it finds; a whole one (renewal due) renews it
        expect(await redis.ttl(key)).toBeGreaterThan(fullTtl - 60);
        await redis.expire(key, 1000);
      }
      if (i === 101) {
        expect(await redis.ttl(key)).toBeLessThanOrEqual(1000);
        const renewAt = value.length - 16;
        const zero = Buffer.alloc(8);
        await redis.setrange(key, renewAt, zero);
      }
      if (i === 102) {
        expect(await redis.ttl(key)).toBeGreaterThan(fullTtl - 60);
        expect(now.dead).toBe(0);
      }
    }
    expect(compactions).toBeGreaterThanOrEqual(2);
    expect(inPlace).toBeGreaterThan(txs.length * 0.8);
  });

  it('passes a recorded vector on as it is, packs one an earlier script kept as text and pads a shorter one', async () => {
    const prefix = `${run}-cached:`;
    const state = redisState(redis, prefix);
    const spec = windowSpec(DEFAULT_LABEL_DELAY_MS);
    const tx = (txId: string) => ({
      txId,
      ts: Date.UTC(2026, 0, 1, 12),
      customerId: 'c',
      terminalId: 't',
      amount: 12.5,
    });
    const first = Array.from(await state.record([tx('a')], spec));
    expect(first.slice(0, 6)).toEqual([1, 1, 1, 1250, 1250, 1250]);
    await redis.set(`${prefix}v:b`, '1,2,3,-4,0.5');
    await redis.set(`${prefix}v:c`, Buffer.from([0x92, 0x07, 0xff])); // MessagePack [7, -1]
    const got = Array.from(await state.record([tx('a'), tx('b'), tx('c')], spec));
    const zeros = (n: number) => Array.from({ length: n }, () => 0);
    expect(got.slice(0, RAW_WIDTH)).toEqual(first);
    expect(got.slice(RAW_WIDTH, 2 * RAW_WIDTH)).toEqual([1, 2, 3, -4, 0.5, ...zeros(RAW_WIDTH - 5)]);
    expect(got.slice(2 * RAW_WIDTH)).toEqual([7, -1, ...zeros(RAW_WIDTH - 2)]);
  });

  it('agrees on the long-run card totals across a gap of more than 30 days', async () => {
    const D = 86_400_000;
    const t0 = Date.UTC(2026, 0, 1, 12);
    const days = [0, 1, 10, 12, 45, 53, 54, 90];
    const rows: Transaction[] = days.map((d, i) => ({
      TRANSACTION_ID: i,
      TX_DATETIME: t0 + d * D,
      CUSTOMER_ID: 1,
      TERMINAL_ID: i % 2,
      TX_AMOUNT: 10 + 7 * i,
      TX_FRAUD: 0,
      TX_FRAUD_SCENARIO: 0,
    }));
    const { fromRedis, fromMemory } = await streamBoth(rows, { batch: 3 });
    expect(fromRedis).toEqual(fromMemory);
    expect(fromRedis).toEqual(Array.from(replayFeatures(columnsFromRows(rows)).matrix));
    const older = column('AMOUNT_OVER_CUSTOMER_OLDER_AVG');
    expect(fromRedis.filter((_, k) => k % FEATURE_SETS.full.length === older).filter((v) => v !== 1).length).toBe(4);
  });

  it('keeps cent sums exact beyond 14 digits (the largest amounts the scorer accepts)', async () => {
    // Compared before the float32 vectors, which would hide a cent: the raw sums the states return.
    const t0 = Date.UTC(2026, 0, 1);
    const txs = Array.from({ length: 2500 }, (_, i) => ({
      txId: `big-${i}`,
      ts: t0 + i * 60_000,
      customerId: `c${i % 2}`,
      terminalId: `t${i % 3}`,
      amount: 999_999_999.99 - (i % 7),
    }));
    const spec = windowSpec();
    const inRedis = redisState(redis, `${run}-big:`);
    const inMemory = memoryState();
    const fromRedis: number[] = [];
    const fromMemory: number[] = [];
    for (let i = 0; i < txs.length; i += 500) {
      fromRedis.push(...(await inRedis.record(txs.slice(i, i + 500), spec)));
      fromMemory.push(...(await inMemory.record(txs.slice(i, i + 500), spec)));
    }
    const s30 = fromMemory.filter((_, k) => k % RAW_WIDTH === 5);
    expect(Math.max(...s30)).toBeGreaterThan(1e14);
    expect(fromRedis).toEqual(fromMemory);
    const nul = { txId: 'nul', ts: t0, customerId: 'c', terminalId: 't\u0000u', amount: 1 };
    await expect(inRedis.record([nul], spec)).rejects.toThrow('terminalId of nul contains NUL');
  });
});

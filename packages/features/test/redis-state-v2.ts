// The Redis layout before 2026-12-04 (hashes `c:`, `t:`, `f:`, lists `q:`), frozen: the parity test writes state with it
// and checks that the current script reads it on (redis-state.ts migrates a card or a terminal when it next sees it).
import type { LabelMessage, TransactionMessage } from '@fraud-operator/transactions/wire';
import type { Redis } from 'ioredis';
import { HOUR_ENTRIES } from '../src/redis-state.ts';
import type { FeatureState } from '../src/state.ts';
import { ANOMALY_RATIO, cents, hourOf, LONG_GAP_HOURS, RAW_WIDTH, type WindowSpec } from '../src/windows.ts';

/**
 * The state of memory-state.ts in Redis, one Lua call per batch; the parity test holds the two to identical sums.
 * Windows move forward with running totals, so a transaction costs about the same however long the history:
 * Records are MessagePack arrays (text "n,n,..." from the earlier script is still read).
 * - `c:<card>` (hash): `m` = [hour,i1,i7,N1,N7,N30,S1,S7,S30,X7,HN,last,a1,a7,a30,NL,SL]: the card's latest hour, the
 *   queue positions of the first entries still in its 1- and 7-day windows, counts and cent sums over 1/7/30 days,
 *   anomalous transactions over 7 days, the count in the latest hour, the latest time, the hours of the entries at the
 *   three window edges (so that a window nothing leaves costs no call), and the count and cent sum since its last gap
 *   of more than LONG_GAP_HOURS; `P:<terminal>` = the pair's 30-day count.
 * - `q:<card>` (list): one [hour,cents,anomalous,terminal] entry per transaction, oldest first; an entry leaves a
 *   window when the card's hour passes its edge, and the list after 30 days.
 * - `t:<terminal>` (hash): hour buckets (field: the hour number) and `m` = [hour,T1,T7,T30,SF,SN], the windows (ending
 *   `shift` hours before `hour`) as of the terminal's latest hour, and SN its transactions from hour SF (its earliest
 *   known fraud, -1: none) to the windows' end. A move of up to GAP hours reads only the buckets entering and
 *   leaving; a longer one (a quiet terminal: few buckets) sums them all again.
 * - `f:<terminal>` (hash): fraud labels counted per transaction hour and hour known, as one number (see LABELS;
 *   rare: read whole). Field names are numbers so that the script parses each with one tonumber.
 * - `v:<txId>`: the raw sums the transaction got the first time (the other model version gets them back; wall-clock
 *   TTL, default 6 h); `l:<txId>`: a label counted (SET NX).
 * Per card and per terminal, hours never go back: a late transaction counts at the card's latest hour and reads the
 * terminal's windows as of its latest hour (memory-state.ts does the same). The script names keys it was not passed,
 * so it needs one Redis node (no cluster slots), which is how the stack and the chart run Redis.
 */
const RECORD = `${HOUR_ENTRIES}
local p, shift, retained, ttl, seenTtl = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4], ARGV[5]
local W1, W7, W30, GAP, RATIO, LONG_GAP = 24, 168, 720, 8, ${ANOMALY_RATIO}, ${LONG_GAP_HOURS}
-- Records are MessagePack arrays (cmsgpack, in C: integers exact to 2^63, a third of the cost of formatting and
-- parsing text). Text written by the earlier version of this script ("n,n,...", every digit) is still read.
local pack = cmsgpack.pack
local function load(s)
  if string.byte(s, 1) >= 128 then return cmsgpack.unpack(s) end
  local t = {}
  for v in string.gmatch(s, '[^,]+') do t[#t + 1] = tonumber(v) end
  return t
end
-- a queue entry: {hour, cents, anomalous, terminal} (text: "hour,cents,anomalous,terminal")
local function entry(s)
  if string.byte(s, 1) >= 128 then return cmsgpack.unpack(s) end
  local h, c, x, tid = string.match(s, '^([^,]+),([^,]+),([^,]+),(.*)$')
  return {tonumber(h), tonumber(c), tonumber(x), tid}
end
-- Moves a window's cursor past the entries at or before its edge: the new index, the hour at it (-1: none), and the
-- entries that left. a is the hour at index i, so a window nothing leaves costs no call; usually one or two leave,
-- so the first read is short.
local function exits(qk, i, a, edge, len)
  local gone = {}
  if a < 0 or a > edge then return i, a, gone end
  local n = 4
  while i < len do
    for _, s in ipairs(redis.call('LRANGE', qk, i, i + n - 1)) do
      local e = entry(s)
      if e[1] > edge then return i, e[1], gone end
      gone[#gone + 1] = e
      i = i + 1
    end
    n = 32
  end
  return i, -1, gone
end
local out = {}
for b = 5, #ARGV - 1, 6 do
  local txId, ts, h, cid, tid, c = ARGV[b+1], tonumber(ARGV[b+2]), tonumber(ARGV[b+3]), ARGV[b+4], ARGV[b+5], tonumber(ARGV[b+6])
  local vkey = p .. 'v:' .. txId
  local cached = redis.call('GET', vkey)
  local raw
  if cached then
    raw = load(cached)
  else
    raw = {}
    -- the card: its latest hour, never earlier (a late transaction counts at the card's latest hour)
    local ck, qk = p .. 'c:' .. cid, p .. 'q:' .. cid
    local m = redis.call('HGET', ck, 'm')
    local H, i1, i7, N1, N7, N30, S1, S7, S30, X7, HN, last, a1, a7, a30 = h, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, -1, -1
    local NL, SL = 0, 0
    if m then
      local v = load(m)
      H, i1, i7, N1, N7, N30, S1, S7, S30, X7, HN, last, a1, a7, a30 =
        v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13], v[14], v[15]
      -- a record from before the long-run totals starts them at its 30-day ones
      NL, SL = v[16] or N30, v[17] or S30
    end
    local hc = math.max(h, H)
    if hc - H > LONG_GAP then NL, SL = 0, 0 end
    NL, SL = NL + 1, SL + c
    local len = N30
    local gone
    i1, a1, gone = exits(qk, i1, a1, hc - W1, len)
    for _, e in ipairs(gone) do N1, S1 = N1 - 1, S1 - e[2] end
    i7, a7, gone = exits(qk, i7, a7, hc - W7, len)
    for _, e in ipairs(gone) do N7, S7, X7 = N7 - 1, S7 - e[2], X7 - e[3] end
    local k
    k, a30, gone = exits(qk, 0, a30, hc - W30, len)
    if k > 0 then
      redis.call('LTRIM', qk, k, -1)
      for _, e in ipairs(gone) do
        N30, S30 = N30 - 1, S30 - e[2]
        if redis.call('HINCRBY', ck, 'P:' .. e[4], -1) <= 0 then redis.call('HDEL', ck, 'P:' .. e[4]) end
      end
      len, i1, i7 = len - k, i1 - k, i7 - k
    end
    if hc == H then HN = HN + 1 else HN = 1 end
    N1, N7, N30, S1, S7, S30 = N1 + 1, N7 + 1, N30 + 1, S1 + c, S7 + c, S30 + c
    raw[1], raw[2], raw[3], raw[4], raw[5], raw[6], raw[7] = N1, N7, N30, S1, S7, S30, HN
    raw[15], raw[19], raw[21], raw[22] = last, X7, NL - N7, SL - S7
    local high = highRatio(c, NL - N7, SL - S7)
    local prior, x = N30 - N1, 0
    if prior > 0 and c * prior > RATIO * (S30 - S1) then x = 1 end
    X7 = X7 + x
    redis.call('RPUSH', qk, pack({hc, c, x, tid}))
    if a1 < 0 then a1 = hc end
    if a7 < 0 then a7 = hc end
    if a30 < 0 then a30 = hc end
    raw[14] = redis.call('HINCRBY', ck, 'P:' .. tid, 1)
    redis.call('HSET', ck, 'm', pack({hc, i1, i7, N1, N7, N30, S1, S7, S30, X7, HN, ts, a1, a7, a30, NL, SL}))
    if not m or hc > H then
      redis.call('EXPIRE', qk, ttl)
      redis.call('EXPIRE', ck, ttl)
    end

    -- the terminal: windows ending shift hours before its latest hour
    local tk = p .. 't:' .. tid
    local tm = redis.call('HGET', tk, 'm')
    local HT, T1, T7, T30, SF, SN
    if tm then
      local a = load(tm)
      HT, T1, T7, T30, SF, SN = a[1], a[2], a[3], a[4], a[5], a[6]
    end
    local ht = math.max(h, HT or h)
    local e = ht - shift
    -- the buckets entering the windows (a move of up to GAP hours), or all of them (a longer one)
    local entered, all = 0, nil
    if tm and ht - HT <= GAP then
      if ht > HT then
        local from, fields = HT - shift, {}
        for _, off in ipairs({0, W1, W7, W30}) do
          for x = from + 1, e do fields[#fields + 1] = x - off end
        end
        local v = redis.call('HMGET', tk, unpack(fields))
        local k, span = 0, e - from
        local function sum()
          local n = 0
          for _ = 1, span do
            k = k + 1
            if v[k] then n = n + tonumber(v[k]) end
          end
          return n
        end
        entered = sum()
        local out1, out7, out30 = sum(), sum(), sum()
        T1, T7, T30 = T1 + entered - out1, T7 + entered - out7, T30 + entered - out30
        redis.call('HDEL', tk, unpack(fields, 3 * span + 1, 4 * span))
      end
    else
      T1, T7, T30 = 0, 0, 0
      all = redis.call('HGETALL', tk)
      for j = 1, #all, 2 do
        local fh = tonumber(all[j])
        if fh then
          if fh <= e - W30 then
            redis.call('HDEL', tk, fh)
          elseif fh <= e then
            local n = tonumber(all[j + 1])
            T30 = T30 + n
            if fh > e - W7 then T7 = T7 + n end
            if fh > e - W1 then T1 = T1 + n end
          end
        end
      end
    end
    raw[8], raw[9], raw[10] = T1, T7, T30
    -- a transaction later than the windows' end (a week late) enters them at once
    if h <= e then
      if h > e - W1 then T1 = T1 + 1 end
      if h > e - W7 then T7 = T7 + 1 end
      if h > e - W30 then T30 = T30 + 1 end
    end
    redis.call('HINCRBY', tk, h, 1)
    if not tm or ht > HT then redis.call('EXPIRE', tk, ttl) end

    -- the terminal's frauds: in the windows, and all those known before its latest hour
    local F1, F7, F30, known, first, latest, byHour = 0, 0, 0, 0, -1, -1, {}
    local fk = p .. 'f:' .. tid
    local frauds = redis.call('HGETALL', fk)
    for j = 1, #frauds, 2 do
      local f = tonumber(frauds[j])
      local fh = math.floor(f / 1000000)
      local kh = fh + f % 1000000 - 500000
      if fh <= ht - retained then
        redis.call('HDEL', fk, frauds[j])
      elseif kh < ht then
        local n = tonumber(frauds[j + 1])
        known = known + n
        byHour[fh] = (byHour[fh] or 0) + n
        if first < 0 or fh < first then first = fh end
        if fh > latest then latest = fh end
        if fh <= e then
          if fh > e - W30 then F30 = F30 + n end
          if fh > e - W7 then F7 = F7 + n end
          if fh > e - W1 then F1 = F1 + n end
        end
      end
    end
    raw[11], raw[12], raw[13], raw[16], raw[17], raw[18] = F1, F7, F30, known, first, latest
    -- The terminal's transactions from its earliest known fraud's hour to the windows' end (buckets kept: first >
    -- e - W30), this one excluded. m keeps the count from the previous transaction (SN, for first = SF), so it moves
    -- with the buckets entering; it is summed again only when the earliest known fraud changes.
    local since, sf = 0, -1
    if first >= 0 and first <= e then
      sf = first
      if all then
        for j = 1, #all, 2 do
          local fh = tonumber(all[j])
          if fh and fh >= first and fh <= e then since = since + tonumber(all[j + 1]) end
        end
      elseif SF == first then
        since = SN + entered
      else
        local fields = {}
        for x = first, e do fields[#fields + 1] = x end
        local v = redis.call('HMGET', tk, unpack(fields))
        for k = 1, #fields do
          if v[k] then since = since + tonumber(v[k]) end
        end
        -- this transaction is in its bucket already
        if h >= first and h <= e then since = since - 1 end
      end
    end
    raw[20] = since
    -- the current run of known frauds, back from the windows' end (this transaction is in its bucket already)
    local hours, counts = {}, {}
    local buckets = redis.call('HGETALL', tk)
    for j = 1, #buckets, 2 do
      local bh = tonumber(buckets[j])
      if bh and bh <= e and bh > e - W30 then
        hours[#hours + 1] = bh
        counts[bh] = tonumber(buckets[j + 1]) - (bh == h and 1 or 0)
      end
    end
    table.sort(hours, function(a, b) return a > b end)
    local runStart, runPrev, runN, runA, runR = -1, -1, 0, 0, 0
    for _, bh in ipairs(hours) do
      if counts[bh] > 0 then
        if (byHour[bh] or 0) < counts[bh] then
          if runStart >= 0 then runPrev = bh end
          break
        end
        runStart, runN = bh, runN + counts[bh]
      end
    end
    local ak, rk = p .. 'A:' .. tid, p .. 'R:' .. tid
    local ab, rb = redis.call('GET', ak) or '', redis.call('GET', rk) or ''
    if runStart >= 0 then runA, runR = hoursIn(ab, runStart, e, false), hoursIn(rb, runStart, e, true) end
    raw[23], raw[24], raw[25], raw[26], raw[27] = runStart, runPrev, runN, runA, runR
    if x == 1 then redis.call('SET', ak, withHour(ab, h, 1, ht - retained, false), 'EX', ttl) end
    if high > 0 then redis.call('SET', rk, withHour(rb, h, high, ht - retained, true), 'EX', ttl) end
    if sf >= 0 and h >= first and h <= e then since = since + 1 end
    redis.call('HSET', tk, 'm', pack({ht, T1, T7, T30, sf, since}))

    redis.call('SET', vkey, pack(raw), 'EX', seenTtl)
  end
  -- (a record cached by an earlier script is shorter)
  for k = 1, ${RAW_WIDTH} do out[#out + 1] = raw[k] or 0 end
end
return out
`;

/**
 * Fraud labels: counted once per txId (SET NX), by transaction hour and the hour the label became known, packed as
 * `txHour * 10^6 + (knownHour - txHour + 500000)` (the record script unpacks it).
 */
const LABELS = `
local p, ttl = ARGV[1], ARGV[2]
for b = 2, #ARGV - 1, 4 do
  if redis.call('SET', p .. 'l:' .. ARGV[b + 1], 1, 'NX', 'EX', ttl) then
    local fk = p .. 'f:' .. ARGV[b + 2]
    redis.call('HINCRBY', fk, string.format('%.17g', ARGV[b + 3] * 1000000 + ARGV[b + 4] - ARGV[b + 3] + 500000), 1)
    redis.call('EXPIRE', fk, ttl)
  end
end
return 0
`;

type Scripted = Redis & {
  featuresRecordV2(...args: (string | number)[]): Promise<number[]>;
  featuresLabelsV2(...args: (string | number)[]): Promise<number>;
};

/** The packed fraud field holds the label's lag in hours in 6 digits, offset by half (see LABELS). */
const MAX_LABEL_LAG_HOURS = 500_000;

/** Keys expire (wall clock) a day after the history they hold could last be read. */
const keyTtl = (spec: WindowSpec): number => (spec.retainedHours + 24) * 3600;

export interface RedisStateOptions {
  /** How long a transaction's raw sums stay for the other model version (wall clock), default 6 h. */
  seenTtlSeconds?: number;
}

export class RedisStateV2 implements FeatureState {
  readonly #redis: Scripted;
  readonly #prefix: string;
  readonly #seenTtl: number;

  constructor(redis: Redis, keyPrefix: string, opts: RedisStateOptions = {}) {
    this.#prefix = keyPrefix;
    this.#seenTtl = opts.seenTtlSeconds ?? 6 * 3600;
    if (!('featuresRecordV2' in redis)) {
      redis.defineCommand('featuresRecordV2', { numberOfKeys: 0, lua: RECORD });
      redis.defineCommand('featuresLabelsV2', { numberOfKeys: 0, lua: LABELS });
    }
    this.#redis = redis as Scripted;
  }

  async record(txs: readonly TransactionMessage[], spec: WindowSpec): Promise<Float64Array> {
    if (txs.length === 0) return new Float64Array(0);
    const args: (string | number)[] = [this.#prefix, spec.shiftHours, spec.retainedHours, keyTtl(spec), this.#seenTtl];
    for (const tx of txs) {
      args.push(tx.txId, tx.ts, hourOf(tx.ts), tx.customerId, tx.terminalId, cents(tx.amount));
    }
    const reply = await this.#redis.featuresRecordV2(...args);
    if (reply.length !== txs.length * RAW_WIDTH)
      throw new Error(`features: Redis returned ${reply.length} values for ${txs.length} transactions`);
    return Float64Array.from(reply, Number);
  }

  async applyLabels(labels: readonly LabelMessage[], spec: WindowSpec): Promise<void> {
    const args: (string | number)[] = [this.#prefix, keyTtl(spec)];
    for (const l of labels) {
      if (!l.fraud) continue;
      const txHour = hourOf(l.txTs);
      const knownHour = hourOf(l.ts);
      if (!(Math.abs(knownHour - txHour) < MAX_LABEL_LAG_HOURS))
        throw new RangeError(`features: label ${l.txId}: ts ${l.ts} is not within 57 years of txTs ${l.txTs}`);
      args.push(l.txId, l.terminalId, txHour, knownHour);
    }
    if (args.length > 2) await this.#redis.featuresLabelsV2(...args);
  }
}

export const redisStateV2 = (redis: Redis, keyPrefix: string, opts?: RedisStateOptions): RedisStateV2 =>
  new RedisStateV2(redis, keyPrefix, opts);

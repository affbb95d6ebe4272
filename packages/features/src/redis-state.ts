import type { LabelMessage, TransactionMessage } from '@fraud-operator/transactions/wire';
import type { Redis } from 'ioredis';
import { readNumberArrays } from './msgpack-numbers.ts';
import { MIGRATE } from './redis-migrate.ts';
import type { FeatureState } from './state.ts';
import { TAG_LENGTH, terminalTag } from './terminal-tag.ts';
import {
  ANOMALY_RATIO,
  cents,
  HIGH_RATIO,
  HOUR_MS,
  hourOf,
  LONG_GAP_HOURS,
  MAX_HIGH_RATIO,
  RAW_WIDTH,
  type WindowSpec,
} from './windows.ts';

/**
 * The state of memory-state.ts in Redis, one Lua call per batch; the parity test holds the two to identical sums.
 * Windows move forward with running totals and cursors, so a transaction costs about the same however long the
 * history. A card and a terminal are one string each, packed with Lua's `struct` (C), read in one MGET and written with
 * one call each: the earlier hashes and lists took about twenty calls a transaction, and the calls were most of the
 * script's time. No string grows with a busy card's transactions at one terminal.
 * - `E:<card>`: its entries, oldest first, one per hour and terminal, 30 bytes each [hour, count as int32, cents as
 *   double, anomalous as int32, the terminal's tag (terminal-tag.ts, 10 characters)], then a trailer of 17 doubles
 *   [hour,i1,i7,N1,N7,N30,S1,S7,S30,X7,HN,last,NL,SL,i30,renew,PM]: the card's latest hour, the indexes of the first
 *   entries still in its 1-, 7- and 30-day windows (i30), counts and cent sums over 1/7/30 days, anomalous transactions
 *   over 7 days, the count in the latest hour, the latest time, the count and cent sum since its last gap of more than
 *   LONG_GAP_HOURS, when (wall clock, s) it is next rewritten whole, and PM (below). A transaction updates its
 *   terminal's entry of its hour, else adds one, and writes it and the trailer in place (SETRANGE, the TTL kept);
 *   the string is rewritten whole, its entries before i30 dropped and its TTL renewed, once CARD_RENEW_SECONDS have
 *   passed or CARD_DEAD_MAX entries are out. The card×terminal pair's count over the card's 30-day window is the sum
 *   of that terminal's entries there, found by its tag (Lua's plain `string.find`, C).
 * - Earlier cards: `K:<card>` (before 2026-12-05's fourth change: hour buckets of 20 bytes with no tag, the trailer's
 *   first 16 doubles, each pair its own key `P:<terminal>\0<card>` [count as double, then hour buckets (hour, count as
 *   int32)]) and `C:<card>` (before that: 14 doubles first, no i30) are read once, moved to `E:` with entries of no
 *   terminal, and removed. PM is the hour of that move (else NONE): until it leaves the 30-day window, a pair's count
 *   adds its `P:` key's buckets in the window. A scorer of the earlier layout still running beside this one finds no
 *   card there and starts it afresh.
 * - `T:<terminal>`: a header [hour,T1,T7,T30,SF,SN as doubles; nb,nf,c7,c1,ce as int32]: the windows (ending `shift`
 *   hours before `hour`) as of the terminal's latest hour, SN its transactions from hour SF (its earliest known fraud,
 *   -1: none) to the windows' end, and the indexes of the first buckets after the 7-day window's start, the 1-day
 *   window's start and the windows' end; then nb hour buckets ascending [hour, count as int32], none at or before the
 *   30-day window's start; then nf fraud-label counts [transaction hour, hour known, count as int32].
 * - `A:<terminal>`: its transactions that were anomalous for their card, by hour (HOUR_ENTRIES), for the anomalous
 *   count of its current run of known frauds; absent until one is.
 * - `R:<terminal>`: the highest amount ratio of its transactions by hour, only hours with one over HIGH_RATIO
 *   (HOUR_ENTRIES), for its current run's highest; absent until one is.
 * - `v:<txId>`: the raw sums the transaction got the first time, as MessagePack (the other model version gets them
 *   back; wall-clock TTL, default 6 h); `l:<txId>`: a label counted (SET NX).
 * State written by the earlier layout (hashes `c:`, `t:`, `f:` and lists `q:`) is read once, when its card or terminal
 * is next seen, and removed. Per card and per terminal, hours never go back: a late transaction counts at the card's
 * latest hour and reads the terminal's windows as of its latest hour (memory-state.ts does the same). The script
 * names keys it was not passed, so it needs one Redis node (no cluster slots), which is how the stack and the chart
 * run Redis. Terminal ids must not contain NUL (the scorer refuses them).
 */
const LAYOUT = `
local W1, W7, W30 = 24, 168, 720
local spack, sunpack, sub = struct.pack, struct.unpack, string.sub
local CH, CHL, CB, CBL = '<dddddddddddddd', 112, '<i4i4di4', 20
-- the card's trailer: CH's 14 doubles, then i30 and renew
local CT, CTL = '<dddddddddddddddd', 128
-- the card's entries (CB's 20 bytes, then the terminal's tag) and its trailer: CT's 16 doubles, then PM
local TAGL, ET, ETL = ${TAG_LENGTH}, '<ddddddddddddddddd', 136
local EBL = CBL + TAGL
local NOTAG = string.rep('\\0', TAGL)
local TH, THL, TB, TBL, TF, TFL = '<ddddddi4i4i4i4i4', 68, '<i4i4', 8, '<i4i4i4', 12
-- the hour of a terminal that has labels and no transaction yet
local NONE = -4503599627370496
-- a MessagePack record (a recorded vector v:, the earlier layout's records), or the text "n,n,..." of an older one
local function load(s)
  if string.byte(s, 1) >= 128 then return cmsgpack.unpack(s) end
  local t = {}
  for v in string.gmatch(s, '[^,]+') do t[#t + 1] = tonumber(v) end
  return t
end
local function terminalOf(tb)
  if not tb then return NONE, 0, 0, 0, -1, 0, 0, 0, 0, 0, 0, '', '' end
  local HT, T1, T7, T30, SF, SN, nb, nf, c7, c1, ce = sunpack(TH, tb)
  return HT, T1, T7, T30, SF, SN, nb, nf, c7, c1, ce, sub(tb, THL + 1, THL + nb * TBL), sub(tb, THL + nb * TBL + 1)
end
`;

/**
 * Lua: a terminal's per-hour entries [hour, value as int32] ascending, only hours that had one: `A:<terminal>` counts
 * its transactions that were anomalous for their card (written only for an anomalous one), `R:<terminal>` keeps the
 * highest amount ratio over HIGH_RATIO (written only for a high one; highRatio is windows.ts's: the same comparison
 * and operations). Both are read with the terminal. `highest` picks the R: way of combining values (max, not sum).
 */
export const HOUR_ENTRIES = `
local HE, HEL, HIGH, HIGH_MAX = '<i4i4', 8, ${HIGH_RATIO}, ${MAX_HIGH_RATIO}
-- the transaction's ratio in thousandths when it is high, else 0
local function highRatio(c, n, s)
  if n > 0 and s > 0 and c * n > HIGH * s then return math.min(HIGH_MAX, math.floor(c * n * 1000 / s)) end
  return 0
end
-- the entries' values of the hours from \`from\` to \`to\`, summed (or the highest; 0: none)
local function hoursIn(b, from, to, highest)
  local r = 0
  for j = 1, #b, HEL do
    local eh, ev = struct.unpack(HE, b, j)
    if eh >= from and eh <= to then
      if not highest then r = r + ev elseif ev > r then r = ev end
    end
  end
  return r
end
-- the entries with value v at hour h (added to the hour's, or the higher kept), those at or before \`horizon\` dropped
local function withHour(b, h, v, horizon, highest)
  local kept, added = {}, false
  for j = 1, #b, HEL do
    local eh, ev = struct.unpack(HE, b, j)
    if eh > horizon then
      if not added and eh >= h then
        if eh ~= h then kept[#kept + 1] = struct.pack(HE, h, v)
        elseif highest then ev = math.max(ev, v)
        else ev = ev + v end
        added = true
      end
      kept[#kept + 1] = struct.pack(HE, eh, ev)
    end
  end
  if not added then kept[#kept + 1] = struct.pack(HE, h, v) end
  return table.concat(kept)
end
`;

/** How often a card's string is rewritten whole at the least (its TTL, `keyTtl` + this, renewed): 7 days. */
export const CARD_RENEW_SECONDS = 7 * 86_400;
/** Buckets out of a card's 30-day window kept until it is rewritten whole. */
export const CARD_DEAD_MAX = 16;

const RECORD = `${LAYOUT}${MIGRATE}${HOUR_ENTRIES}
local p, shift, retained, ttl, seenTtl = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5]
local RATIO, LONG_GAP = ${ANOMALY_RATIO}, ${LONG_GAP_HOURS}
-- A card's string is rewritten whole (its TTL renewed, the buckets out of its 30-day window dropped) once RENEW seconds
-- of wall clock have passed since the last time, or DEAD_MAX buckets are out; in between, written in place.
local RENEW, DEAD_MAX, wall = ${CARD_RENEW_SECONDS}, ${CARD_DEAD_MAX}, tonumber(redis.call('TIME')[1])
-- The reply: each transaction's raw sums as MessagePack, laid end to end in one string for the batch, the very bytes
-- \`v:\` keeps (small integers in a byte or two: 6 hours of them are most of Redis's memory), so a record already
-- cached is passed on as it is. One an earlier script kept as text is packed; a shorter one is padded by the caller.
local out = {}
for b = 5, #ARGV - 1, 6 do
  local txId, ts, cid, tid, tag, c = ARGV[b+1], tonumber(ARGV[b+2]), ARGV[b+3], ARGV[b+4], ARGV[b+5], tonumber(ARGV[b+6])
  local h = math.floor(ts / ${HOUR_MS})
  local vkey = p .. 'v:' .. txId
  local cached = redis.call('GET', vkey)
  local rec = cached
  if cached then
    if string.byte(cached, 1) < 128 then rec = cmsgpack.pack(load(cached)) end
  else
    local raw = {}
    -- the card and the terminal in one read
    local ck, tk, ak, rk = p .. 'E:' .. cid, p .. 'T:' .. tid, p .. 'A:' .. tid, p .. 'R:' .. tid
    local got = redis.call('MGET', ck, tk, ak, rk)
    local cb, tb, layout, ab, rb = got[1], got[2] or oldTerminal(p, tid, shift), 'E', got[3] or '', got[4] or ''
    -- a card not under E: may be under K: (its pairs in P: keys), C: (header first) or in the hashes: read, removed
    if not cb then
      oldCard(p, cid, ttl)
      local kk, hk = p .. 'K:' .. cid, p .. 'C:' .. cid
      local old = redis.call('MGET', kk, hk)
      if old[1] then cb, layout = old[1], 'K' elseif old[2] then cb, layout = old[2], 'C' end
      if cb then redis.call('DEL', kk, hk) end
    end

    -- the card: its latest hour, never earlier (a late transaction counts at the card's latest hour). Its entries
    -- are read in place (entry i at 1 + i * EBL): Redis's Lua hashes every byte of every string it makes, and
    -- copies of the card's string were a fifth of the script's time.
    local H, i1, i7, N1, N7, N30, S1, S7, S30, X7, HN, last, NL, SL = h, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, 0, 0
    local nb, k, renew, PM = 0, 0, 0, NONE
    if cb and layout == 'E' then
      nb = (#cb - ETL) / EBL
      H, i1, i7, N1, N7, N30, S1, S7, S30, X7, HN, last, NL, SL, k, renew, PM = sunpack(ET, cb, nb * EBL + 1)
    elseif cb then
      -- an earlier layout: its buckets become entries of no terminal, and its pairs are counted from their P: keys
      -- until PM (its latest hour) leaves the 30-day window; written whole (renew stays 0)
      local B = 1
      if layout == 'K' then
        nb = (#cb - CTL) / CBL
        H, i1, i7, N1, N7, N30, S1, S7, S30, X7, HN, last, NL, SL, k = sunpack(CT, cb, nb * CBL + 1)
      else
        H, i1, i7, N1, N7, N30, S1, S7, S30, X7, HN, last, NL, SL = sunpack(CH, cb)
        nb, B = (#cb - CHL) / CBL, CHL + 1
      end
      local es = {}
      for i = 0, nb - 1 do es[i + 1] = sub(cb, B + i * CBL, B + (i + 1) * CBL - 1) .. NOTAG end
      cb, PM = table.concat(es), H
    else
      cb = ''
    end
    local hc = math.max(h, H)
    if hc - H > LONG_GAP then NL, SL = 0, 0 end
    NL, SL = NL + 1, SL + c
    -- the entries leaving each window, from their cursors
    local bh, bn, bs, bx = 0, 0, 0, 0
    while i1 < nb do
      bh, bn, bs = sunpack(CB, cb, 1 + i1 * EBL)
      if bh > hc - W1 then break end
      N1, S1, i1 = N1 - bn, S1 - bs, i1 + 1
    end
    while i7 < nb do
      bh, bn, bs, bx = sunpack(CB, cb, 1 + i7 * EBL)
      if bh > hc - W7 then break end
      N7, S7, X7, i7 = N7 - bn, S7 - bs, X7 - bx, i7 + 1
    end
    while k < nb do
      bh, bn, bs = sunpack(CB, cb, 1 + k * EBL)
      if bh > hc - W30 then break end
      N30, S30, k = N30 - bn, S30 - bs, k + 1
    end
    if hc == H then HN = HN + 1 else HN = 1 end
    N1, N7, N30, S1, S7, S30 = N1 + 1, N7 + 1, N30 + 1, S1 + c, S7 + c, S30 + c
    raw[1], raw[2], raw[3], raw[4], raw[5], raw[6], raw[7] = N1, N7, N30, S1, S7, S30, HN
    raw[15], raw[19], raw[21], raw[22] = last, X7, NL - N7, SL - S7
    local high = highRatio(c, NL - N7, SL - S7)
    local prior, x = N30 - N1, 0
    if prior > 0 and c * prior > RATIO * (S30 - S1) then x = 1 end
    X7 = X7 + x

    -- the pair: this terminal's entries in the card's 30-day window (found by its tag, aligned), this one included;
    -- its entry of this hour, if any, is where this transaction goes
    local PN, f, stop, at = 1, string.find(cb, tag, 1 + k * EBL, true), nb * EBL, nb
    while f and f <= stop do
      if (f - 1) % EBL == CBL then
        bh, bn = sunpack('<i4i4', cb, f - CBL)
        PN = PN + bn
        if bh == hc then at = (f - CBL - 1) / EBL end
      end
      f = string.find(cb, tag, f + 1, true)
    end
    if PM > hc - W30 then
      local pb = redis.call('GET', p .. 'P:' .. tid .. '\\0' .. cid)
      if pb then
        for j = 9, #pb, TBL do
          bh, bn = sunpack(TB, pb, j)
          if bh > hc - W30 then PN = PN + bn end
        end
      end
    end
    raw[14] = PN

    -- this transaction's entry: the one of its hour and terminal updated, else a new one after the others
    local entry
    if at < nb then
      bh, bn, bs, bx = sunpack(CB, cb, 1 + at * EBL)
      entry = spack(CB, hc, bn + 1, bs + c, bx + x) .. tag
    else
      entry = spack(CB, hc, 1, c, x) .. tag
    end
    local trailer
    if renew > wall and k < DEAD_MAX then
      -- in place, the TTL kept: the entry and the trailer, one short string each (one call when the entry is the last)
      trailer = spack(ET, hc, i1, i7, N1, N7, N30, S1, S7, S30, X7, HN, ts, NL, SL, k, renew, PM)
      if at >= nb - 1 then
        redis.call('SETRANGE', ck, at * EBL, entry .. trailer)
      else
        redis.call('SETRANGE', ck, at * EBL, entry)
        redis.call('SETRANGE', ck, nb * EBL, trailer)
      end
    else
      -- rewritten whole: the entries out of the 30-day window dropped, the TTL renewed
      trailer = spack(ET, hc, i1 - k, i7 - k, N1, N7, N30, S1, S7, S30, X7, HN, ts, NL, SL, 0, wall + RENEW, PM)
      redis.call('SET', ck, sub(cb, 1 + k * EBL, at * EBL) .. entry .. sub(cb, (at + 1) * EBL + 1, nb * EBL) .. trailer,
        'EX', ttl + RENEW)
    end

    -- the terminal: windows ending shift hours before its latest hour; buckets and frauds read in place too (bucket
    -- i at B0 + i * TBL, fraud j at F0 + j * TFL), cursors as indexes into the string read until it is written
    local HT, T1, T7, T30, SF, SN, nb, nf, c7, c1, ce = NONE, 0, 0, 0, -1, 0, 0, 0, 0, 0, 0
    if tb then HT, T1, T7, T30, SF, SN, nb, nf, c7, c1, ce = sunpack(TH, tb) else tb = '' end
    local B0, F0 = THL + 1, THL + nb * TBL + 1
    local ht = math.max(h, HT)
    local e = ht - shift
    -- the buckets entering the windows and leaving each, from the cursors
    local entered, o1, o7, o30 = 0, 0, 0, 0
    while ce < nb do
      bh, bn = sunpack(TB, tb, B0 + ce * TBL)
      if bh > e then break end
      entered, ce = entered + bn, ce + 1
    end
    while c1 < nb do
      bh, bn = sunpack(TB, tb, B0 + c1 * TBL)
      if bh > e - W1 then break end
      o1, c1 = o1 + bn, c1 + 1
    end
    while c7 < nb do
      bh, bn = sunpack(TB, tb, B0 + c7 * TBL)
      if bh > e - W7 then break end
      o7, c7 = o7 + bn, c7 + 1
    end
    k = 0
    while k < nb do
      bh, bn = sunpack(TB, tb, B0 + k * TBL)
      if bh > e - W30 then break end
      o30, k = o30 + bn, k + 1
    end
    T1, T7, T30 = T1 + entered - o1, T7 + entered - o7, T30 + entered - o30
    raw[8], raw[9], raw[10] = T1, T7, T30

    -- the terminal's frauds: in the windows, and all those known before its latest hour
    local F1, F7, F30, known, first, latest, frs, byHour = 0, 0, 0, 0, -1, -1, nil, nil
    if nf > 0 then
      local kept = {}
      byHour = {}
      for j = 0, nf - 1 do
        local fh, kh, fn = sunpack(TF, tb, F0 + j * TFL)
        if fh > ht - retained then
          kept[#kept + 1] = j
          if kh < ht then
            known = known + fn
            byHour[fh] = (byHour[fh] or 0) + fn
            if first < 0 or fh < first then first = fh end
            if fh > latest then latest = fh end
            if fh <= e then
              if fh > e - W30 then F30 = F30 + fn end
              if fh > e - W7 then F7 = F7 + fn end
              if fh > e - W1 then F1 = F1 + fn end
            end
          end
        end
      end
      if #kept < nf then
        for j, i in ipairs(kept) do kept[j] = sub(tb, F0 + i * TFL, F0 + (i + 1) * TFL - 1) end
        frs, nf = table.concat(kept), #kept
      end
    end
    raw[11], raw[12], raw[13], raw[16], raw[17], raw[18] = F1, F7, F30, known, first, latest
    -- The terminal's transactions from its earliest known fraud's hour to the windows' end, this one excluded. The
    -- header keeps the count from the previous transaction (SN, for first = SF), so it moves with the buckets
    -- entering; it is summed again only when the earliest known fraud changes.
    local since, sf = 0, -1
    if first >= 0 and first <= e then
      sf = first
      if SF == first then
        since = SN + entered
      else
        for j = ce - 1, k, -1 do
          bh, bn = sunpack(TB, tb, B0 + j * TBL)
          if bh < first then break end
          since = since + bn
        end
      end
    end
    raw[20] = since
    -- The terminal's current run of known frauds: back from the windows' end, the buckets all of whose transactions
    -- are known frauds, and the bucket before them (memory-state.ts knownRun).
    local runStart, runPrev, runN, runA, runR = -1, -1, 0, 0, 0
    for j = ce - 1, k, -1 do
      bh, bn = sunpack(TB, tb, B0 + j * TBL)
      if not byHour or (byHour[bh] or 0) < bn then
        if runStart >= 0 then runPrev = bh end
        break
      end
      runStart, runN = bh, runN + bn
    end
    -- the run's anomalous transactions and highest ratio: every hour from the run's first to the windows' end that has
    -- a transaction is in the run
    if runStart >= 0 then runA, runR = hoursIn(ab, runStart, e, false), hoursIn(rb, runStart, e, true) end
    raw[23], raw[24], raw[25], raw[26], raw[27] = runStart, runPrev, runN, runA, runR
    if x == 1 then redis.call('SET', ak, withHour(ab, h, 1, ht - retained, false), 'EX', ttl) end
    if high > 0 then redis.call('SET', rk, withHour(rb, h, high, ht - retained, true), 'EX', ttl) end
    if sf >= 0 and h >= first and h <= e then since = since + 1 end

    -- this transaction: into the windows at once when it is later than their end (a week late), and into its bucket
    if h <= e then
      if h > e - W1 then T1 = T1 + 1 end
      if h > e - W7 then T7 = T7 + 1 end
      if h > e - W30 then T30 = T30 + 1 end
    end
    -- the buckets kept (k onwards) before this transaction's, its own, and those after it
    local j, now, after = nb, '', nb
    if h > e - W30 then
      while j > k do
        bh, bn = sunpack(TB, tb, B0 + (j - 1) * TBL)
        if bh <= h then break end
        j = j - 1
      end
      after = j
      if j > k and bh == h then
        j, now = j - 1, spack(TB, h, bn + 1)
      else
        now, nb = spack(TB, h, 1), nb + 1
        if h <= e then ce = ce + 1 end
        if h <= e - W1 then c1 = c1 + 1 end
        if h <= e - W7 then c7 = c7 + 1 end
      end
    end
    redis.call('SET', tk, spack(TH, ht, T1, T7, T30, sf, since, nb - k, nf, c7 - k, c1 - k, ce - k) ..
      sub(tb, B0 + k * TBL, B0 + j * TBL - 1) .. now .. sub(tb, B0 + after * TBL, F0 - 1) .. (frs or sub(tb, F0)),
      'EX', ttl)

    rec = cmsgpack.pack(raw)
    redis.call('SET', vkey, rec, 'EX', seenTtl)
  end
  out[#out + 1] = rec
end
return table.concat(out)
`;

/**
 * Fraud labels: counted once per txId (SET NX), in the terminal's string by transaction hour and the hour the label
 * became known. A terminal still in the earlier layout gets them in its `f:` hash, read when it is next seen.
 */
const LABELS = `${LAYOUT}
local p, ttl = ARGV[1], ARGV[2]
for b = 2, #ARGV - 1, 4 do
  if redis.call('SET', p .. 'l:' .. ARGV[b + 1], 1, 'NX', 'EX', ttl) then
    local tid, fh, kh = ARGV[b + 2], tonumber(ARGV[b + 3]), tonumber(ARGV[b + 4])
    local tk = p .. 'T:' .. tid
    local tb = redis.call('GET', tk)
    if not tb and redis.call('EXISTS', p .. 't:' .. tid, p .. 'f:' .. tid) > 0 then
      local fk = p .. 'f:' .. tid
      redis.call('HINCRBY', fk, string.format('%.17g', fh * 1000000 + kh - fh + 500000), 1)
      redis.call('EXPIRE', fk, ttl)
    else
      local HT, T1, T7, T30, SF, SN, nb, nf, c7, c1, ce, buckets, frs = terminalOf(tb)
      local found = false
      for j = 0, nf - 1 do
        local a, k, n = sunpack(TF, frs, j * TFL + 1)
        if a == fh and k == kh then
          frs = sub(frs, 1, j * TFL) .. spack(TF, fh, kh, n + 1) .. sub(frs, (j + 1) * TFL + 1)
          found = true
          break
        end
      end
      if not found then frs, nf = frs .. spack(TF, fh, kh, 1), nf + 1 end
      redis.call('SET', tk, spack(TH, HT, T1, T7, T30, SF, SN, nb, nf, c7, c1, ce) .. buckets .. frs, 'EX', ttl)
    end
  end
end
return 0
`;

type Scripted = Redis & {
  featuresRecordBuffer(...args: (string | number)[]): Promise<Buffer>;
  featuresLabels(...args: (string | number)[]): Promise<number>;
};

/**
 * A label's lag in hours: the earlier layout's packed `f:` field (still written for a terminal not yet migrated, see
 * LABELS) holds it in 6 digits, offset by half.
 */
const MAX_LABEL_LAG_HOURS = 500_000;

/**
 * Transactions per script call: a larger batch goes out as calls of this many, back to back on the connection, so in
 * order (a 10,000-transaction call took Redis ~12 % longer a transaction than ten of 1,000).
 */
const CALL_MAX = 1000;

/** Keys expire (wall clock) a day after the history they hold could last be read. */
const keyTtl = (spec: WindowSpec): number => (spec.retainedHours + 24) * 3600;

export interface RedisStateOptions {
  /** How long a transaction's raw sums stay for the other model version (wall clock), default 6 h. */
  seenTtlSeconds?: number;
}

export class RedisState implements FeatureState {
  readonly #redis: Scripted;
  readonly #prefix: string;
  readonly #seenTtl: number;

  constructor(redis: Redis, keyPrefix: string, opts: RedisStateOptions = {}) {
    this.#prefix = keyPrefix;
    this.#seenTtl = opts.seenTtlSeconds ?? 6 * 3600;
    if (!('featuresRecord' in redis)) {
      redis.defineCommand('featuresRecord', { numberOfKeys: 0, lua: RECORD });
      redis.defineCommand('featuresLabels', { numberOfKeys: 0, lua: LABELS });
    }
    this.#redis = redis as Scripted;
  }

  async record(txs: readonly TransactionMessage[], spec: WindowSpec): Promise<Float64Array> {
    if (txs.length === 0) return new Float64Array(0);
    for (const tx of txs) {
      if (tx.terminalId.includes('\0')) throw new RangeError(`features: terminalId of ${tx.txId} contains NUL`);
    }
    const calls: Promise<Buffer>[] = [];
    for (let at = 0; at < txs.length; at += CALL_MAX) {
      const args: (string | number)[] = [
        this.#prefix,
        spec.shiftHours,
        spec.retainedHours,
        keyTtl(spec),
        this.#seenTtl,
      ];
      for (const tx of txs.slice(at, at + CALL_MAX)) {
        args.push(tx.txId, tx.ts, tx.customerId, tx.terminalId, terminalTag(tx.terminalId), cents(tx.amount));
      }
      calls.push(this.#redis.featuresRecordBuffer(...args));
    }
    const replies = await Promise.all(calls);
    const out = new Float64Array(txs.length * RAW_WIDTH);
    for (const [i, reply] of replies.entries()) {
      const count = Math.min(CALL_MAX, txs.length - i * CALL_MAX);
      try {
        out.set(readNumberArrays(reply, count, RAW_WIDTH), i * CALL_MAX * RAW_WIDTH);
      } catch (err) {
        throw new Error(`features: Redis's reply for ${count} transactions: ${(err as Error).message}`);
      }
    }
    return out;
  }

  /** The fraud labels counted for a terminal and still retained (each transaction's once), from `T:<terminal>`. */
  async fraudLabels(terminalId: string): Promise<number> {
    const t = await this.#redis.getBuffer(`${this.#prefix}T:${terminalId}`);
    if (!t) return 0;
    // the header: six doubles, then nb and nf (int32); then nb buckets of 8 bytes and nf counts of 12
    const nb = t.readInt32LE(48);
    const nf = t.readInt32LE(52);
    let n = 0;
    for (let j = 0; j < nf; j++) n += t.readInt32LE(68 + nb * 8 + j * 12 + 8);
    return n;
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
    if (args.length > 2) await this.#redis.featuresLabels(...args);
  }
}

export const redisState = (redis: Redis, keyPrefix: string, opts?: RedisStateOptions): RedisState =>
  new RedisState(redis, keyPrefix, opts);

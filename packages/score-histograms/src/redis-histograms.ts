import type { Redis } from 'ioredis';
import { addStoredHour, emptyHistogram, type ScoreHistogram } from './histogram.ts';
import { hourOf, RECORD_BYTES, scoreRecord, txHash } from './score-record.ts';

/**
 * Keys, under `<keyPrefix>eval:<version>:` (one set per model version):
 * - `h:<hour>`: the histogram hash of the transactions with event time in that hour (fields in `histogram.ts`);
 * - `s:<hour>`: the score log, RECORD_BYTES per scored transaction, which a late fraud label is joined with;
 * - `o:<topic>:<partition>`: the highest offset counted, so a redelivered record (a crash before the commit, a
 *   rebalance) is never counted twice;
 * - `l:<txId>`: a fraud label counted (SET NX); `p:<hour>`: labels that arrived before their score.
 * Everything for a batch happens in one script, so a batch is counted whole or not at all.
 */
const RECORD_SCORES = `
local p, logTtl, histTtl = ARGV[1], ARGV[2], ARGV[3]
local wmKey = p .. 'o:' .. ARGV[4]
local wm = tonumber(redis.call('GET', wmKey) or '-1')
local top = wm
local logs, counts = {}, {}
local function add(c, field, n) c[field] = (c[field] or 0) + n end
for i = 5, #ARGV, 3 do
  local offset = tonumber(ARGV[i])
  if offset > wm then
    if offset > top then top = offset end
    local hour, rec = ARGV[i + 1], ARGV[i + 2]
    if not logs[hour] then logs[hour] = {}; counts[hour] = {} end
    table.insert(logs[hour], rec)
    local code = string.byte(rec, 9) * 256 + string.byte(rec, 10)
    add(counts[hour], 's' .. math.floor(code / 2), 1)
    if code % 2 == 1 then add(counts[hour], 'sa', 1) end
  end
end
for hour, recs in pairs(logs) do
  local c = counts[hour]
  local pending = p .. 'p:' .. hour
  if redis.call('EXISTS', pending) == 1 then
    for _, rec in ipairs(recs) do
      if redis.call('HDEL', pending, string.sub(rec, 1, 8)) == 1 then
        local code = string.byte(rec, 9) * 256 + string.byte(rec, 10)
        add(c, 'f' .. math.floor(code / 2), 1)
        if code % 2 == 1 then add(c, 'fa', 1) end
      end
    end
  end
  local log = p .. 's:' .. hour
  redis.call('APPEND', log, table.concat(recs))
  redis.call('EXPIRE', log, logTtl)
  local h = p .. 'h:' .. hour
  for field, n in pairs(c) do redis.call('HINCRBY', h, field, n) end
  redis.call('EXPIRE', h, histTtl)
end
if top > wm then redis.call('SET', wmKey, string.format('%d', top), 'EX', histTtl) end
return 0
`;

const RECORD_FRAUDS = `
local p, logTtl, histTtl, size = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
local found, early = 0, 0
for i = 5, #ARGV, 3 do
  local txId, hour, hash = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  if redis.call('SET', p .. 'l:' .. txId, 1, 'NX', 'EX', logTtl) then
    local log = redis.call('GET', p .. 's:' .. hour)
    local at = nil
    if log then
      local from = 1
      while true do
        local i = string.find(log, hash, from, true)
        if not i then break end
        if (i - 1) % size == 0 then at = i; break end
        from = i + 1
      end
    end
    if at then
      local code = string.byte(log, at + 8) * 256 + string.byte(log, at + 9)
      local h = p .. 'h:' .. hour
      redis.call('HINCRBY', h, 'f' .. math.floor(code / 2), 1)
      if code % 2 == 1 then redis.call('HINCRBY', h, 'fa', 1) end
      redis.call('EXPIRE', h, histTtl)
      found = found + 1
    else
      local pending = p .. 'p:' .. hour
      redis.call('HSET', pending, hash, 1)
      redis.call('EXPIRE', pending, logTtl)
      early = early + 1
    end
  end
end
return {found, early}
`;

export interface HistogramStoreOptions {
  keyPrefix?: string;
  version: string;
  /** Wall-clock life of the score log and label marks: must outlast the chargeback delay. Default 8 days. */
  scoreLogTtlSeconds?: number;
  /** Wall-clock life of the histogram hashes. Default 35 days. */
  histogramTtlSeconds?: number;
}

export interface ScoredRecord {
  offset: string;
  txId: string;
  ts: number;
  score: number;
}

export interface FraudLabelRef {
  txId: string;
  /** The labelled transaction's event time. */
  txTs: number;
}

export interface HistogramStore {
  /** Counts one partition's batch of scores, once per Kafka record (by offset). */
  recordScores(topicPartition: string, threshold: number, records: readonly ScoredRecord[]): Promise<void>;
  /** Joins fraud labels with the scores; a label met before its score is kept and joined when the score comes. */
  recordFrauds(labels: readonly FraudLabelRef[]): Promise<{ joined: number; early: number }>;
}

const DAY_S = 86_400;

interface Scripted {
  histogramScores(...args: (string | Buffer)[]): Promise<unknown>;
  histogramFrauds(...args: (string | Buffer)[]): Promise<unknown>;
}

export function evaluationPrefix(keyPrefix: string, version: string): string {
  return `${keyPrefix}eval:${version}:`;
}

export function createHistogramStore(redis: Redis, options: HistogramStoreOptions): HistogramStore {
  const prefix = evaluationPrefix(options.keyPrefix ?? '', options.version);
  const logTtl = String(options.scoreLogTtlSeconds ?? 8 * DAY_S);
  const histTtl = String(options.histogramTtlSeconds ?? 35 * DAY_S);
  // EVALSHA after the first call (ioredis loads the script on NOSCRIPT), not the script's text with every batch.
  if (!('histogramScores' in redis)) {
    redis.defineCommand('histogramScores', { numberOfKeys: 0, lua: RECORD_SCORES });
    redis.defineCommand('histogramFrauds', { numberOfKeys: 0, lua: RECORD_FRAUDS });
  }
  const scripted = redis as Redis & Scripted;
  return {
    async recordScores(topicPartition, threshold, records) {
      if (records.length === 0) return;
      const args: (string | Buffer)[] = [prefix, logTtl, histTtl, topicPartition];
      for (const r of records) args.push(r.offset, String(hourOf(r.ts)), scoreRecord(r.txId, r.score, threshold));
      await scripted.histogramScores(...args);
    },
    async recordFrauds(labels) {
      if (labels.length === 0) return { joined: 0, early: 0 };
      const args: (string | Buffer)[] = [prefix, logTtl, histTtl, String(RECORD_BYTES)];
      for (const l of labels) args.push(l.txId, String(hourOf(l.txTs)), txHash(l.txId));
      const [joined, early] = (await scripted.histogramFrauds(...args)) as [number, number];
      return { joined, early };
    },
  };
}

/**
 * Merges a version's hourly histograms over the event-time window [fromTs, toTs), in whole hours (the hour holding
 * fromTs through the one holding toTs - 1). Genuine transactions carry no label: read only hours older than the
 * chargeback delay, or the recent frauds are still counted as genuine.
 */
export async function readHistogram(
  redis: Redis,
  window: { keyPrefix?: string; version: string; fromTs: number; toTs: number },
): Promise<ScoreHistogram> {
  const prefix = evaluationPrefix(window.keyPrefix ?? '', window.version);
  const first = hourOf(window.fromTs);
  const last = hourOf(window.toTs - 1);
  if (last - first > 24 * 366) throw new Error('score histogram: a window longer than a year');
  const pipeline = redis.pipeline();
  for (let hour = first; hour <= last; hour++) pipeline.hgetall(`${prefix}h:${hour}`);
  const results = (await pipeline.exec()) ?? [];
  const merged = emptyHistogram();
  for (const [err, fields] of results) {
    if (err) throw err;
    addStoredHour(merged, fields as Record<string, string>);
  }
  return merged;
}

import type { LabelMessage, TransactionMessage } from '@fraud-operator/transactions/wire';
import type { Redis } from 'ioredis';
import type { FeatureState } from './state.ts';
import { cents, DEFAULT_LABEL_DELAY_MS, hourOf, RAW_WIDTH, retainedHours, terminalShiftHours } from './windows.ts';

/**
 * memory-state.ts in Lua, one script call per batch: the same fields, the same pruning, the same sums (the parity
 * test compares them). Keys are `<prefix>c:<customer>`, `<prefix>t:<terminal>`, `<prefix>p:<customer>:<terminal>`
 * (hashes of hour buckets), `<prefix>v:<txId>` (the raw sums a transaction got first, for the other model version)
 * and `<prefix>l:<txId>` (a label counted). The script names keys it was not passed, so it needs one Redis node
 * (no cluster slots), which is how the stack and the chart run Redis.
 */
const RECORD = `
local p, shift, retained, ttl, seenTtl = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4], ARGV[5]
local W = {24, 168, 720}
local out = {}
for b = 5, #ARGV - 1, 6 do
  local txId, ts, h, cid, tid, c = ARGV[b+1], ARGV[b+2], tonumber(ARGV[b+3]), ARGV[b+4], ARGV[b+5], ARGV[b+6]
  local vkey = p .. 'v:' .. txId
  local cached = redis.call('GET', vkey)
  local raw = {}
  if cached then
    for v in string.gmatch(cached, '[^,]+') do raw[#raw + 1] = tonumber(v) end
  else
    raw = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1}
    local ck = p .. 'c:' .. cid
    local last = redis.call('HGET', ck, 'last')
    if last then raw[15] = tonumber(last) end
    redis.call('HSET', ck, 'last', ts)
    redis.call('HINCRBY', ck, 'n:' .. h, 1)
    redis.call('HINCRBY', ck, 's:' .. h, c)
    local all = redis.call('HGETALL', ck)
    for j = 1, #all, 2 do
      local f = all[j]
      if f ~= 'last' then
        local fh, v = tonumber(string.sub(f, 3)), tonumber(all[j + 1])
        if fh <= h - retained then
          redis.call('HDEL', ck, f)
        elseif fh <= h then
          local base = (string.sub(f, 1, 1) == 's') and 3 or 0
          for w = 1, 3 do
            if fh > h - W[w] then raw[base + w] = raw[base + w] + v end
          end
          if base == 0 and fh == h then raw[7] = v end
        end
      end
    end
    redis.call('EXPIRE', ck, ttl)
    local tk = p .. 't:' .. tid
    local e = h - shift
    all = redis.call('HGETALL', tk)
    for j = 1, #all, 2 do
      local f, v = all[j], tonumber(all[j + 1])
      local fraud = string.sub(f, 1, 1) == 'f'
      local fh, lh
      if fraud then
        local sep = string.find(f, ':', 3, true)
        fh, lh = tonumber(string.sub(f, 3, sep - 1)), tonumber(string.sub(f, sep + 1))
      else
        fh = tonumber(string.sub(f, 3))
      end
      if fh <= h - retained then
        redis.call('HDEL', tk, f)
      elseif fh <= e and not (fraud and lh >= h) then
        local base = fraud and 10 or 7
        for w = 1, 3 do
          if fh > e - W[w] then raw[base + w] = raw[base + w] + v end
        end
      end
    end
    redis.call('HINCRBY', tk, 'n:' .. h, 1)
    redis.call('EXPIRE', tk, ttl)
    local pk = p .. 'p:' .. cid .. ':' .. tid
    redis.call('HINCRBY', pk, 'n:' .. h, 1)
    all = redis.call('HGETALL', pk)
    for j = 1, #all, 2 do
      local fh = tonumber(string.sub(all[j], 3))
      if fh <= h - 720 then
        redis.call('HDEL', pk, all[j])
      elseif fh <= h then
        raw[14] = raw[14] + tonumber(all[j + 1])
      end
    end
    redis.call('EXPIRE', pk, ttl)
    redis.call('SET', vkey, table.concat(raw, ','), 'EX', seenTtl)
  end
  for k = 1, 15 do out[#out + 1] = raw[k] end
end
return out
`;

const LABELS = `
local p, ttl = ARGV[1], ARGV[2]
for b = 2, #ARGV - 1, 4 do
  if redis.call('SET', p .. 'l:' .. ARGV[b + 1], 1, 'NX', 'EX', ttl) then
    local tk = p .. 't:' .. ARGV[b + 2]
    redis.call('HINCRBY', tk, 'f:' .. ARGV[b + 3] .. ':' .. ARGV[b + 4], 1)
    redis.call('EXPIRE', tk, ttl)
  end
end
return 0
`;

type Scripted = Redis & {
  featuresRecord(...args: (string | number)[]): Promise<number[]>;
  featuresLabels(...args: (string | number)[]): Promise<number>;
};

export interface RedisStateOptions {
  labelDelayMs?: number;
  /** How long a transaction's raw sums stay for the other model version (wall clock), default 6 h. */
  seenTtlSeconds?: number;
}

export class RedisState implements FeatureState {
  readonly #redis: Scripted;
  readonly #prefix: string;
  readonly #shift: number;
  readonly #retained: number;
  readonly #keyTtl: number;
  readonly #seenTtl: number;

  constructor(redis: Redis, keyPrefix: string, opts: RedisStateOptions = {}) {
    const delay = opts.labelDelayMs ?? DEFAULT_LABEL_DELAY_MS;
    this.#prefix = keyPrefix;
    this.#shift = terminalShiftHours(delay);
    this.#retained = retainedHours(delay);
    this.#keyTtl = (this.#retained + 24) * 3600;
    this.#seenTtl = opts.seenTtlSeconds ?? 6 * 3600;
    if (!('featuresRecord' in redis)) {
      redis.defineCommand('featuresRecord', { numberOfKeys: 0, lua: RECORD });
      redis.defineCommand('featuresLabels', { numberOfKeys: 0, lua: LABELS });
    }
    this.#redis = redis as Scripted;
  }

  async record(txs: readonly TransactionMessage[]): Promise<Float64Array> {
    if (txs.length === 0) return new Float64Array(0);
    const args: (string | number)[] = [this.#prefix, this.#shift, this.#retained, this.#keyTtl, this.#seenTtl];
    for (const tx of txs) {
      args.push(tx.txId, tx.ts, hourOf(tx.ts), tx.customerId, tx.terminalId, cents(tx.amount));
    }
    const reply = await this.#redis.featuresRecord(...args);
    if (reply.length !== txs.length * RAW_WIDTH)
      throw new Error(`features: Redis returned ${reply.length} values for ${txs.length} transactions`);
    return Float64Array.from(reply, Number);
  }

  async applyLabels(labels: readonly LabelMessage[]): Promise<void> {
    const args: (string | number)[] = [this.#prefix, this.#keyTtl];
    for (const l of labels) {
      if (l.fraud) args.push(l.txId, l.terminalId, hourOf(l.txTs), hourOf(l.ts));
    }
    if (args.length > 2) await this.#redis.featuresLabels(...args);
  }
}

export const redisState = (redis: Redis, keyPrefix: string, opts?: RedisStateOptions): RedisState =>
  new RedisState(redis, keyPrefix, opts);

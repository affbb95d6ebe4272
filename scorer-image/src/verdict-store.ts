import { type Verdict, verdictChannel, verdictKey } from '@fraud-operator/transactions/wire';
import type { Redis } from 'ioredis';

/**
 * For each verdict of a batch: SET NX with its TTL, then PUBLISH it (api-image contract: SET first, PUBLISH second).
 * A retry finds the key and gets back the stored verdict, so a transaction can never have a second one. One call per
 * batch: per-verdict calls spent more of Redis's time in call overhead than in the two commands.
 * KEYS: the verdict keys; ARGV: the TTL, then each verdict's JSON and channel. Returns the stored JSON of each.
 */
const SET_ONCE = `
local ttl = ARGV[1]
local stored = {}
for i, key in ipairs(KEYS) do
  local json = ARGV[2 * i]
  if redis.call('SET', key, json, 'NX', 'EX', ttl) then
    redis.call('PUBLISH', ARGV[2 * i + 1], json)
    stored[i] = json
  else
    stored[i] = redis.call('GET', key)
  end
end
return stored
`;

/** Verdicts per script call: bounds the time one call holds Redis (~2 µs a verdict). */
const CHUNK = 500;

export interface VerdictStore {
  /** Stores each verdict once; returns, per verdict, the JSON that is stored (its own, or the earlier one). */
  putOnce(verdicts: Verdict[]): Promise<string[]>;
}

export function createVerdictStore(redis: Redis, ttlSeconds: () => number, keyPrefix = ''): VerdictStore {
  redis.defineCommand('fraudVerdictsSetOnce', { lua: SET_ONCE });
  const setOnce = (redis as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>).fraudVerdictsSetOnce!;
  return {
    async putOnce(verdicts) {
      const ttl = String(ttlSeconds());
      const calls: Promise<unknown>[] = [];
      for (let at = 0; at < verdicts.length; at += CHUNK) {
        const chunk = verdicts.slice(at, at + CHUNK);
        const keys = chunk.map((v) => keyPrefix + verdictKey(v.txId));
        const args = [ttl];
        for (const v of chunk) args.push(JSON.stringify(v), keyPrefix + verdictChannel(v.txId));
        calls.push(setOnce.call(redis, keys.length, ...keys, ...args));
      }
      const stored = (await Promise.all(calls)).flat() as unknown[];
      return stored.map((json, i) => {
        if (typeof json !== 'string') throw new Error(`verdict store: ${verdicts[i]?.txId} has no stored verdict`);
        return json;
      });
    },
  };
}

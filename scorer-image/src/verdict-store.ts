import { type Verdict, verdictChannel, verdictKey } from '@fraud-operator/transactions/wire';
import type { Redis } from 'ioredis';

/**
 * SET NX the verdict with its TTL, then PUBLISH it (api-image contract: SET first, PUBLISH second). A retry finds the
 * key and gets back the stored verdict, so a transaction can never have a second one. Returns the stored JSON.
 */
const SET_ONCE = `
local stored = redis.call('SET', KEYS[1], ARGV[1], 'NX', 'EX', ARGV[2])
if stored then
  redis.call('PUBLISH', ARGV[3], ARGV[1])
  return ARGV[1]
end
return redis.call('GET', KEYS[1])
`;

export interface VerdictStore {
  /** Stores each verdict once; returns, per verdict, the JSON that is stored (its own, or the earlier one). */
  putOnce(verdicts: Verdict[]): Promise<string[]>;
}

export function createVerdictStore(redis: Redis, ttlSeconds: () => number, keyPrefix = ''): VerdictStore {
  redis.defineCommand('fraudVerdictSetOnce', { numberOfKeys: 1, lua: SET_ONCE });
  return {
    async putOnce(verdicts) {
      if (verdicts.length === 0) return [];
      const pipeline = redis.pipeline();
      for (const v of verdicts) {
        const json = JSON.stringify(v);
        (pipeline as unknown as Record<string, (...a: unknown[]) => void>).fraudVerdictSetOnce?.(
          keyPrefix + verdictKey(v.txId),
          json,
          String(ttlSeconds()),
          keyPrefix + verdictChannel(v.txId),
        );
      }
      const results = await pipeline.exec();
      if (results === null) throw new Error('verdict store: pipeline aborted');
      return results.map(([err, value], i) => {
        if (err) throw new Error(`verdict store: writing ${verdicts[i]?.txId} failed: ${err.message}`);
        return String(value);
      });
    },
  };
}

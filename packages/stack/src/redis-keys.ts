/** The slice of an ioredis client that key clean-up needs (the stack package does not depend on ioredis). */
interface KeyClient {
  scan(cursor: string, match: 'MATCH', pattern: string, count: 'COUNT', n: number): Promise<[string, string[]]>;
  del(...keys: string[]): Promise<number>;
}

/** Deletes every key matching `pattern` with SCAN (never KEYS): what tests and benches leave behind. Returns how many it deleted. */
export async function deleteKeys(redis: KeyClient, pattern: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 10_000);
    cursor = next;
    if (keys.length > 0) deleted += await redis.del(...keys);
  } while (cursor !== '0');
  return deleted;
}

import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { loadStackEnv } from '../src/env.ts';

const env = loadStackEnv();
const prefix = `proof:${randomUUID()}:`;
const clients: Redis[] = [];

afterAll(async () => {
  for (const redis of clients) {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  }
});

describe.each([
  { role: "the feature state's", url: env.REDIS_URL },
  { role: "the verdicts'", url: env.VERDICT_REDIS_URL },
])('Redis, $role (a private instance)', ({ url }) => {
  it('round-trips strings, counters, hashes and a pipeline, and honours NX and TTL', async () => {
    const redis = new Redis(url, { lazyConnect: true });
    clients.push(redis);
    await redis.connect();
    expect(await redis.ping()).toBe('PONG');
    await redis.set(`${prefix}s`, 'value');
    expect(await redis.get(`${prefix}s`)).toBe('value');
    expect(await redis.set(`${prefix}s`, 'other', 'NX')).toBeNull();
    await redis.hset(`${prefix}h`, { a: '1', b: '2' });
    expect(await redis.hgetall(`${prefix}h`)).toEqual({ a: '1', b: '2' });
    const pipe = redis.pipeline();
    for (let i = 0; i < 1000; i++) pipe.incr(`${prefix}n`);
    await pipe.exec();
    expect(await redis.get(`${prefix}n`)).toBe('1000');
    await redis.set(`${prefix}t`, 'x', 'PX', 50);
    await new Promise((r) => setTimeout(r, 120));
    expect(await redis.get(`${prefix}t`)).toBeNull();
  });
});

describe('the two Redis', () => {
  it('are separate servers', async () => {
    expect(env.VERDICT_REDIS_URL).not.toBe(env.REDIS_URL);
    const [features, verdicts] = [new Redis(env.REDIS_URL), new Redis(env.VERDICT_REDIS_URL)];
    clients.push(features, verdicts);
    await features.set(`${prefix}only-here`, '1');
    expect(await verdicts.exists(`${prefix}only-here`)).toBe(0);
    const runId = (info: string) => /run_id:(\w+)/.exec(info)?.[1];
    expect(runId(await features.info('server'))).not.toBe(runId(await verdicts.info('server')));
  });
});

import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { loadStackEnv } from '../src/env.ts';

const redis = new Redis(loadStackEnv().REDIS_URL, { lazyConnect: true });
const prefix = `proof:${randomUUID()}:`;

afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

describe('Redis (a private instance)', () => {
  it('round-trips strings, counters, hashes and a pipeline, and honours NX and TTL', async () => {
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

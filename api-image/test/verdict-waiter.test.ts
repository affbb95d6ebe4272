// The wait without polling, against the real Redis: SUBSCRIBE, then GET, so no verdict slips between the two.
import { randomBytes } from 'node:crypto';
import { loadStackEnv } from '@fraud-operator/stack/env';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVerdictWaiter, type VerdictWaiter, verdictChannel } from '../src/verdict-waiter.ts';

let redis: Redis;
let subscriber: Redis;
let waiter: VerdictWaiter;
const prefix = `waiter-${randomBytes(4).toString('hex')}`;
let n = 0;
const id = () => `${prefix}-${n++}`;

beforeAll(() => {
  const { REDIS_URL } = loadStackEnv();
  redis = new Redis(REDIS_URL);
  subscriber = new Redis(REDIS_URL);
  waiter = createVerdictWaiter(redis, subscriber);
});
afterAll(async () => {
  const keys = await redis.keys(`verdict:${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  await Promise.all([redis.quit(), subscriber.quit()]);
});

describe('verdict waiter', () => {
  it('sees a verdict stored before it subscribed, though never published to it', async () => {
    const tx = id();
    await redis.set(`verdict:${tx}`, '{"txId":"early"}', 'EX', 60);
    const started = Date.now();
    expect(await waiter.wait(tx, 2000)).toBe('{"txId":"early"}');
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('wakes every waiter of a txId on one message, then unsubscribes', async () => {
    const tx = id();
    const both = Promise.all([waiter.wait(tx, 2000), waiter.wait(tx, 2000)]);
    setTimeout(() => void redis.publish(verdictChannel(tx), '{"txId":"late"}'), 100);
    expect(await both).toEqual(['{"txId":"late"}', '{"txId":"late"}']);
    expect(waiter.waiting).toBe(0);
    const open = () => redis.call('PUBSUB', 'CHANNELS', `verdicts:${prefix}*`) as Promise<string[]>;
    const deadline = Date.now() + 5_000;
    while ((await open()).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(await open()).toEqual([]);
  });

  it('serves 300 concurrent waits on batched subscriptions, and a re-wait in the turn of its unsubscribe', async () => {
    const txs = Array.from({ length: 300 }, () => id());
    const all = Promise.all(txs.map((tx) => waiter.wait(tx, 3000)));
    await new Promise((r) => setTimeout(r, 200));
    for (const tx of txs) void redis.publish(verdictChannel(tx), `{"txId":"${tx}"}`);
    expect(await all).toEqual(txs.map((tx) => `{"txId":"${tx}"}`));

    // The UNSUBSCRIBE of the first wait and the SUBSCRIBE of the second are queued in one turn: order matters.
    const tx = id();
    const second = waiter.wait(tx, 3000).then(() => waiter.wait(tx, 3000));
    await new Promise((r) => setTimeout(r, 200));
    void redis.publish(verdictChannel(tx), '"first"');
    await new Promise((r) => setTimeout(r, 300));
    void redis.publish(verdictChannel(tx), '"second"');
    expect(await second).toBe('"second"');
  });

  it('returns null after its deadline, on abort, and when closed', async () => {
    const started = Date.now();
    expect(await waiter.wait(id(), 150)).toBeNull();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    const abort = new AbortController();
    const aborted = waiter.wait(id(), 5000, abort.signal);
    abort.abort();
    expect(await aborted).toBeNull();
    const other = createVerdictWaiter(redis, subscriber);
    const held = other.wait(id(), 5000);
    other.close();
    expect(await held).toBeNull();
  });
});

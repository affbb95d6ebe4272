import { openProducer, type Producer } from '@fraud-operator/kafka/producer';
import { freePort } from '@fraud-operator/stack/ports';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChildScorer, isReady, spawnScorer } from '../child-scorer.ts';
import { createWorld, makeTx, readTopic, type TestWorld, waitFor, writeConfig } from '../harness.ts';

/** Two instances of one version at 2,000 tx/s; one gets SIGKILL mid-load. Counted, not eyeballed. */
describe('SIGKILL of one of two instances under load', () => {
  let world: TestWorld;
  let producer: Producer;
  let redis: Redis;
  const scorers: ChildScorer[] = [];
  const RATE = 2000;
  const SECONDS = 8;
  const TOTAL = RATE * SECONDS;

  beforeAll(async () => {
    world = await createWorld('sigkill');
    redis = new Redis(world.env.REDIS_URL);
    producer = await openProducer({ brokers: world.env.KAFKA_BROKERS.split(','), clientId: world.id });
  });
  afterAll(async () => {
    for (const s of scorers) s.kill();
    await producer?.close();
    const keys = await redis.keys(`${world.id}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    await world?.cleanup();
  });

  it('loses nothing, doubles nothing, and is back to full rate within 15 s', async () => {
    const config = writeConfig(world, 'v1', 'primary');
    for (let i = 0; i < 2; i++)
      scorers.push(spawnScorer(world, config, await freePort(), { SCORER_GROUP_ID: `${world.id}-v1` }));
    await waitFor(
      'both ready',
      async () => (await Promise.all(scorers.map((s) => isReady(s.port)))).every(Boolean),
      60_000,
    );
    const T0 = Date.UTC(2026, 0, 1);
    const prefix = `${world.id}:verdict:`;
    let killedAt = 0;
    const tick = 50;
    const perTick = (RATE * tick) / 1000;
    const start = Date.now();
    for (let i = 0; i < TOTAL; i += perTick) {
      const msgs = [];
      for (let j = i; j < i + perTick; j++)
        msgs.push({ key: `c${j % 97}`, value: JSON.stringify(makeTx(world, j, T0 + j)) });
      await producer.send(world.topics.transactions, msgs);
      if (killedAt === 0 && i >= TOTAL / 4) {
        scorers[0]?.kill();
        killedAt = Date.now();
      }
      const wait = start + ((i + perTick) / RATE) * 1000 - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    // full rate again: the survivor has caught up with everything produced, the 6 s after the kill included
    await waitFor(`all ${TOTAL} verdicts`, async () => (await redis.keys(`${prefix}*`)).length >= TOTAL, 60_000);
    const recoveredAfterMs = Date.now() - killedAt;
    const values = await redis.mget(...Array.from({ length: TOTAL }, (_, i) => `${prefix}${world.id}-tx-${i}`));
    const missing = values.filter((v) => v == null).length;
    const topic = await readTopic(world, world.topics.verdicts, TOTAL, 30_000);
    const published = new Map<string, Set<string>>();
    for (const m of topic) published.set(m.key, (published.get(m.key) ?? new Set()).add(m.value));
    const doubled = [...published.values()].filter((s) => s.size > 1).length;
    expect({ missing, doubled, onTopic: published.size }).toEqual({ missing: 0, doubled: 0, onTopic: TOTAL });
    expect(recoveredAfterMs).toBeLessThan(15_000);
    console.log(JSON.stringify({ recoveredAfterMs, redelivered: topic.length - TOTAL }));
    expect(await scorers[1]?.stop()).toBe(0);
  });
});

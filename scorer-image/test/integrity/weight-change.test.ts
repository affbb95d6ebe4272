import { openProducer, type Producer } from '@fraud-operator/kafka/producer';
import { freePort } from '@fraud-operator/stack/ports';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthoritySchedule, authoritativeVersion } from '../../src/config.ts';
import { type ChildScorer, isReady, spawnScorer } from '../child-scorer.ts';
import { createWorld, makeTx, readTopic, type TestWorld, waitFor, writeConfig } from '../harness.ts';

/**
 * Two versions score every transaction while the operator moves the canary weight 0 → 10 → 50 → 100. Each change is
 * pinned to a future event time and appended while load runs; the two scorers see the file change at different wall
 * times. Counted: every transaction has exactly one authoritative verdict, from the version the schedule names.
 */
describe('weight changes under load', () => {
  let world: TestWorld;
  let producer: Producer;
  let redis: Redis;
  const scorers: ChildScorer[] = [];
  const T0 = Date.UTC(2026, 0, 1);
  const TOTAL = 8000;
  const RATE_PER_S = 1000;

  beforeAll(async () => {
    world = await createWorld('weights');
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

  it('gives every transaction exactly one authoritative verdict', async () => {
    // event time of tx i is T0 + i ms; the operator's steps, announced before load reaches them
    const announced: AuthoritySchedule[] = [
      { stableVersion: 'v1', canaryVersion: 'v2', steps: [{ from: T0, weight: 0 }], coveredUntil: T0 + 2000 },
      {
        stableVersion: 'v1',
        canaryVersion: 'v2',
        steps: [
          { from: T0, weight: 0 },
          { from: T0 + 2000, weight: 10 },
        ],
        coveredUntil: T0 + 4000,
      },
      {
        stableVersion: 'v1',
        canaryVersion: 'v2',
        steps: [
          { from: T0, weight: 0 },
          { from: T0 + 2000, weight: 10 },
          { from: T0 + 4000, weight: 50 },
        ],
        coveredUntil: T0 + 6000,
      },
      {
        stableVersion: 'v1',
        canaryVersion: 'v2',
        steps: [
          { from: T0, weight: 0 },
          { from: T0 + 2000, weight: 10 },
          { from: T0 + 4000, weight: 50 },
          { from: T0 + 6000, weight: 100 },
        ],
        coveredUntil: T0 + 60_000,
      },
    ];
    const final = announced[3] as AuthoritySchedule;
    const paths = {
      v1: writeConfig(world, 'v1', 'canary', announced[0]),
      v2: writeConfig(world, 'v2', 'canary', announced[0]),
    };
    for (const v of ['v1', 'v2'] as const) {
      scorers.push(spawnScorer(world, paths[v], await freePort(), { SCORER_GROUP_ID: `${world.id}-${v}` }));
    }
    await waitFor(
      'both scorers ready',
      async () => (await Promise.all(scorers.map((s) => isReady(s.port)))).every(Boolean),
      60_000,
    ).catch((err) => {
      throw new Error(`${err.message}\n${scorers.map((s) => s.output()).join('\n')}`);
    });

    const batch = 100;
    for (let i = 0; i < TOTAL; i += batch) {
      const msgs = [];
      for (let j = i; j < i + batch; j++)
        msgs.push({ key: `c${j % 97}`, value: JSON.stringify(makeTx(world, j, T0 + j)) });
      await producer.send(world.topics.transactions, msgs);
      const step = Math.floor(i / 2000);
      // the operator moves on a quarter of a phase after load entered it; v2 learns 300 ms after v1
      if (i % 2000 === 500 && step + 1 < announced.length) {
        writeConfig(world, 'v1', 'canary', announced[step + 1]);
        setTimeout(() => writeConfig(world, 'v2', 'canary', announced[step + 1]), 300);
      }
      await new Promise((r) => setTimeout(r, (batch / RATE_PER_S) * 1000));
    }

    const prefix = `${world.id}:verdict:`;
    await waitFor(`${TOTAL} verdicts`, async () => (await redis.keys(`${prefix}*`)).length >= TOTAL, 90_000);
    const v1 = await readTopic(world, `${world.topics.scores}.v1`, TOTAL, 60_000);
    const v2 = await readTopic(world, `${world.topics.scores}.v2`, TOTAL, 60_000);
    const claims = new Map<string, Set<string>>();
    for (const r of [...v1, ...v2]) {
      const rec = JSON.parse(r.value) as { txId: string; modelVersion: string; authoritative: boolean };
      if (!rec.authoritative) continue;
      const set = claims.get(rec.txId) ?? new Set<string>();
      set.add(rec.modelVersion);
      claims.set(rec.txId, set);
    }
    let missing = 0;
    let doubled = 0;
    let wrongVersion = 0;
    const canaryByPhase = [0, 0, 0, 0];
    const values = await redis.mget(...Array.from({ length: TOTAL }, (_, i) => `${prefix}${world.id}-tx-${i}`));
    for (let i = 0; i < TOTAL; i++) {
      const txId = `${world.id}-tx-${i}`;
      const claimers = claims.get(txId)?.size ?? 0;
      if (claimers === 0) missing++;
      if (claimers > 1) doubled++;
      const stored = values[i];
      if (stored == null) {
        missing++;
        continue;
      }
      const version = JSON.parse(stored).modelVersion as string;
      if (version !== authoritativeVersion(final, txId, T0 + i)) wrongVersion++;
      if (version === 'v2') canaryByPhase[Math.floor(i / 2000)] = (canaryByPhase[Math.floor(i / 2000)] ?? 0) + 1;
    }
    expect({ missing, doubled, wrongVersion }).toEqual({ missing: 0, doubled: 0, wrongVersion: 0 });
    expect(v1.length).toBeGreaterThanOrEqual(TOTAL);
    expect(v2.length).toBeGreaterThanOrEqual(TOTAL);
    expect(canaryByPhase[0]).toBe(0);
    expect(canaryByPhase[1]).toBeGreaterThan(100);
    expect(canaryByPhase[1]).toBeLessThan(320);
    expect(canaryByPhase[2]).toBeGreaterThan(850);
    expect(canaryByPhase[2]).toBeLessThan(1150);
    expect(canaryByPhase[3]).toBe(2000);
    for (const s of scorers) expect(await s.stop()).toBe(0);
  });
});

import { openProducer, type Producer } from '@fraud-operator/kafka/producer';
import { deleteKeys } from '@fraud-operator/stack/redis-keys';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Scorer, startScorer } from '../../src/app.ts';
import { createWorld, makeTx, readTopic, type TestWorld, waitFor, writeConfig } from '../harness.ts';

/** 100,000 fuzzed messages: the scorer never crashes and accounts for every one (a verdict or a dead letter). */
describe('fuzzed input', () => {
  let world: TestWorld;
  let producer: Producer;
  let redis: Redis;
  let scorer: Scorer | undefined;
  const TOTAL = Number(process.env.FUZZ_TOTAL ?? 100_000);

  beforeAll(async () => {
    world = await createWorld('fuzz');
    redis = new Redis(world.env.REDIS_URL);
    producer = await openProducer({ brokers: world.env.KAFKA_BROKERS.split(','), clientId: world.id });
  });
  afterAll(async () => {
    await scorer?.close();
    await producer?.close();
    await deleteKeys(redis, `${world.id}:*`);
    redis.disconnect();
    await world?.cleanup();
  });

  it('scores the valid ones and dead-letters the rest, with no crash', { timeout: 180_000 }, async () => {
    let seed = 42;
    const rand = () => {
      seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
      return seed / 2 ** 32;
    };
    const T0 = Date.UTC(2026, 0, 1);
    const oddities: unknown[] = [
      null,
      true,
      -1,
      1e308,
      Number.NaN,
      '',
      'x'.repeat(300),
      [],
      {},
      { a: 1 },
      '💳',
      -0.0001,
      2 ** 60,
    ];
    const fields = ['txId', 'ts', 'customerId', 'terminalId', 'amount'] as const;
    let valid = 0;
    const seen = { dead: 0 };
    for (let i = 0; i < TOTAL; i += 5000) {
      const msgs = [];
      for (let j = i; j < i + 5000; j++) {
        const tx: Record<string, unknown> = { ...makeTx(world, j, T0 + j) };
        const r = rand();
        let value: string;
        if (r < 0.5) {
          value = JSON.stringify(tx);
          valid++;
        } else if (r < 0.7) {
          const f = fields[Math.floor(rand() * fields.length)] as string;
          tx[f] = oddities[Math.floor(rand() * oddities.length)];
          if (f === 'txId') tx.txId = undefined;
          value = JSON.stringify(tx);
        } else if (r < 0.85) {
          const s = JSON.stringify(tx);
          value = s.slice(0, Math.floor(rand() * (s.length - 1)));
        } else {
          value = Buffer.from(Array.from({ length: Math.floor(rand() * 64) }, () => Math.floor(rand() * 256))).toString(
            'latin1',
          );
        }
        msgs.push({ key: `k${j % 97}`, value });
      }
      await producer.send(world.topics.transactions, msgs);
    }
    scorer = await startScorer({
      configPath: writeConfig(world, 'v1', 'primary'),
      brokers: world.env.KAFKA_BROKERS.split(','),
      redisUrl: world.env.REDIS_URL,
      s3: {
        endpoint: world.env.S3_ENDPOINT,
        region: world.env.S3_REGION,
        accessKeyId: world.env.S3_ACCESS_KEY_ID,
        secretAccessKey: world.env.S3_SECRET_ACCESS_KEY,
      },
      log: pino({ level: process.env.FUZZ_LOG ?? 'silent' }),
      port: 0,
      groupId: `${world.id}-v1`,
      redisKeyPrefix: `${world.id}:`,
    });
    const counted = async (): Promise<{ verdicts: number; dead: number }> => {
      const m = await (await fetch(`http://127.0.0.1:${scorer?.port}/metrics`)).text();
      const num = (re: RegExp) => Number(re.exec(m)?.[1] ?? 0);
      return {
        verdicts: num(/scorer_transactions_total\{outcome="authoritative",model_version="v1"\} (\d+)/),
        dead: num(/scorer_dead_letters_total\{model_version="v1"\} (\d+)/),
      };
    };
    let progress = {};
    await waitFor(
      'every message accounted for',
      async () => {
        const c = await counted();
        progress = c;
        return c.verdicts + c.dead >= TOTAL;
      },
      90_000,
    ).catch((err) => {
      throw new Error(`${err.message}: ${JSON.stringify(progress)}`);
    });
    const c = await counted();
    expect(c.verdicts + c.dead).toBe(TOTAL);
    // a mutated field can still be valid (e.g. amount 2^60 is refused, -0.0001 refused, '' id refused, but 'x' ids pass)
    expect(c.verdicts).toBeGreaterThanOrEqual(valid);
    seen.dead = (await readTopic(world, world.topics.deadLetters, c.dead, 60_000)).length;
    expect(seen.dead).toBe(c.dead);
    expect(scorer.ready()).toBe(true);
  });
});

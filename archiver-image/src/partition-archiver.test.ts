import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createMetrics } from './metrics.ts';
import type { CompletedObject, ObjectStart } from './open-object.ts';
import { type ArchiveRecord, PartitionArchiver, type WritableObject } from './partition-archiver.ts';

const HOUR = 3_600_000;

/** An in-memory object: enough to test the cut and commit logic, no S3 and no crypto. */
class MemoryObject implements WritableObject {
  readonly key: string;
  readonly openedAtMs: number;
  lines: string[] = [];
  state: 'open' | 'complete' | 'aborted' = 'open';
  private readonly start: ObjectStart;
  constructor(start: ObjectStart, now: number) {
    this.start = start;
    this.key = `p${start.partition}/w${start.windowStart}/o${start.firstOffset}`;
    this.openedAtMs = now;
  }
  get nextOffset() {
    return this.start.firstOffset + this.lines.length;
  }
  get windowStart() {
    return this.start.windowStart;
  }
  get plaintextBytes() {
    return this.lines.join('').length;
  }
  get shouldDrain() {
    return false;
  }
  add(line: string) {
    this.lines.push(line);
  }
  async drain() {}
  async complete(): Promise<CompletedObject> {
    this.state = 'complete';
    const lastOffset = this.nextOffset - 1;
    return {
      key: this.key,
      firstOffset: this.start.firstOffset,
      lastOffset,
      records: this.lines.length,
      plaintextBytes: 0,
      bytes: 0,
      parts: 1,
    };
  }
  async abort() {
    this.state = 'aborted';
  }
}

function harness(limits = { objectMaxBytes: 10_000, objectMaxAgeMs: 60_000 }) {
  let now = 0;
  const objects: MemoryObject[] = [];
  const commits: number[] = [];
  let owned = true;
  let generation = 1;
  let failCommits = false;
  const fatal: unknown[] = [];
  const archiver = new PartitionArchiver({
    topic: 't',
    partition: 0,
    windowMs: HOUR,
    ...limits,
    now: () => now,
    openObject: async (start) => {
      const o = new MemoryObject(start, now);
      objects.push(o);
      return o;
    },
    commit: async (next) => {
      if (failCommits) throw new Error('NOT_COORDINATOR');
      commits.push(next);
    },
    owned: () => owned,
    generation: () => generation,
    fatal: (err) => void fatal.push(err),
    commitRetry: { sleep: async () => undefined },
    log: pino({ level: 'silent' }),
    metrics: createMetrics(),
  });
  return {
    archiver,
    objects,
    commits,
    advance: (ms: number) => {
      now += ms;
    },
    disown: () => {
      owned = false;
    },
    failCommits: () => {
      failCommits = true;
    },
    rebalance: () => {
      generation++;
    },
    fatal,
  };
}

/** Event times are hours into 2026-01-05 (a plausible day: see isPlausibleEventTime). */
const BASE = Date.UTC(2026, 0, 5);
const tx = (offset: number, sinceBase: number): ArchiveRecord => ({
  offset,
  timestamp: BASE + sinceBase,
  value: Buffer.from(
    JSON.stringify({ txId: `t${offset}`, ts: BASE + sinceBase, customerId: 'c', terminalId: 'd', amount: 1 }),
  ),
});

describe('PartitionArchiver', () => {
  it('starts a new object when a record of a later window arrives, committing only completed objects', async () => {
    const h = harness();
    await h.archiver.append([tx(0, 10), tx(1, 20), tx(2, HOUR + 5), tx(3, 30)]);
    expect(h.objects.map((o) => [o.key, o.state])).toEqual([
      [`p0/w${BASE}/o0`, 'complete'],
      [`p0/w${BASE + HOUR}/o2`, 'open'],
    ]);
    // The late record (offset 3, first window) stays in the open object: one contiguous range per object.
    expect(h.objects[1]!.lines.map((l) => l.split(',')[0])).toEqual(['2', '3']);
    expect(h.commits).toEqual([2]);
  });

  it('completes on the size cap and on the age cap, and at shutdown', async () => {
    const h = harness({ objectMaxBytes: 40, objectMaxAgeMs: 5000 });
    await h.archiver.append([tx(0, 1), tx(1, 2), tx(2, 3)]);
    expect(h.commits).toEqual([2]);
    await h.archiver.completeIfDue();
    expect(h.commits).toEqual([2]);
    h.advance(5000);
    await h.archiver.completeIfDue();
    expect(h.commits).toEqual([2, 3]);
    await h.archiver.append([tx(3, 4)]);
    await h.archiver.flush('shutdown');
    expect(h.commits).toEqual([2, 3, 4]);
  });

  it('keeps a malformed record (base64) so no offset is skipped', async () => {
    const h = harness();
    await h.archiver.append([tx(0, 1), { offset: 1, timestamp: 5, value: Buffer.from('{oops') }, tx(2, 3)]);
    expect(h.objects[0]!.lines[1]).toBe(`1,,,,,,${Buffer.from('{oops').toString('base64')}\n`);
    await h.archiver.flush('shutdown');
    expect(h.commits).toEqual([3]);
  });

  it('lets the Kafka timestamp choose the window of an absurd event time, and keeps the row as it is', async () => {
    const h = harness();
    const now = Date.UTC(2026, 0, 5, 10, 30);
    const value = Buffer.from(
      JSON.stringify({ txId: 'a', ts: 32_503_680_000_000, customerId: 'c', terminalId: 'd', amount: 1 }),
    );
    await h.archiver.append([{ offset: 0, timestamp: now, value }]);
    expect(h.objects[0]!.windowStart).toBe(Date.UTC(2026, 0, 5, 10));
    expect(h.objects[0]!.lines[0]).toContain(',32503680000000,');
  });

  it('discards the open object when offsets jump back (redelivery after a rebalance)', async () => {
    const h = harness();
    await h.archiver.append([tx(0, 1), tx(1, 2), tx(2, 3)]);
    await h.archiver.append([tx(0, 1), tx(1, 2)]);
    expect(h.objects.map((o) => o.state)).toEqual(['aborted', 'open']);
    expect(h.objects[1]!.key).toBe(h.objects[0]!.key);
    expect(h.commits).toEqual([]);
  });

  it('neither completes nor commits once the partition is no longer owned', async () => {
    const h = harness();
    await h.archiver.append([tx(0, 1)]);
    h.disown();
    await h.archiver.flush('shutdown');
    expect(h.objects[0]!.state).toBe('aborted');
    expect(h.commits).toEqual([]);
  });

  it('a commit that keeps failing is fatal, unless a rebalance explains it', async () => {
    const h = harness();
    await h.archiver.append([tx(0, 1)]);
    h.failCommits();
    h.rebalance();
    await h.archiver.flush('shutdown');
    expect(h.fatal).toEqual([]);
    await h.archiver.append([tx(1, 2)]);
    await expect(h.archiver.flush('shutdown')).rejects.toThrow(/commit 2: gave up after 5 attempts/);
    expect(h.fatal.length).toBe(1);
  });

  it('serialises work on a partition', async () => {
    const h = harness();
    const order: number[] = [];
    await Promise.all([
      h.archiver.run(async () => {
        await new Promise((r) => setTimeout(r, 20));
        order.push(1);
      }),
      h.archiver.run(async () => void order.push(2)),
    ]);
    expect(order).toEqual([1, 2]);
  });
});

import { describe, expect, it } from 'vitest';
import { WorkQueue } from './work-queue.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('WorkQueue', () => {
  it('never runs one key twice at once, and re-runs a key added while it was in flight', async () => {
    let concurrent = 0;
    let maxConcurrent = 0;
    let runs = 0;
    const q = new WorkQueue({
      workers: 4,
      handler: async () => {
        concurrent += 1;
        maxConcurrent = Math.max(maxConcurrent, concurrent);
        runs += 1;
        await sleep(20);
        concurrent -= 1;
        return undefined;
      },
    });
    q.add('ns/a');
    await sleep(5);
    for (let i = 0; i < 10; i++) q.add('ns/a');
    await sleep(5);
    await q.idle();
    expect(maxConcurrent).toBe(1);
    expect(runs).toBe(2);
  });

  it('collapses adds of a queued key (a and b are in flight when re-added, c waits in the queue) and runs keys in parallel', async () => {
    const seen: string[] = [];
    let concurrent = 0;
    let maxConcurrent = 0;
    const q = new WorkQueue({
      workers: 2,
      handler: async (key) => {
        concurrent += 1;
        maxConcurrent = Math.max(maxConcurrent, concurrent);
        seen.push(key);
        await sleep(10);
        concurrent -= 1;
        return undefined;
      },
    });
    for (const k of ['a', 'b', 'a', 'b', 'c', 'c']) q.add(k);
    await q.idle();
    expect(seen.sort()).toEqual(['a', 'a', 'b', 'b', 'c']);
    expect(maxConcurrent).toBe(2);
  });

  it('retries a failing key with backoff and forgets the failures after a success', async () => {
    let calls = 0;
    const errors: number[] = [];
    const q = new WorkQueue({
      backoff: { baseMs: 10, capMs: 40, jitter: 0 },
      onError: (_k, _e, retry) => errors.push(retry),
      handler: async () => {
        calls += 1;
        if (calls <= 3) throw new Error('boom');
        return undefined;
      },
    });
    q.add('k');
    await sleep(200);
    expect(calls).toBe(4);
    expect(errors).toEqual([10, 20, 40]);
    expect(q.failuresOf('k')).toBe(0);
  });

  it('runs a key again when the handler asks for a requeue, and stops on shutdown', async () => {
    let calls = 0;
    const q = new WorkQueue({
      handler: async () => {
        calls += 1;
        return { requeueAfterMs: 10 };
      },
    });
    q.add('k');
    await sleep(55);
    await q.shutdown();
    const after = calls;
    expect(after).toBeGreaterThanOrEqual(3);
    await sleep(40);
    expect(calls).toBe(after);
  });
});

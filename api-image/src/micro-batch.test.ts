import { describe, expect, it } from 'vitest';
import { createMicroBatcher } from './micro-batch.ts';

/** A send whose batches we can see and settle one by one. */
function recordingSend() {
  const calls: { items: number[]; resolve(): void; reject(err: unknown): void }[] = [];
  const send = (items: number[]) =>
    new Promise<void>((resolve, reject) => {
      calls.push({ items: [...items], resolve, reject });
    });
  return { calls, send };
}

const nextTurn = () => new Promise((r) => setImmediate(r));
const state = (p: Promise<void>) => {
  const s = { settled: 'no' as 'no' | 'resolved' | 'rejected' };
  p.then(
    () => {
      s.settled = 'resolved';
    },
    () => {
      s.settled = 'rejected';
    },
  );
  return s;
};

describe('createMicroBatcher', () => {
  it('sends everything added in one turn as one batch, in order, on the next turn', async () => {
    const { calls, send } = recordingSend();
    const b = createMicroBatcher({ send, maxItems: 100, lingerMs: 0 });
    const added = [1, 2, 3, 4, 5].map((n) => b.add(n));
    expect(calls).toHaveLength(0);
    expect(b.queued).toBe(5);
    await nextTurn();
    expect(calls.map((c) => c.items)).toEqual([[1, 2, 3, 4, 5]]);
    expect(b.queued).toBe(0);
    calls[0]!.resolve();
    await Promise.all(added);
  });

  it('settles no caller before its batch is acknowledged', async () => {
    const { calls, send } = recordingSend();
    const b = createMicroBatcher({ send, maxItems: 100, lingerMs: 0 });
    const first = state(b.add(1));
    await nextTurn();
    const second = state(b.add(2));
    await nextTurn();
    expect(calls.map((c) => c.items)).toEqual([[1], [2]]);
    calls[1]!.resolve();
    await nextTurn();
    expect(first.settled).toBe('no');
    expect(second.settled).toBe('resolved');
    calls[0]!.resolve();
    await nextTurn();
    expect(first.settled).toBe('resolved');
  });

  it('sends a full batch at once, without waiting for the turn to end', async () => {
    const { calls, send } = recordingSend();
    const b = createMicroBatcher({ send, maxItems: 3, lingerMs: 0 });
    for (let n = 1; n <= 7; n++) void b.add(n);
    expect(calls.map((c) => c.items)).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    await nextTurn();
    expect(calls.map((c) => c.items)).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
  });

  it('rejects every caller of a failed batch with its error, and only those', async () => {
    const { calls, send } = recordingSend();
    const b = createMicroBatcher({ send, maxItems: 2, lingerMs: 0 });
    const failed = [b.add(1), b.add(2)];
    const ok = b.add(3);
    await nextTurn();
    const boom = new Error('broker down');
    calls[0]!.reject(boom);
    calls[1]!.resolve();
    for (const p of failed) await expect(p).rejects.toBe(boom);
    await expect(ok).resolves.toBeUndefined();
  });

  it('turns a send that throws synchronously into its batch rejecting', async () => {
    const b = createMicroBatcher<number>({
      send: () => {
        throw new TypeError('not connected');
      },
      maxItems: 10,
      lingerMs: 0,
    });
    await expect(b.add(1)).rejects.toThrow('not connected');
  });

  it('waits lingerMs for more items when set', async () => {
    const { calls, send } = recordingSend();
    const b = createMicroBatcher({ send, maxItems: 100, lingerMs: 20 });
    void b.add(1);
    await nextTurn();
    void b.add(2);
    expect(calls).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 40));
    expect(calls.map((c) => c.items)).toEqual([[1, 2]]);
  });

  it('flush sends what is queued and waits for every send in flight', async () => {
    const { calls, send } = recordingSend();
    const b = createMicroBatcher({ send, maxItems: 100, lingerMs: 1000 });
    void b.add(1);
    void b.add(2);
    const flushed = state(b.flush());
    expect(calls.map((c) => c.items)).toEqual([[1, 2]]);
    await nextTurn();
    expect(flushed.settled).toBe('no');
    calls[0]!.resolve();
    await nextTurn();
    expect(flushed.settled).toBe('resolved');
  });

  it('refuses nonsense options', () => {
    const send = async () => {};
    expect(() => createMicroBatcher({ send, maxItems: 0, lingerMs: 0 })).toThrow('maxItems');
    expect(() => createMicroBatcher({ send, maxItems: 1, lingerMs: -1 })).toThrow('lingerMs');
  });
});

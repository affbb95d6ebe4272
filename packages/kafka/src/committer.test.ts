import { describe, expect, it } from 'vitest';
import { createCommitter, type PartitionOffset } from './committer.ts';

const at = (partition: number, offset: number): PartitionOffset => ({ topic: 't', partition, offset: String(offset) });

describe('createCommitter', () => {
  it('keeps one commit in flight and sends only the latest offset of each partition that moved meanwhile', async () => {
    const sent: PartitionOffset[][] = [];
    let release: () => void = () => {};
    const committer = createCommitter(
      (positions) => {
        sent.push(positions);
        return new Promise<void>((r) => {
          release = r;
        });
      },
      () => {},
    );
    committer.request(at(0, 10));
    committer.request(at(0, 20));
    committer.request(at(1, 5));
    committer.request(at(0, 30));
    expect(sent).toEqual([[at(0, 10)]]);
    release();
    await new Promise((r) => setImmediate(r));
    expect(sent).toEqual([[at(0, 10)], [at(0, 30), at(1, 5)]]);
    release();
    await committer.flush();
    expect(sent).toHaveLength(2);
  });

  it('reports a failed commit and goes on with the next one', async () => {
    const errors: unknown[] = [];
    const sent: PartitionOffset[][] = [];
    const committer = createCommitter(
      async (positions) => {
        sent.push(positions);
        if (sent.length === 1) throw new Error('rebalance in progress');
      },
      (err) => errors.push(err),
    );
    committer.request(at(0, 1));
    await committer.flush();
    committer.request(at(0, 2));
    await committer.flush();
    expect(errors.map((e) => (e as Error).message)).toEqual(['rebalance in progress']);
    expect(sent).toEqual([[at(0, 1)], [at(0, 2)]]);
  });

  it('flush resolves at once when nothing is pending', async () => {
    const committer = createCommitter(
      async () => {},
      () => {},
    );
    await expect(committer.flush()).resolves.toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { continuityProblems, describeProblem, RowOffsetChecker } from './continuity.ts';
import { objectKey, parseObjectKey } from './object-key.ts';

describe('object keys', () => {
  it('encode topic, partition, window and first offset, and parse back', () => {
    const parts = { topic: 'transactions', partition: 7, windowStart: Date.UTC(2026, 0, 1), firstOffset: 123456 };
    const key = objectKey('archive/', parts);
    expect(key).toBe(
      'archive/transactions/partition=0007/window=20260101T000000Z/offset=00000000000000123456.csv.frar',
    );
    expect(parseObjectKey(key)).toEqual({ ...parts, prefix: 'archive/' });
    expect(parseObjectKey('archive/transactions/readme.txt')).toBeUndefined();
    expect(objectKey('', parts).startsWith('transactions/')).toBe(true);
  });

  it('sort by offset within a window, lexicographically', () => {
    const a = objectKey('p', { topic: 't', partition: 0, windowStart: 0, firstOffset: 99 });
    const b = objectKey('p', { topic: 't', partition: 0, windowStart: 0, firstOffset: 100 });
    expect([b, a].sort()).toEqual([a, b]);
  });
});

describe('continuity', () => {
  const o = (key: string, partition: number, firstOffset: number, lastOffset: number) => ({
    key,
    partition,
    firstOffset,
    lastOffset,
    records: lastOffset - firstOffset + 1,
  });

  it('accepts objects that tile the offsets, in any order', () => {
    expect(continuityProblems([o('b', 0, 10, 19), o('a', 0, 0, 9), o('c', 1, 5, 5)])).toEqual([]);
  });

  it('names the objects around a gap and both objects of an overlap', () => {
    const problems = continuityProblems([o('a', 0, 0, 9), o('b', 0, 12, 19), o('c', 0, 15, 30)]).map(describeProblem);
    expect(problems).toEqual([
      'partition 0: offsets 10..11 are in no object (between a and b)',
      'partition 0: offsets 15..19 are in two objects: b and c',
    ]);
  });

  it('checks row offsets against the trailer', () => {
    const ok = new RowOffsetChecker('k', 5);
    for (const off of [5, 6, 7]) ok.row(off);
    expect(ok.end(7, 3)).toBeUndefined();
    const dup = new RowOffsetChecker('k', 5);
    for (const off of [5, 5, 6]) dup.row(off);
    expect(dup.end(6, 3)).toBe('k: row 1 has offset 5, expected 6');
    const short = new RowOffsetChecker('k', 5);
    short.row(5);
    expect(short.end(6, 2)).toBe('k: holds 1 rows, its trailer says 2');
  });
});

import { describe, expect, it } from 'vitest';
import { driftOf } from './drift.ts';

describe('driftOf', () => {
  it.each([
    ['identical', { a: 1, b: { c: 'x' } }, { a: 1, b: { c: 'x' } }, null],
    ['server defaults and status are ignored', { spec: { a: 1 } }, { spec: { a: 1, d: 2 }, status: { r: 3 } }, null],
    ['a changed scalar', { spec: { image: 'a' } }, { spec: { image: 'b' } }, '.spec.image'],
    ['a missing field', { spec: { image: 'a' } }, { spec: {} }, '.spec.image'],
    ['a missing object', { metadata: { labels: { x: '1' } } }, { metadata: {} }, '.metadata.labels'],
    ['a removed label', { labels: { x: '1', y: '2' } }, { labels: { x: '1' } }, '.labels.y'],
    ['an extra label added by hand', { labels: { x: '1' } }, { labels: { x: '1', hand: 'y' } }, null],
    [
      'an array item edited',
      { c: [{ image: 'a' }, { image: 'b' }] },
      { c: [{ image: 'a' }, { image: 'z' }] },
      '.c[1].image',
    ],
    ['an array grown by hand', { c: [{ n: 1 }] }, { c: [{ n: 1 }, { n: 2 }] }, '.c'],
    ['an array shrunk by hand', { c: [{ n: 1 }, { n: 2 }] }, { c: [{ n: 1 }] }, '.c'],
    ['array item with defaults added', { c: [{ n: 1 }] }, { c: [{ n: 1, protocol: 'TCP' }] }, null],
    ['type change', { a: { b: 1 } }, { a: 'x' }, '.a'],
    ['number vs string', { a: 1 }, { a: '1' }, '.a'],
    ['nothing desired', undefined, { a: 1 }, null],
    ['live missing entirely', { a: 1 }, undefined, '.'],
  ])('%s', (_name, desired, live, expected) => {
    expect(driftOf(desired, live)).toBe(expected);
  });
});

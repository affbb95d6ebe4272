import { describe, expect, it } from 'vitest';
import { replicaBounds } from './replica-caps.ts';

const scaling = (minReplicas: number, maxReplicas: number) => ({ minReplicas, maxReplicas });

describe('replicaBounds', () => {
  it.each([
    ['stable alone keeps its bounds', [100], scaling(2, 8), 12, [[2, 8]]],
    ['stable alone, max above the partitions', [100], scaling(2, 8), 4, [[2, 4]]],
    [
      'shadow canary (weight 0) against stable 100',
      [100, 0],
      scaling(2, 8),
      12,
      [
        [2, 8],
        [1, 1],
      ],
    ],
    [
      'an even split',
      [50, 50],
      scaling(2, 8),
      12,
      [
        [2, 6],
        [2, 6],
      ],
    ],
    [
      'a 10 % canary',
      [90, 10],
      scaling(1, 10),
      10,
      [
        [1, 9],
        [1, 1],
      ],
    ],
    [
      'two fleets on two partitions',
      [95, 5],
      scaling(2, 2),
      2,
      [
        [1, 1],
        [1, 1],
      ],
    ],
    [
      'rounding by largest remainder',
      [67, 33],
      scaling(1, 10),
      7,
      [
        [1, 5],
        [1, 2],
      ],
    ],
    [
      'both weights 0 split equally',
      [0, 0],
      scaling(1, 4),
      5,
      [
        [1, 3],
        [1, 2],
      ],
    ],
  ])('%s', (_name, weights, s, partitions, expected) => {
    const bounds = replicaBounds(
      weights.map((weight, i) => ({ version: `v${i}`, weight })),
      s,
      partitions,
    );
    expect(bounds.map((b) => [b.minReplicas, b.maxReplicas])).toEqual(expected);
  });

  it('never lets all fleets together exceed the partitions, for any weights and bounds', () => {
    for (let partitions = 2; partitions <= 24; partitions++)
      for (let max = 1; max <= partitions; max++)
        for (let w = 0; w <= 100; w += 7) {
          const bounds = replicaBounds(
            [
              { version: 'a', weight: 100 - w },
              { version: 'b', weight: w },
            ],
            scaling(1, max),
            partitions,
          );
          const total = bounds.reduce((sum, b) => sum + b.maxReplicas, 0);
          expect(total).toBeLessThanOrEqual(partitions);
          for (const b of bounds) {
            expect(b.maxReplicas).toBeGreaterThanOrEqual(1);
            expect(b.maxReplicas).toBeLessThanOrEqual(max);
            expect(b.minReplicas).toBeLessThanOrEqual(b.maxReplicas);
          }
        }
  });

  it('refuses fewer partitions than fleets, naming the field', () => {
    expect(() =>
      replicaBounds(
        [
          { version: 'a', weight: 1 },
          { version: 'b', weight: 1 },
        ],
        scaling(1, 1),
        1,
      ),
    ).toThrow(/kafka.partitions is 1/);
  });
});

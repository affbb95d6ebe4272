import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.ts';

const policy = { baseMs: 100, capMs: 1_000, jitter: 0.5 };

describe('backoffDelay', () => {
  it.each([
    [1, 0, 100],
    [2, 0, 200],
    [4, 0, 800],
    [5, 0, 1_000],
    [60, 0, 1_000],
    [1, 1, 50],
    [3, 0.5, 300],
    [5, 1, 500],
  ])('failure %i with random %d waits %i ms', (failures, random, expected) => {
    expect(backoffDelay(failures, policy, () => random)).toBe(expected);
  });

  it('refuses a failure count below 1', () => {
    expect(() => backoffDelay(0, policy)).toThrow(/failures is 0/);
  });

  it('stays within [cap/2, cap] once capped, whatever the draw', () => {
    for (let i = 0; i < 1_000; i++) {
      const d = backoffDelay(20, policy);
      expect(d).toBeGreaterThanOrEqual(500);
      expect(d).toBeLessThanOrEqual(1_000);
    }
  });
});

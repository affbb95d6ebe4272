import { describe, expect, it } from 'vitest';
import { liveWindow } from './live-quality.ts';

const DAY = 86_400_000;

describe('liveWindow', () => {
  it('is nothing before anything was scored', () => {
    expect(liveWindow(null, 7 * DAY, 7 * DAY)).toBeNull();
  });

  it('ends the chargeback delay before the frontier and spans the given time', () => {
    const frontier = Date.UTC(2026, 11, 4);
    expect(liveWindow(frontier, 7 * DAY, 7 * DAY)).toEqual({ fromTs: frontier - 14 * DAY, toTs: frontier - 7 * DAY });
    expect(liveWindow(frontier, 0, DAY)).toEqual({ fromTs: frontier - DAY, toTs: frontier });
  });
});

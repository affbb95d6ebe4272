import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { capacityOfParts, cutAfter, cutBefore, MAX_PART_BYTES, MAX_PARTS, partSize, windowStart } from './policy.ts';

const MiB = 1024 * 1024;
const WEEK = 7 * 86_400_000;

describe('windows and cuts', () => {
  it('aligns windows to the epoch', () => {
    expect(windowStart(Date.UTC(2026, 0, 5, 13, 7), 3_600_000)).toBe(Date.UTC(2026, 0, 5, 13));
    expect(new Date(windowStart(Date.UTC(2026, 0, 5), WEEK)).getUTCDay()).toBe(4);
  });

  it('cuts before a record of a later window, keeps a late record in the open object', () => {
    const open = { windowStart: 7200_000, plaintextBytes: 10, openedAtMs: 0 };
    expect(cutBefore(open, 10_800_000)).toBe('window');
    expect(cutBefore(open, 3_600_000)).toBeUndefined();
    expect(cutBefore(open, 7200_000)).toBeUndefined();
  });

  it('cuts after the size cap or the age cap', () => {
    const limits = { objectMaxBytes: 100, objectMaxAgeMs: 1000 };
    expect(cutAfter({ windowStart: 0, plaintextBytes: 100, openedAtMs: 0 }, 10, limits)).toBe('size');
    expect(cutAfter({ windowStart: 0, plaintextBytes: 10, openedAtMs: 0 }, 1000, limits)).toBe('age');
    expect(cutAfter({ windowStart: 0, plaintextBytes: 10, openedAtMs: 0 }, 999, limits)).toBeUndefined();
  });
});

describe('adaptive part size', () => {
  it('starts at the minimum and doubles every 1000 parts, capped at 5 GiB', () => {
    expect(partSize(1, 8 * MiB)).toBe(8 * MiB);
    expect(partSize(1000, 8 * MiB)).toBe(8 * MiB);
    expect(partSize(1001, 8 * MiB)).toBe(16 * MiB);
    expect(partSize(MAX_PARTS, 8 * MiB)).toBe(Math.min(MAX_PART_BYTES, 8 * MiB * 512));
    expect(() => partSize(MAX_PARTS + 1, 8 * MiB)).toThrow(/outside 1\.\.10000/);
  });

  it('10,000 parts hold a busy week (20,000 tx/s of ~60-byte rows) with room to spare', () => {
    const week = 20_000 * 60 * 7 * 86_400;
    expect(capacityOfParts(MAX_PARTS, 5 * MiB)).toBeGreaterThan(week);
  });

  it('part sizes never shrink and never pass S3 limits', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_PARTS - 1 }), fc.integer({ min: 5, max: 64 }), (n, minMiB) => {
        const a = partSize(n, minMiB * MiB);
        const b = partSize(n + 1, minMiB * MiB);
        expect(b).toBeGreaterThanOrEqual(a);
        expect(a).toBeGreaterThanOrEqual(5 * MiB);
        expect(b).toBeLessThanOrEqual(MAX_PART_BYTES);
      }),
    );
  });
});

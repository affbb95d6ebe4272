import { describe, expect, it } from 'vitest';
import { parseQualityArgs } from './quality-command.ts';

describe('fraudctl quality arguments', () => {
  const now = Date.UTC(2026, 5, 1);
  it('defaults to the 30 days that ended 7 days ago', () => {
    expect(parseQualityArgs(['--version', 'v2'], now)).toEqual({
      version: 'v2',
      keyPrefix: '',
      fromTs: now - 37 * 86_400_000,
      toTs: now - 7 * 86_400_000,
    });
  });
  it('refuses what it cannot use, by flag', () => {
    expect(parseQualityArgs([], now)).toBe('--version is required');
    expect(parseQualityArgs(['--version', 'v', '--from', 'yesterday'], now)).toMatch(/--from must be an ISO date/);
    expect(parseQualityArgs(['--version', 'v', '--from', '2026-02-01', '--to', '2026-01-01'], now)).toBe(
      '--from must be before --to',
    );
    expect(parseQualityArgs(['--version', 'v', '--window', '3'], now)).toMatch(/Unknown option '--window'/);
  });
});

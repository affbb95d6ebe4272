import { describe, expect, it } from 'vitest';
import type { FraudModelStatusHistoryItem } from '../api/v1alpha1/index.ts';
import { SCORES_SINCE_MARGIN_MS, scoresSinceOf } from './evidence-start.ts';

const SHA_A = 'a'.repeat(64);
const SHA_B = 'b'.repeat(64);
const entry = (time: string, decision: string, version: string, sha256 = SHA_A): FraudModelStatusHistoryItem => ({
  time,
  decision,
  reason: 'r',
  version,
  sha256,
});

describe('scoresSinceOf', () => {
  const rollout = { version: 'v2', sha256: SHA_A };

  it.each<[string, FraudModelStatusHistoryItem[] | undefined, string | null]>([
    ['no history', undefined, null],
    ['no gate pass yet', [entry('2026-12-01T10:00:00Z', 'hold', 'v2')], null],
    ['the gate pass of the rollout', [entry('2026-12-01T10:00:00Z', 'gate-passed', 'v2')], '2026-12-01T10:00:00Z'],
    [
      'the latest of two passes (the version rolled out again)',
      [entry('2026-12-01T10:00:00Z', 'gate-passed', 'v2'), entry('2026-12-02T10:00:00Z', 'gate-passed', 'v2')],
      '2026-12-02T10:00:00Z',
    ],
    ['not another version', [entry('2026-12-01T10:00:00Z', 'gate-passed', 'v3')], null],
    ['not the same version with another artifact', [entry('2026-12-01T10:00:00Z', 'gate-passed', 'v2', SHA_B)], null],
    ['not an unreadable time', [entry('yesterday', 'gate-passed', 'v2')], null],
  ])('%s', (_, history, passedAt) => {
    expect(scoresSinceOf(history, rollout)).toBe(
      passedAt === null ? null : Date.parse(passedAt) - SCORES_SINCE_MARGIN_MS,
    );
  });
});

import { describe, expect, it } from 'vitest';
import { leaseDecision } from './lease-decision.ts';

const now = Date.parse('2026-01-01T00:00:30Z');
const at = (s: number) => new Date(Date.parse('2026-01-01T00:00:00Z') + s * 1000).toISOString();

describe('leaseDecision', () => {
  it.each([
    ['no lease at all', undefined, { action: 'acquire', transitions: 0 }],
    ['a lease with no holder, never renewed', { holderIdentity: '' }, { action: 'acquire', transitions: 0 }],
    [
      'a released lease (holder cleared after renewals)',
      { holderIdentity: '', renewTime: at(29), leaseTransitions: 3, leaseDurationSeconds: 15 },
      { action: 'acquire', transitions: 4 },
    ],
    ['our own lease', { holderIdentity: 'me', renewTime: at(0), leaseDurationSeconds: 15 }, { action: 'renew' }],
    [
      'another holder, renewed 10 s ago, 15 s lease',
      { holderIdentity: 'other', renewTime: at(20), leaseDurationSeconds: 15 },
      { action: 'wait', holder: 'other', expiresInMs: 5_000 },
    ],
    [
      'another holder that stopped renewing 16 s ago',
      { holderIdentity: 'other', renewTime: at(14), leaseDurationSeconds: 15, leaseTransitions: 1 },
      { action: 'acquire', transitions: 2 },
    ],
    [
      'expiring exactly now',
      { holderIdentity: 'other', renewTime: at(15), leaseDurationSeconds: 15 },
      { action: 'acquire', transitions: 1 },
    ],
    [
      'a holder with an unreadable renewTime',
      { holderIdentity: 'other', renewTime: 'soon' },
      { action: 'acquire', transitions: 1 },
    ],
  ])('%s', (_name, spec, expected) => {
    expect(leaseDecision(spec, 'me', now)).toEqual(expected);
  });
});

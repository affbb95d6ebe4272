import { describe, expect, it } from 'vitest';
import { decideReplay, fingerprint, parseRecord } from './submission.ts';

const tx = { txId: 't1', customerId: 'c1', terminalId: 'm1', amount: 12.5 };

describe('fingerprint', () => {
  it('is the same for the same transaction whatever the key order', () => {
    expect(fingerprint({ amount: 12.5, terminalId: 'm1', customerId: 'c1', txId: 't1' })).toBe(fingerprint(tx));
  });
  it('differs when any field differs', () => {
    expect(fingerprint({ ...tx, amount: 12.51 })).not.toBe(fingerprint(tx));
    expect(fingerprint({ ...tx, ts: 1_700_000_000_000 })).not.toBe(fingerprint(tx));
  });
});

describe('decideReplay', () => {
  const fp = fingerprint(tx);
  it('replays an accepted request with its original timestamp', () => {
    expect(decideReplay({ fp, state: 'accepted', ts: 42 }, fp)).toEqual({ kind: 'replay', ts: 42 });
  });
  it('says in progress while the first request still publishes', () => {
    expect(decideReplay({ fp, state: 'pending', ts: 42 }, fp)).toEqual({ kind: 'in-progress' });
  });
  it('refuses the same txId with a different transaction', () => {
    expect(decideReplay({ fp: 'other', state: 'accepted', ts: 42 }, fp)).toEqual({ kind: 'conflict' });
  });
});

describe('parseRecord', () => {
  it('refuses a malformed record', () => {
    expect(() => parseRecord('{"fp":1}')).toThrow(/malformed idempotency record/);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateTransaction } from './validate.ts';

const enc = (v: unknown): Uint8Array => new TextEncoder().encode(typeof v === 'string' ? v : JSON.stringify(v));
const good = { txId: 't1', ts: 1_700_000_000_000, customerId: 'c1', terminalId: 'm1', amount: 12.5 };

describe('validateTransaction', () => {
  it('accepts a well-formed transaction', () => {
    expect(validateTransaction(enc(good))).toEqual({ ok: true, tx: good });
  });
  it.each([
    ['{not json', 'bad JSON'],
    ['[1,2]', 'not a JSON object'],
    [{ ...good, txId: 5 }, 'txId must be a string'],
    [{ ...good, ts: '2024' }, 'ts must be an integer'],
    [{ ...good, ts: 1 }, 'outside'],
    [{ ...good, amount: -3 }, 'amount -3 outside'],
    [{ ...good, customerId: '' }, 'customerId length 0'],
  ])('rejects %j with a reason', (value, reason) => {
    const result = validateTransaction(enc(value));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain(reason);
  });
  it('rejects null and never throws on arbitrary bytes', () => {
    expect(validateTransaction(null).ok).toBe(false);
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (b) => typeof validateTransaction(b).ok === 'boolean'));
  });
});

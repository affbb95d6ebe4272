import { toLabelMessage } from '@fraud-operator/transactions/message';
import type { Transaction } from '@fraud-operator/transactions/transaction';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateLabel, validateTransaction } from './validate.ts';

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
    [{ ...good, terminalId: 'm\u00001' }, 'terminalId contains NUL'],
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

describe('validateLabel', () => {
  const tx: Transaction = {
    TRANSACTION_ID: 7,
    TX_DATETIME: 1_522_540_800_000,
    CUSTOMER_ID: 3,
    TERMINAL_ID: 9,
    TX_AMOUNT: 57.2,
    TX_FRAUD: 1,
    TX_FRAUD_SCENARIO: 2,
  };
  it('accepts the label the simulator streams (no amount: a label is not a transaction)', () => {
    const label = toLabelMessage(tx, 7 * 86_400_000);
    expect(validateLabel(enc(label))).toEqual({ ok: true, label });
  });
  it.each([
    [{ ...toLabelMessage(tx, 0), fraud: 'yes' }, 'fraud must be a boolean'],
    [{ ...toLabelMessage(tx, 0), txTs: undefined }, 'txTs must be an integer'],
    [{ ...toLabelMessage(tx, 1000), ts: tx.TX_DATETIME - 1 }, 'before txTs'],
    [{ ...toLabelMessage(tx, 0), terminalId: 4 }, 'terminalId must be a string'],
  ])('rejects %j with a reason', (value, reason) => {
    const v = validateLabel(enc(value));
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.reason).toContain(reason);
  });
});

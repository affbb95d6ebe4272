import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CSV_HEADER_LINE, csvLine, LineSplitter, parseCsvLine, parseTransaction } from './csv.ts';

describe('archive CSV', () => {
  it('has a documented header line', () => {
    expect(CSV_HEADER_LINE).toBe('offset,txId,ts,customerId,terminalId,amount,unparsed\n');
  });

  it('writes one line per transaction and reads it back, quoting where needed', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.string(),
        fc.string(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        (txId, customerId, terminalId, amount) => {
          const tx = { txId, ts: 1767571200000, customerId, terminalId, amount };
          const line = csvLine(42, tx, null);
          const split = new LineSplitter().push(line);
          expect(split.length).toBe(1);
          expect(parseCsvLine(split[0]!)).toEqual([
            '42',
            txId,
            '1767571200000',
            customerId,
            terminalId,
            String(amount),
            '',
          ]);
        },
      ),
    );
  });

  it('keeps a value that is not a transaction as base64', () => {
    const raw = Buffer.from('{"txId": 1}');
    expect(parseTransaction(raw)).toBeUndefined();
    expect(parseTransaction(null)).toBeUndefined();
    expect(csvLine(7, undefined, raw)).toBe(`7,,,,,,${raw.toString('base64')}\n`);
  });

  it('splits lines across arbitrary pieces', () => {
    const s = new LineSplitter();
    expect([...s.push('a,"x\ny"'), ...s.push(',b\nc'), ...s.push('\n')]).toEqual(['a,"x\ny",b', 'c']);
    expect(s.rest()).toBe('');
  });
});

import { describe, expect, it } from 'vitest';
import { HANDBOOK, resolveConfig } from './config.ts';
import { interleaveLabels } from './interleave.ts';
import { simulate } from './simulate.ts';

describe('interleaveLabels', () => {
  it('emits each fraud label once, delay after its transaction, in event-time order', () => {
    const config = resolveConfig(HANDBOOK, { customers: 300, days: 20 });
    const delay = 3 * 86_400_000;
    let last = -Infinity;
    const seen = new Map<number, number>();
    let labels = 0;
    let frauds = 0;
    for (const e of interleaveLabels(simulate(config, 3), delay)) {
      expect(e.ts).toBeGreaterThanOrEqual(last);
      last = e.ts;
      if (e.kind === 'transaction') {
        seen.set(e.tx.TRANSACTION_ID, e.ts);
        frauds += e.tx.TX_FRAUD;
      } else {
        labels++;
        expect(e.tx.TX_FRAUD).toBe(1);
        expect(e.ts - (seen.get(e.tx.TRANSACTION_ID) as number)).toBe(delay);
      }
    }
    expect(frauds).toBeGreaterThan(10);
    expect(labels).toBe(frauds);
  });
});

import { describe, expect, it } from 'vitest';
import { PairedJoin, parseLabelRecord, parseScoreRecord } from './paired-join.ts';

const options = { stableVersion: 'v1', canaryVersion: 'v2', labelDelayMs: 100, maxPending: 100, maxLabelled: 100 };
const score = (txId: string, ts: number, modelVersion: string, value: number) => ({
  txId,
  ts,
  modelVersion,
  score: value,
});
const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

describe('PairedJoin', () => {
  it('pairs only transactions scored by both versions, labels frauds, matures the rest after the delay', () => {
    const join = new PairedJoin(options);
    join.addScore(score('a', 10, 'v1', 0.9));
    join.addScore(score('a', 10, 'v2', 0.8));
    join.addScore(score('b', 20, 'v1', 0.1));
    join.addScore(score('b', 20, 'v2', 0.2));
    join.addScore(score('c', 30, 'v1', 0.3)); // the canary has not scored c: never in the evidence
    join.addScore(score('d', 500, 'v1', 0.3));
    join.addScore(score('d', 500, 'v2', 0.3)); // too recent to be presumed legitimate
    join.addLabel({ txId: 'a', txTs: 10, ts: 150, fraud: true });
    expect(join.window(0)).toEqual({ from: 0, labels: [1, 0], stable: [0.9, 0.1], canary: [0.8, 0.2] });
    expect(join.window(15).labels).toEqual([0]);
    expect(join.frontier()).toEqual({ stable: 500, canary: 500 });
    expect(join.stats()).toMatchObject({
      pending: 2,
      labelled: 2,
      labelledFrauds: 1,
      scores: { stable: 4, canary: 3 },
    });
  });

  it('keeps a label that arrives before the scores, and corrects a late fraud label', () => {
    const join = new PairedJoin(options);
    join.addLabel({ txId: 'x', txTs: 1, ts: 5, fraud: true });
    join.addScore(score('x', 1, 'v2', 0.7));
    join.addScore(score('x', 1, 'v1', 0.6));
    join.addScore(score('y', 2, 'v1', 0.6));
    join.addScore(score('y', 2, 'v2', 0.6));
    join.addLabel({ txId: 'z', txTs: 300, ts: 400, fraud: true });
    expect(join.window(0).labels).toEqual([1, 0]);
    join.addLabel({ txId: 'y', txTs: 2, ts: 410, fraud: true }); // later than the delay: y was presumed legitimate
    expect(join.window(0).labels).toEqual([1, 1]);
    expect(join.stats().labelledFrauds).toBe(2);
  });

  it('is bounded: evicts the oldest and counts it; ignores other versions', () => {
    const join = new PairedJoin({ ...options, maxPending: 2, maxLabelled: 2 });
    for (let i = 0; i < 5; i += 1) join.addScore(score(`p${i}`, i, 'v1', 0.5));
    expect(join.stats()).toMatchObject({ pending: 2, evictedPending: 3 });
    for (let i = 0; i < 4; i += 1) {
      join.addScore(score(`q${i}`, i, 'v1', 0.5));
      join.addScore(score(`q${i}`, i, 'v2', 0.5));
      join.addLabel({ txId: `q${i}`, txTs: i, ts: i + 1, fraud: i % 2 === 0 });
    }
    expect(join.stats()).toMatchObject({ labelled: 2, evictedLabelled: 2, labelledFrauds: 1 });
    join.addScore(score('r', 1, 'v3', 0.5));
    expect(join.stats().foreignScores).toBe(1);
  });

  it('refuses options that cannot work', () => {
    expect(() => new PairedJoin({ ...options, canaryVersion: 'v1' })).toThrow(/both v1/);
    expect(() => new PairedJoin({ ...options, labelDelayMs: -1 })).toThrow(/labelDelayMs is -1/);
  });
});

describe('parsing', () => {
  it('reads the scorer score record and the label message', () => {
    expect(parseScoreRecord(bytes({ txId: 't', ts: 1, score: 0.5, modelVersion: 'v1', authoritative: true }))).toEqual({
      txId: 't',
      ts: 1,
      score: 0.5,
      modelVersion: 'v1',
    });
    expect(
      parseLabelRecord(bytes({ txId: 't', txTs: 1, ts: 2, customerId: 'c', terminalId: 'x', fraud: true })),
    ).toEqual({
      txId: 't',
      txTs: 1,
      ts: 2,
      fraud: true,
    });
  });
  it('names what is wrong instead of throwing', () => {
    expect(parseScoreRecord(bytes({ txId: 't', ts: 1, score: null, modelVersion: 'v1' }))).toBe(
      'score of t is not finite',
    );
    expect(parseScoreRecord(new TextEncoder().encode('{'))).toMatch(/^bad JSON/);
    expect(parseScoreRecord(null)).toBe('empty message value');
    expect(parseLabelRecord(bytes({ txId: 't', txTs: 1, ts: 2, fraud: 'yes' }))).toBe('fraud of t must be a boolean');
  });
});

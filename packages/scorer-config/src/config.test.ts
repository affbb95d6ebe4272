import { describe, expect, it } from 'vitest';
import {
  type AuthoritySchedule,
  authoritativeVersion,
  authorityBucket,
  isAuthoritative,
  parseScorerConfig,
} from './config.ts';

const base = `
mode: canary
model: { uri: s3://m/v2.onnx, version: v2, sha256: abc, threshold: 0.5, featureCount: 3 }
authority:
  stableVersion: v1
  canaryVersion: v2
  coveredUntil: 5000
  steps: [{ from: 0, weight: 0 }, { from: 1000, weight: 10 }, { from: 2000, weight: 100 }]
`;

describe('scorer config', () => {
  it('parses a canary config with defaults', () => {
    const c = parseScorerConfig(base);
    expect(c.topics.scores).toBe('scores.v2');
    expect(c.authority?.steps).toHaveLength(3);
  });
  it('names the bad field', () => {
    expect(() => parseScorerConfig(base.replace('threshold: 0.5', 'threshold: 2'))).toThrow(/model.threshold/);
    expect(() => parseScorerConfig(base.replace('mode: canary', 'mode: blue'))).toThrow(/mode/);
  });
  it('gives each transaction exactly one authoritative version, for both sides', () => {
    const stable = { ...parseScorerConfig(base), model: { ...parseScorerConfig(base).model, version: 'v1' } };
    const canary = parseScorerConfig(base);
    for (let i = 0; i < 3000; i++) {
      const ts = i * 1.6;
      const a = isAuthoritative(stable, `tx${i}`, ts);
      const b = isAuthoritative(canary, `tx${i}`, ts);
      expect(a !== b).toBe(true);
    }
  });
  it('applies the weight from its event time and waits beyond coverage', () => {
    const s = parseScorerConfig(base).authority as AuthoritySchedule;
    const canaryShare = (ts: number): number => {
      let n = 0;
      for (let i = 0; i < 10_000; i++) if (authoritativeVersion(s, `t-${i}`, ts) === 'v2') n++;
      return n / 10_000;
    };
    expect(canaryShare(500)).toBe(0);
    expect(canaryShare(1500)).toBeGreaterThan(0.08);
    expect(canaryShare(1500)).toBeLessThan(0.12);
    expect(canaryShare(2500)).toBe(1);
    expect(isAuthoritative(parseScorerConfig(base), 'x', 5000)).toBeNull();
    expect(authorityBucket('abc')).toBe(authorityBucket('abc'));
  });
});

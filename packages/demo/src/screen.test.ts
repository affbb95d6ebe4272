import { describe, expect, it } from 'vitest';
import { renderFrame } from './screen.ts';

const frame = {
  elapsedMs: 125_000,
  stage: 'canarying best-1 against baseline-1',
  fraudModels: 'NAME         STABLE       CANARY   WEIGHT\ncard-fraud   baseline-1   best-1   25\n',
  sample: {
    time: '2026-11-25T11:00:00.000Z',
    txPerSec: 1012.4,
    verdictsPerSec: 1003,
    latencyP50Ms: 12,
    latencyP99Ms: 48.6,
    lag: { 'baseline-1': 120, 'best-1': null },
    canaryWeight: 25,
    stableVersion: 'baseline-1',
    canaryVersion: 'best-1',
    stablePrAuc: 0.61,
    canaryPrAuc: 0.7,
  },
  decisions: [
    { time: '2026-11-25T10:59:00Z', decision: 'hold', reason: 'WindowFilling' },
    {
      time: '2026-11-25T10:59:30Z',
      decision: 'promote-step',
      reason: 'NonInferior',
      version: 'best-1',
      weight: 25,
      apStable: 0.612,
      apCanary: 0.701,
      ciLow: 0.01,
      ciHigh: 0.15,
      frauds: 48,
    },
  ],
  totals: { transactions: 120_000, labels: 900, verdicts: 119_800, duplicates: 0 },
};

describe('renderFrame', () => {
  it('shows the resource, the traffic, the lag per fleet and the decisions without holds', () => {
    const text = renderFrame(frame);
    expect(text).toContain('02:05');
    expect(text).toContain('card-fraud   baseline-1   best-1   25');
    expect(text).toContain('in 1,012 tx/s');
    expect(text).toContain('p99 49 ms');
    expect(text).toContain('baseline-1 120   best-1 –');
    expect(text).toContain(
      '10:59:30 best-1 promote-step NonInferior w=25  AP 0.701 vs 0.612 (Δ CI 0.010..0.150, 48 frauds)',
    );
    expect(text).not.toContain('WindowFilling');
  });

  it('cuts lines to the terminal width and shows dashes before the first sample', () => {
    const text = renderFrame({ ...frame, sample: null, stage: 'x'.repeat(300) }, 80);
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    expect(text).toContain('in –   verdicts –');
  });
});

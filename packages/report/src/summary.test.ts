import { describe, expect, it } from 'vitest';
import { fixtureRun } from '../test/fixture.ts';
import { summarize } from './summary.ts';
import type { DemoRun, Sample } from './types.ts';

const sample = (seconds: number, tx: number | null, over: Partial<Sample> = {}): Sample => ({
  time: new Date(Date.UTC(2026, 0, 1, 0, 0, seconds)).toISOString(),
  txPerSec: tx,
  verdictsPerSec: tx === null ? null : tx / 2,
  latencyP50Ms: 10 + seconds,
  latencyP99Ms: 50 + seconds,
  lag: { v1: seconds * 10 },
  canaryWeight: 0,
  stableVersion: 'v1',
  canaryVersion: null,
  stablePrAuc: null,
  canaryPrAuc: null,
  ...over,
});

describe('summarize', () => {
  it('integrates rates over time, skipping gaps, and takes the worst p99 and lag', () => {
    const run: DemoRun = {
      ...fixtureRun(),
      startedAt: '2026-01-01T00:00:00.000Z',
      endedAt: '2026-01-01T00:00:30.000Z',
      samples: [sample(0, 100), sample(10, 300), sample(20, null), sample(30, 200, { stableVersion: 'v2' })],
      decisions: [],
    };
    expect(summarize(run)).toMatchObject({
      durationSeconds: 30,
      transactions: 2000,
      verdicts: 1000,
      peakTxPerSec: 300,
      meanTxPerSec: 200,
      latencyP50Ms: 25,
      worstP99Ms: 80,
      maxLag: 300,
      finalStable: 'v2',
    });
  });

  it("states each version's outcome from the last terminal decision", () => {
    expect(summarize(fixtureRun()).outcomes).toEqual([
      { version: 'v1', outcome: 'stable at start' },
      { version: 'v2', outcome: 'promoted' },
      { version: 'v3', outcome: 'rolled-back' },
    ]);
  });

  it('takes an admission, and a rollback of a canary that never had authority, as the end of a rollout', () => {
    const at = (time: string, version: string, decision: string, phase: string) => ({
      time,
      version,
      decision,
      reason: 'x',
      phase,
    });
    const run: DemoRun = {
      ...fixtureRun(),
      decisions: [
        at('2026-01-01T00:00:00Z', 'v1', 'admitted', 'Gate'),
        at('2026-01-01T00:01:00Z', 'v3', 'failed-check', 'Shadow'),
        at('2026-01-01T00:02:00Z', 'v3', 'rollback', 'RolledBack'),
      ],
    };
    expect(summarize(run).outcomes).toEqual([
      { version: 'v1', outcome: 'admitted' },
      { version: 'v2', outcome: 'not rolled out' },
      { version: 'v3', outcome: 'rolled-back' },
    ]);
  });
});

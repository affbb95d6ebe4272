import { describe, expect, it } from 'vitest';
import { fixtureRun } from '../../test/fixture.ts';
import { chartSpecs, formatTick, niceTicks, pathData } from './draw.ts';

describe('niceTicks', () => {
  it('steps by 1, 2, 2.5 or 5 × 10^k from 0 to at least the maximum', () => {
    expect(niceTicks(1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(2157)).toEqual([0, 500, 1000, 1500, 2000, 2500]);
    expect(niceTicks(100)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(niceTicks(12, 4)).toEqual([0, 5, 10, 15]);
    expect(niceTicks(0)).toEqual([0, 1]);
  });
});

describe('pathData', () => {
  it('starts a new sub-path after each gap', () => {
    const id = (v: number) => v;
    expect(
      pathData(
        [
          [0, 1],
          [1, 2],
          [2, null],
          [3, 4],
          [4, 5],
        ],
        id,
        id,
      ),
    ).toBe('M0.0,1.0L1.0,2.0M3.0,4.0L4.0,5.0');
    expect(pathData([[0, null]], id, id)).toBe('');
  });
});

describe('chartSpecs', () => {
  const specs = chartSpecs(fixtureRun());
  const byId = (id: string) => specs.find((s) => s.id === id);

  it('draws one PR curve per version and one lag line per fleet', () => {
    expect(byId('pr-curves')?.series.map((s) => s.name)).toEqual([
      expect.stringMatching(/^v1 \(baseline\) AP 0\.\d{3}$/),
      expect.stringMatching(/^v2 \(better\) AP 0\.\d{3}$/),
      expect.stringMatching(/^v3 \(degraded\) AP 0\.\d{3}$/),
    ]);
    expect(byId('lag')?.series.map((s) => s.name)).toEqual(['v1 lag', 'v2 lag', 'v3 lag']);
  });

  it('puts rates on the left axis and latency on the right, and marks every decision but holds', () => {
    const t = byId('throughput-latency');
    expect(t?.series.map((s) => `${s.name}:${s.axis}`)).toEqual([
      'tx/s in:left',
      'verdicts/s:left',
      'latency p50 (ms):right',
      'latency p99 (ms):right',
    ]);
    expect(t?.x).toEqual({ label: 'time since start', max: 720, format: 'time' });
    const canary = byId('canary');
    expect(canary?.series.map((s) => s.name)).toEqual(['canary weight (%)', 'stable PR-AUC', 'canary PR-AUC']);
    expect(canary?.markers).toHaveLength(14);
    expect(canary?.markers[0]).toEqual({ x: 20, label: 'admitted v2' });
  });

  it('gives four empty charts for a run with nothing recorded yet', () => {
    const empty = chartSpecs({ startedAt: '2026-01-01T00:00:00Z', versions: [], samples: [], decisions: [] });
    expect(empty.map((c) => [c.id, c.series.length, c.left.max])).toEqual([
      ['pr-curves', 0, 1],
      ['throughput-latency', 0, 0],
      ['canary', 0, 100],
      ['lag', 0, 0],
    ]);
  });

  it('leaves out series with no data at all', () => {
    const run = fixtureRun();
    for (const s of run.samples) {
      s.canaryPrAuc = null;
      s.latencyP99Ms = null;
    }
    const specs2 = chartSpecs(run);
    expect(specs2.find((s) => s.id === 'canary')?.series.map((s) => s.name)).not.toContain('canary PR-AUC');
    expect(specs2.find((s) => s.id === 'throughput-latency')?.series).toHaveLength(3);
  });
});

describe('formatTick', () => {
  it('formats time as m:ss and thousands as k', () => {
    expect(formatTick(125, 'time')).toBe('2:05');
    expect(formatTick(2500, 'number')).toBe('2.5k');
    expect(formatTick(0.4, 'fraction')).toBe('0.4');
    expect(formatTick(25, 'percent')).toBe('25%');
  });
});

import { describe, expect, it } from 'vitest';
import { fixtureRun } from '../test/fixture.ts';
import { DemoRunError, parseDemoRun } from './validate.ts';

const problemsOf = (value: unknown): string[] => {
  try {
    parseDemoRun(value);
  } catch (err) {
    if (err instanceof DemoRunError) return err.problems;
    throw err;
  }
  return [];
};

describe('parseDemoRun', () => {
  it('accepts the fixture, also after a JSON round trip', () => {
    const run = fixtureRun();
    expect(parseDemoRun(JSON.parse(JSON.stringify(run)))).toEqual(run);
  });

  it('names each bad field', () => {
    const run = JSON.parse(JSON.stringify(fixtureRun()));
    run.format = 'other';
    run.versions[1].ap = 1.5;
    run.versions[2].curve[3].recall = 0;
    run.samples[3].lag.v2 = 'x';
    run.samples[4].time = '2025-01-01T00:00:00Z';
    run.samples[5].canaryWeight = 120;
    delete run.decisions[2].reason;
    run.decisions[6].apCanary = 'high';
    expect(problemsOf(run)).toEqual([
      'format: expected "fraud-operator/demo-run@1", got "other"',
      'versions[1].ap: expected a number in [0, 1], got 1.5',
      'versions[2].curve[3].recall: decreases',
      'samples[3].lag.v2: expected a number ≥ 0 or null, got "x"',
      'samples[4].time: earlier than samples[3]',
      'samples[5].canaryWeight: expected a number in [0, 100] or null, got 120',
      'decisions[2].reason: expected a non-empty string, got nothing',
      'decisions[6].apCanary: expected a number in [0, 1] or null, got "high"',
    ]);
  });

  it('refuses a non-object, missing arrays and duplicate versions', () => {
    expect(() => parseDemoRun([])).toThrow('the run: expected a JSON object, got []');
    const run = JSON.parse(JSON.stringify(fixtureRun()));
    delete run.samples;
    run.versions[1].version = 'v1';
    run.endedAt = 'yesterday';
    expect(problemsOf(run)).toEqual([
      'endedAt: expected an RFC 3339 time, got "yesterday"',
      'versions[1].version: "v1" appears twice',
      'samples: expected an array, got nothing',
    ]);
  });
});

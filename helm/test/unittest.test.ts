// helm-unittest: one suite per template (helm/fraud-operator/tests/<template>_test.yaml) plus a snapshot of the
// default render. helm-unittest writes a missing snapshot and passes, and a pattern matching nothing exits 0, so
// this checks that every suite ran and that the snapshot was there before the run.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { helmUnittestBinary } from '../scripts/helm-unittest.ts';
import { CHART_DIR } from './tools.ts';

const templates = readdirSync(join(CHART_DIR, 'templates')).filter((f) => f.endsWith('.yaml'));
const suites = readdirSync(join(CHART_DIR, 'tests')).filter((f) => f.endsWith('_test.yaml'));

describe('helm-unittest suites', () => {
  it('has one suite per template, and the default-render snapshot', () => {
    const missing = templates.filter((t) => !suites.includes(t.replace(/\.yaml$/, '_test.yaml')));
    expect(missing).toEqual([]);
    expect(existsSync(join(CHART_DIR, 'tests', '__snapshot__', 'snapshot_test.yaml.snap'))).toBe(true);
  });

  it('passes every suite and matches the snapshot', () => {
    const bin = helmUnittestBinary();
    const r = spawnSync(bin, ['--color=false', CHART_DIR], { encoding: 'utf8', timeout: 120_000 });
    const out = `${r.stdout}${r.stderr}`;
    expect(r.status, out).toBe(0);
    expect(out).toContain(`Test Suites: ${suites.length} passed, ${suites.length} total`);
    expect(out).toMatch(/Snapshot:\s+[1-9]\d* passed, [1-9]\d* total/);
    expect(out).not.toMatch(/FAIL|failed/);
  }, 300_000);
});

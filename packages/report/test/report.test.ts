// The report drawn by a real browser: Debian's headless Chromium loads the HTML the CLI wrote, with no network
// (the page's CSP forbids any), and the DOM it dumps must hold the four charts' SVG paths and the decision rows.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, elements, findChromium } from './chromium.ts';
import { fixtureRun } from './fixture.ts';

const CLI = new URL('../src/cli.ts', import.meta.url).pathname;
const cli = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

describe('the report in headless Chromium', () => {
  const run = fixtureRun();
  const dir = mkdtempSync(join(tmpdir(), 'report-test-'));
  const page = join(dir, 'report.html');
  let bin: string;
  let dom: string;

  beforeAll(() => {
    bin = findChromium();
    writeFileSync(join(dir, 'run.json'), JSON.stringify(run));
    const r = cli(['--in', join(dir, 'run.json'), '--out', page]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^wrote .*report\.html \(\d+ KiB\)\n$/);
    dom = chromium(bin, ['--dump-dom'], pathToFileURL(page).href);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('draws the four charts in the browser (the HTML as written has no SVG)', () => {
    expect(readFileSync(page, 'utf8')).not.toContain('<svg');
    expect(elements(dom, 'svg').map((s) => [s['data-chart'], s['data-series-count']])).toEqual([
      ['pr-curves', String(run.versions.length)],
      ['throughput-latency', '4'],
      ['canary', '3'],
      ['lag', '3'],
    ]);
  });

  it('gives every series a drawn path inside its plot area', () => {
    const charts = [...dom.matchAll(/<svg\b[^>]*data-chart="([^"]+)"[^>]*>(.*?)<\/svg>/gs)];
    expect(charts).toHaveLength(4);
    const counts: Record<string, number> = {};
    for (const [, id, body] of charts) {
      const paths = elements(body ?? '', 'path').filter((p) => p.class === 'series');
      counts[id as string] = paths.length;
      for (const p of paths) {
        const d = p.d ?? '';
        expect(d, `${id} ${p['data-series']}`).toMatch(/^M[\d.]+,[\d.]+(?:[LM][\d.]+,[\d.]+)+$/);
        for (const [, x, y] of d.matchAll(/([\d.]+),([\d.]+)/g)) {
          expect(Number(x)).toBeGreaterThanOrEqual(64 - 0.1);
          expect(Number(x)).toBeLessThanOrEqual(760 - 64 + 0.1);
          expect(Number(y)).toBeGreaterThanOrEqual(16 - 0.1);
          expect(Number(y)).toBeLessThanOrEqual(300 - 44 + 0.1);
        }
      }
    }
    expect(counts).toEqual({ 'pr-curves': 3, 'throughput-latency': 4, canary: 3, lag: 3 });
    const pr = elements(dom, 'path').filter((p) => p.class === 'series' && /^v\d \(/.test(p['data-series'] ?? ''));
    expect(pr.map((p) => (p.d?.match(/[ML]/g) ?? []).length)).toEqual(run.versions.map((v) => v.curve.length));
  });

  it('marks the decisions on the canary chart and lists every decision row in order', () => {
    expect(dom.match(/<g class="marker">/g)).toHaveLength(run.decisions.filter((d) => d.decision !== 'hold').length);
    const rows = elements(dom, 'tr').filter((r) => r.class?.startsWith('decision '));
    expect(rows.map((r) => r['data-decision'])).toEqual(run.decisions.map((d) => d.decision));
    expect(dom).toContain('<span class="outcome rolled-back">v3: rolled-back</span>');
  });

  it('takes a PNG screenshot (to $REPORT_SCREENSHOT when set)', () => {
    const shot = join(dir, 'report.png');
    chromium(bin, ['--window-size=1400,2000', `--screenshot=${shot}`], pathToFileURL(page).href);
    const png = readFileSync(shot);
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(png.readUInt32BE(16)).toBe(1400);
    expect(png.length).toBeGreaterThan(50_000);
    if (process.env.REPORT_SCREENSHOT) copyFileSync(shot, process.env.REPORT_SCREENSHOT);
  });

  it('the CLI refuses bad input, naming the field, and writes nothing', () => {
    const bad = JSON.parse(JSON.stringify(run));
    bad.decisions[4].weight = 'half';
    writeFileSync(join(dir, 'bad.json'), JSON.stringify(bad));
    const out = join(dir, 'bad.html');
    const r = cli(['--in', join(dir, 'bad.json'), '--out', out]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('decisions[4].weight: expected a number in [0, 100], got "half"');
    expect(() => readFileSync(out)).toThrow();
    writeFileSync(join(dir, 'broken.json'), '{"format":');
    expect(cli(['--in', join(dir, 'broken.json'), '--out', out]).stderr).toMatch(/broken\.json is not JSON/);
    expect(cli(['--in', join(dir, 'run.json')])).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('missing --out'),
    });
  });
});

import { describe, expect, it } from 'vitest';
import { fixtureRun } from '../test/fixture.ts';
import { renderReport } from './render.ts';

describe('renderReport', () => {
  const html = renderReport(fixtureRun());

  it('is one self-contained page: no external resource, a CSP that forbids any', () => {
    expect(html).not.toMatch(/<(link|img|iframe)\b/i);
    expect(html).not.toMatch(/\bsrc=/i);
    expect(html.match(/https?:\/\/[^\s'"]+/g)).toEqual(['http://www.w3.org/2000/svg']);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'"`);
  });

  it('escapes text from the run in the markup and in the embedded JSON', () => {
    expect(html).toContain('<title>fraud-operator demo &lt;fixture&gt;</title>');
    expect(html).toContain('rolled-back v3 at 0% &lt;Drained&gt;');
    expect(html).not.toContain('<fixture>');
    const json = html.match(/<script type="application\/json" id="demo-run">(.*?)<\/script>/s)?.[1] ?? '';
    expect(JSON.parse(json)).toEqual(fixtureRun());
  });

  it('has the summary, one row per decision and the chart hosts, with the script stripped of types', () => {
    expect(html.match(/<tr class="decision /g)).toHaveLength(15);
    for (const id of ['pr-curves', 'throughput-latency', 'canary', 'lag']) expect(html).toContain(`id="chart-${id}"`);
    expect(html).toContain('<span class="outcome promoted">v2: promoted</span>');
    const script = html.match(/<script type="module">(.*?)<\/script>/s)?.[1] ?? '';
    expect(script).toContain('function drawReport(doc');
    expect(script).not.toMatch(/\binterface\b|: string\b/);
  });

  it('refuses a bad run, naming the field', () => {
    const run = fixtureRun();
    run.samples[2] = { ...run.samples[2], txPerSec: -1 } as (typeof run.samples)[number];
    expect(() => renderReport(run)).toThrow('samples[2].txPerSec: expected a number ≥ 0 or null, got -1');
  });
});

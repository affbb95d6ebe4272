// `node packages/report/src/cli.ts --in run.json --out report.html`: a DemoRun JSON file to the HTML report.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { renderReport } from './render.ts';
import { parseDemoRun } from './validate.ts';

const USAGE = 'usage: node packages/report/src/cli.ts --in <run.json> --out <report.html>';

export function main(argv: string[]): number {
  let values: { in?: string | undefined; out?: string | undefined; help?: boolean | undefined };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { in: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (!values.in || !values.out) {
    process.stderr.write(`missing ${values.in ? '--out' : '--in'}\n${USAGE}\n`);
    return 2;
  }
  let text: string;
  try {
    text = readFileSync(values.in, 'utf8');
  } catch (err) {
    process.stderr.write(`cannot read ${values.in}: ${(err as Error).message}\n`);
    return 1;
  }
  let html: string;
  try {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw new Error(`${values.in} is not JSON: ${(err as Error).message}`);
    }
    html = renderReport(parseDemoRun(json));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 1;
  }
  const tmp = `${values.out}.tmp-${process.pid}`;
  writeFileSync(tmp, html);
  renameSync(tmp, values.out);
  process.stdout.write(`wrote ${values.out} (${(html.length / 1024).toFixed(0)} KiB)\n`);
  return 0;
}

if (import.meta.main) process.exit(main(process.argv.slice(2)));

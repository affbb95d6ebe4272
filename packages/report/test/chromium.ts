// Debian's headless Chromium, for the report's browser test: found on PATH (or $CHROMIUM), with a profile of its own.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

export function findChromium(): string {
  const fromEnv = process.env.CHROMIUM;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM=${fromEnv} does not exist`);
    return fromEnv;
  }
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const bin = join(dir, 'chromium');
    if (dir && existsSync(bin)) return bin;
  }
  throw new Error(
    'chromium not found on PATH: the report test needs headless Chromium (Debian: apt-get install -y chromium; .ci/run installs it), or set CHROMIUM=/path/to/chromium',
  );
}

/** Runs headless Chromium on a page; returns stdout (the DOM with --dump-dom). */
export function chromium(bin: string, args: string[], url: string): string {
  const profile = mkdtempSync(join(tmpdir(), 'report-chromium-'));
  const r = spawnSync(
    bin,
    [
      '--headless',
      '--disable-gpu',
      '--no-sandbox',
      '--no-first-run',
      '--hide-scrollbars',
      `--user-data-dir=${profile}`,
      ...args,
      url,
    ],
    { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 },
  );
  if (r.status !== 0)
    throw new Error(
      `chromium ${args.join(' ')} failed (exit ${r.status}, ${r.error ?? ''}):\n${r.stderr.slice(-3000)}`,
    );
  return r.stdout;
}

/** Attributes of every `<tag …>` in serialized markup, in document order. */
export function elements(markup: string, tag: string): Record<string, string>[] {
  return [...markup.matchAll(new RegExp(`<${tag}\\b([^>]*)>`, 'g'))].map((m) =>
    Object.fromEntries([...(m[1] ?? '').matchAll(/([\w:-]+)="([^"]*)"/g)].map((a) => [a[1], a[2]])),
  );
}

import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { totals } from './histogram.ts';
import { atThreshold, averagePrecisionOf } from './histogram-metrics.ts';
import { readHistogram } from './redis-histograms.ts';

export const usage = `fraudctl quality --version V [--from ISO] [--to ISO] [--key-prefix P]

A model version's live quality, from the score histograms its scorers keep in Redis (VERDICT_REDIS_URL, else
REDIS_URL, from the environment): PR-AUC as an estimate with the interval that surely holds the exact value, and
precision, recall and the false-alert share at the version's threshold, over transactions whose event time is in
[from, to) (whole hours).
Genuine transactions carry no label: choose a window that ended at least the chargeback delay ago.
Defaults: --to now minus 7 days, --from 30 days before --to.`;

const DAY_MS = 86_400_000;

const options = {
  version: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  'key-prefix': { type: 'string', default: '' },
  help: { type: 'boolean', short: 'h' },
} as const;

function instant(flag: string, value: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new Error(`--${flag} must be an ISO date or time, got "${value}"`);
  return ms;
}

const rounded = (n: number): number | null => (Number.isFinite(n) ? Math.round(n * 1e6) / 1e6 : null);

interface Query {
  version: string;
  keyPrefix: string;
  fromTs: number;
  toTs: number;
}

/** The query, or a usage error's message. */
export function parseQualityArgs(argv: string[], now = Date.now()): Query | 'help' | string {
  try {
    const { values } = parseArgs({ args: argv, options, strict: true });
    if (values.help) return 'help';
    if (!values.version) return '--version is required';
    const toTs = values.to === undefined ? now - 7 * DAY_MS : instant('to', values.to);
    const fromTs = values.from === undefined ? toTs - 30 * DAY_MS : instant('from', values.from);
    if (!(fromTs < toTs)) return '--from must be before --to';
    return { version: values.version, keyPrefix: values['key-prefix'], fromTs, toTs };
  } catch (err) {
    return (err as Error).message;
  }
}

/** `fraudctl quality …`: prints one JSON object; returns the exit code. */
export async function runQuality(
  argv: string[],
  out: (text: string) => void = console.log,
  err: (text: string) => void = console.error,
): Promise<number> {
  const query = parseQualityArgs(argv);
  if (query === 'help') {
    out(usage);
    return 0;
  }
  if (typeof query === 'string') {
    err(`fraudctl quality: ${query}\n\n${usage}`);
    return 2;
  }
  const url = process.env.VERDICT_REDIS_URL || process.env.REDIS_URL;
  if (!url) {
    err(
      'fraudctl quality: neither VERDICT_REDIS_URL nor REDIS_URL is set (for the local stack: `set -a; . .stack/env`)',
    );
    return 2;
  }
  const { version, keyPrefix, fromTs, toTs } = query;
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    const h = await readHistogram(redis, { keyPrefix, version, fromTs, toTs });
    const ap = averagePrecisionOf(h);
    const at = atThreshold(h);
    out(
      JSON.stringify({
        version,
        from: new Date(fromTs).toISOString(),
        to: new Date(toTs).toISOString(),
        ...totals(h),
        prAuc: { estimate: rounded(ap.ap), low: rounded(ap.low), high: rounded(ap.high) },
        atThreshold: {
          alerts: at.alerts,
          precision: rounded(at.precision),
          recall: rounded(at.recall),
          falseAlertShare: rounded(at.falseAlertShare),
        },
      }),
    );
    return 0;
  } finally {
    redis.disconnect();
  }
}

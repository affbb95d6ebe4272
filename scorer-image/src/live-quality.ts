import { atThreshold, averagePrecisionOf, readHistogram, totals } from '@fraud-operator/score-histograms';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { ScorerMetrics } from './metrics.ts';

export const LIVE_SPAN_MS = 7 * 24 * 3_600_000;

/**
 * Pure: the event-time window whose labels are all in: the `spanMs` that end the chargeback delay before the
 * frontier (the latest event time scored). Null before anything was scored.
 */
export function liveWindow(
  frontier: number | null,
  labelDelayMs: number,
  spanMs: number,
): { fromTs: number; toTs: number } | null {
  if (frontier === null) return null;
  const toTs = frontier - labelDelayMs;
  return { fromTs: toTs - spanMs, toTs };
}

export interface LiveQualityOptions {
  redis: Redis;
  keyPrefix: string;
  version: string;
  labelDelayMs: number;
  frontier(): number | null;
  metrics: ScorerMetrics;
  log: Logger;
  spanMs?: number;
  intervalMs?: number;
}

/**
 * Exports the version's live quality from its score histograms (the same numbers as `fraudctl quality` over the
 * window), refreshed every `intervalMs`: PR-AUC with its guaranteed interval, precision and recall at the threshold,
 * and the counts behind them. Every instance of a version reports the same values.
 */
export function startLiveQuality(options: LiveQualityOptions): { refresh(): Promise<void>; stop(): void } {
  const { metrics } = options;
  const refresh = async () => {
    const window = liveWindow(options.frontier(), options.labelDelayMs, options.spanMs ?? LIVE_SPAN_MS);
    if (window === null) return;
    const h = await readHistogram(options.redis, { keyPrefix: options.keyPrefix, version: options.version, ...window });
    const { scored, frauds } = totals(h);
    metrics.liveLabelled.set({ class: 'all' }, scored);
    metrics.liveLabelled.set({ class: 'fraud' }, frauds);
    if (frauds === 0 || frauds === scored) return;
    const ap = averagePrecisionOf(h);
    metrics.livePrAuc.set({ bound: 'estimate' }, ap.ap);
    metrics.livePrAuc.set({ bound: 'low' }, ap.low);
    metrics.livePrAuc.set({ bound: 'high' }, ap.high);
    const at = atThreshold(h);
    metrics.liveAtThreshold.set({ measure: 'precision' }, at.precision);
    metrics.liveAtThreshold.set({ measure: 'recall' }, at.recall);
  };
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    refresh()
      .catch((err) => options.log.warn({ err: (err as Error).message }, 'live quality not refreshed'))
      .finally(() => {
        running = false;
      });
  }, options.intervalMs ?? 30_000);
  timer.unref();
  return { refresh, stop: () => clearInterval(timer) };
}

import { BIN_COUNT } from './bins.ts';

/**
 * One version's evaluation statistics over some event-time window: per score bin, the transactions it scored and,
 * of those, the ones labelled fraud; and, exactly rather than binned, the same two counts at or above its threshold.
 * Histograms of disjoint windows (or of instances) merge by adding.
 */
export interface ScoreHistogram {
  scored: Float64Array;
  frauds: Float64Array;
  scoredAbove: number;
  fraudsAbove: number;
}

export function emptyHistogram(): ScoreHistogram {
  return { scored: new Float64Array(BIN_COUNT), frauds: new Float64Array(BIN_COUNT), scoredAbove: 0, fraudsAbove: 0 };
}

/** Adds `other` into `into` and returns `into`. */
export function mergeInto(into: ScoreHistogram, other: ScoreHistogram): ScoreHistogram {
  for (let b = 0; b < BIN_COUNT; b++) {
    into.scored[b] = (into.scored[b] as number) + (other.scored[b] as number);
    into.frauds[b] = (into.frauds[b] as number) + (other.frauds[b] as number);
  }
  into.scoredAbove += other.scoredAbove;
  into.fraudsAbove += other.fraudsAbove;
  return into;
}

/**
 * Adds one stored hour (a Redis hash: `s<bin>` scored, `f<bin>` frauds, `sa`/`fa` at or above the threshold) into
 * `into`. Unknown fields are an error: a reader must not silently mix formats.
 */
export function addStoredHour(into: ScoreHistogram, fields: Record<string, string>): ScoreHistogram {
  for (const [field, raw] of Object.entries(fields)) {
    const n = Number(raw);
    if (!Number.isFinite(n)) throw new Error(`score histogram: field ${field} holds ${raw}, not a count`);
    if (field === 'sa') into.scoredAbove += n;
    else if (field === 'fa') into.fraudsAbove += n;
    else {
      const bin = Number(field.slice(1));
      const target = field[0] === 's' ? into.scored : field[0] === 'f' ? into.frauds : undefined;
      if (target === undefined || !Number.isInteger(bin) || bin < 0 || bin >= BIN_COUNT)
        throw new Error(`score histogram: unknown field ${field}`);
      target[bin] = (target[bin] as number) + n;
    }
  }
  return into;
}

export function totals(h: ScoreHistogram): { scored: number; frauds: number } {
  let scored = 0;
  let frauds = 0;
  for (let b = 0; b < BIN_COUNT; b++) {
    scored += h.scored[b] as number;
    frauds += h.frauds[b] as number;
  }
  return { scored, frauds };
}

import { averagePrecisionOfSample } from '@fraud-operator/metrics/average-precision';
import { seededRandom } from './seeded-random.ts';

export interface BootstrapInterval {
  low: number;
  high: number;
  /** Resamples that drew at least one fraud (the others have no defined AP and are skipped). */
  usable: number;
}

/**
 * Percentile interval of AP(canary) - AP(stable) under a paired bootstrap over transactions: each resample draws
 * transaction indices with replacement, and both models are scored on the SAME drawn transactions, so the
 * correlation between them (same frauds, same hard cases) is kept and the interval is much tighter than two
 * independent intervals would be.
 */
export function pairedBootstrapApDifference(
  labels: readonly (0 | 1)[],
  stableScores: readonly number[],
  canaryScores: readonly number[],
  options: { resamples: number; seed: number; level: number },
): BootstrapInterval {
  if (labels.length === 0) throw new Error('pairedBootstrapApDifference: no labelled transactions');
  if (!(options.level > 0 && options.level < 1)) {
    throw new Error(`pairedBootstrapApDifference: level ${options.level} is not in (0,1)`);
  }
  const random = seededRandom(options.seed);
  const differences: number[] = [];
  const sample = new Array<number>(labels.length);
  for (let round = 0; round < options.resamples; round += 1) {
    for (let slot = 0; slot < labels.length; slot += 1) sample[slot] = Math.floor(random() * labels.length);
    const stable = averagePrecisionOfSample(stableScores, labels, sample);
    if (Number.isNaN(stable)) continue;
    differences.push(averagePrecisionOfSample(canaryScores, labels, sample) - stable);
  }
  if (differences.length === 0) return { low: Number.NaN, high: Number.NaN, usable: 0 };
  differences.sort((a, b) => a - b);
  const tail = (1 - options.level) / 2;
  return {
    low: quantile(differences, tail),
    high: quantile(differences, 1 - tail),
    usable: differences.length,
  };
}

function quantile(sorted: readonly number[], p: number): number {
  const position = p * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.ceil(position);
  const lowValue = sorted[below] as number;
  const highValue = sorted[above] as number;
  return lowValue + (highValue - lowValue) * (position - below);
}

import { comparePaired, type PairedComparison, validatePairs } from './paired-comparison.ts';
import type { PairedScores } from './types.ts';

export type WindowReason =
  | 'NotEnoughFrauds'
  | 'OneClassOnly'
  | 'NonInferior'
  | 'PrAucLossBeyondTolerance'
  | 'Inconclusive'
  | 'NonInferiorityNotShown';

export interface WindowCheckInput {
  pairs: PairedScores;
  minLabelledFrauds: number;
  maxPrAucLoss: number;
  /** Looks already taken at this window. */
  looks: number;
  maxLooks: number;
  /** One-sided error per window; each look gets alpha / maxLooks (Bonferroni). */
  alpha: number;
  resamples: number;
  seed: number;
}

export interface WindowCheck {
  /** pass: non-inferior within the tolerance; fail: a failed check; wait: no conclusion (yet). */
  outcome: 'pass' | 'fail' | 'wait';
  reason: WindowReason;
  /** Whether this call took a look (ran the bootstrap); a window gets at most maxLooks. */
  looked: boolean;
  labelled: number;
  frauds: number;
  comparison: PairedComparison | null;
}

/** The labelled frauds a window needs before its look number `look` (0-based): min × 2^look. */
export const fraudsForLook = (minLabelledFrauds: number, look: number): number =>
  Math.max(1, minLabelledFrauds) * 2 ** look;

/**
 * One check of a window of paired labelled transactions. Looks happen only when the window first holds
 * min × 1, 2, 4, … labelled frauds: the stopping rule depends on the fraud count, never on the result, and the
 * error is split over the looks. Pass needs the lower bound of AP(canary) − AP(stable) at or above −tolerance
 * (non-inferiority shown); fail needs the upper bound below −tolerance (a loss beyond tolerance shown); an interval
 * straddling −tolerance waits for the next look, and after the last look it is a failed check: the canary could not
 * show it is no worse.
 */
export function checkWindow(input: WindowCheckInput): WindowCheck {
  validatePairs(input.pairs);
  const labelled = input.pairs.labels.length;
  let frauds = 0;
  for (let i = 0; i < labelled; i += 1) frauds += input.pairs.labels[i] as number;
  const base = { labelled, frauds, comparison: null, looked: false } as const;
  if (frauds < input.minLabelledFrauds || frauds === 0) return { ...base, outcome: 'wait', reason: 'NotEnoughFrauds' };
  if (frauds === labelled) return { ...base, outcome: 'wait', reason: 'OneClassOnly' };
  if (input.looks >= input.maxLooks) return { ...base, outcome: 'fail', reason: 'NonInferiorityNotShown' };
  if (frauds < fraudsForLook(input.minLabelledFrauds, input.looks)) {
    // Only after an inconclusive look (looks reset on pass and fail): the window stays Inconclusive until the next look.
    return { ...base, outcome: 'wait', reason: 'Inconclusive' };
  }
  const comparison = comparePaired(input.pairs, {
    resamples: input.resamples,
    alpha: input.alpha / input.maxLooks,
    seed: input.seed,
  });
  const looked = { labelled, frauds, comparison, looked: true } as const;
  if (comparison.lower >= -input.maxPrAucLoss) return { ...looked, outcome: 'pass', reason: 'NonInferior' };
  if (comparison.upper < -input.maxPrAucLoss) return { ...looked, outcome: 'fail', reason: 'PrAucLossBeyondTolerance' };
  if (input.looks + 1 >= input.maxLooks) return { ...looked, outcome: 'fail', reason: 'NonInferiorityNotShown' };
  return { ...looked, outcome: 'wait', reason: 'Inconclusive' };
}

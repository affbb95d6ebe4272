import { seededRandom } from './seeded-random.ts';
import type { PairedScores } from './types.ts';

export interface SyntheticWindow {
  /** Labelled transactions in the window. */
  count: number;
  /** Fraud probability of each transaction. */
  fraudRate: number;
  /** Separation (in noise standard deviations) of frauds from legitimate transactions, per model. */
  stableSkill: number;
  canarySkill: number;
  /** Correlation of the two models' noise (they see the same hard cases). */
  correlation: number;
  seed: number;
}

/** Paired scores of two binormal models on the same transactions: score = skill·label + correlated noise. */
export function syntheticWindow(w: SyntheticWindow): PairedScores {
  const random = seededRandom(w.seed);
  const gaussian = () => {
    const u = 1 - random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
  const labels = new Uint8Array(w.count);
  const stable = new Float64Array(w.count);
  const canary = new Float64Array(w.count);
  const shared = Math.sqrt(w.correlation);
  const own = Math.sqrt(1 - w.correlation);
  for (let i = 0; i < w.count; i += 1) {
    const label = random() < w.fraudRate ? 1 : 0;
    const common = gaussian();
    labels[i] = label;
    stable[i] = label * w.stableSkill + shared * common + own * gaussian();
    canary[i] = label * w.canarySkill + shared * common + own * gaussian();
  }
  return { labels, stable, canary };
}

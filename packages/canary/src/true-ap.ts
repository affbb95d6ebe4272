import { averagePrecision } from '@fraud-operator/metrics/average-precision';
import { syntheticWindow } from './synthetic.ts';

/** AP of one synthetic model on a large sample (4,000 frauds: its sampling error is about 0.005). */
export function averagePrecisionOfModel(
  scenario: { stableSkill: number; canarySkill: number; correlation: number; fraudRate: number },
  side: 'stable' | 'canary',
): number {
  const count = Math.round(4_000 / scenario.fraudRate);
  const w = syntheticWindow({ ...scenario, count, seed: 424_242 });
  return averagePrecision(Array.from(side === 'stable' ? w.stable : w.canary), Array.from(w.labels) as (0 | 1)[]);
}

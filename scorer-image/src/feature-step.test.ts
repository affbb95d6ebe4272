import { FEATURE_SETS } from '@fraud-operator/features';
import { describe, expect, it } from 'vitest';
import { featureSetFor } from './feature-step.ts';

describe('featureSetFor', () => {
  it("picks the engine's set of exactly the model's width", () => {
    expect(featureSetFor(FEATURE_SETS.handbook.length)).toBe('handbook');
    expect(featureSetFor(FEATURE_SETS.full.length)).toBe('full');
  });

  it('refuses any other width, naming the widths it makes', () => {
    expect(() => featureSetFor(3)).toThrow(/takes 3 inputs; the feature engine makes handbook \(15\) or full \(\d+\)/);
    expect(() => featureSetFor(FEATURE_SETS.full.length + 1)).toThrow(/feature engine makes/);
  });
});

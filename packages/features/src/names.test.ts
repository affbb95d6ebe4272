import { describe, expect, it } from 'vitest';
import { columnsOf, FEATURE_SETS, type FeatureSetName } from './names.ts';

describe('FEATURE_SETS', () => {
  // The scorer picks a model's feature set by its input width alone (scorer-image/src/feature-step.ts).
  it('gives every named set its own width', () => {
    const widths = Object.values(FEATURE_SETS).map((names) => names.length);
    expect(new Set(widths).size).toBe(widths.length);
  });

  it('names only features of the full vector, each once', () => {
    for (const set of Object.keys(FEATURE_SETS) as FeatureSetName[]) {
      expect(columnsOf(set).every((c) => c >= 0)).toBe(true);
      expect(new Set(FEATURE_SETS[set]).size).toBe(FEATURE_SETS[set].length);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { columnsOf, FEATURE_SETS, type FeatureSetName, featureSetOfWidth } from './names.ts';

describe('FEATURE_SETS', () => {
  // The scorer picks a model's feature set by its input width alone (scorer-image/src/feature-step.ts).
  it('gives every named set its own width', () => {
    const widths = Object.values(FEATURE_SETS).map((names) => names.length);
    expect(new Set(widths).size).toBe(widths.length);
  });

  it("keeps every set a prefix of the full vector, so a model's columns never move when features are added", () => {
    for (const set of Object.keys(FEATURE_SETS) as FeatureSetName[])
      expect(FEATURE_SETS.full.slice(0, FEATURE_SETS[set].length)).toEqual(FEATURE_SETS[set]);
    expect(FEATURE_SETS.full25.at(-1)).toBe('CUSTOMER_ID_NB_ANOMALOUS_TX_7DAY_WINDOW');
    expect(FEATURE_SETS.full28.at(-1)).toBe('AMOUNT_OVER_CUSTOMER_OLDER_AVG');
    expect(FEATURE_SETS.full31.at(-1)).toBe('TERMINAL_ID_DAYS_SINCE_GENUINE_BEFORE_RUN');
    expect(FEATURE_SETS.full33.at(-1)).toBe('TERMINAL_ID_NB_ANOMALOUS_TX_KNOWN_FRAUD_RUN');
  });

  it('names only features of the full vector, each once', () => {
    for (const set of Object.keys(FEATURE_SETS) as FeatureSetName[]) {
      expect(columnsOf(set).every((c) => c >= 0)).toBe(true);
      expect(new Set(FEATURE_SETS[set]).size).toBe(FEATURE_SETS[set].length);
    }
  });
});

describe('featureSetOfWidth', () => {
  it("picks the engine's set of exactly the model's width", () => {
    expect(featureSetOfWidth(FEATURE_SETS.handbook.length)).toBe('handbook');
    expect(featureSetOfWidth(25)).toBe('full25');
    expect(featureSetOfWidth(28)).toBe('full28');
    expect(featureSetOfWidth(31)).toBe('full31');
    expect(featureSetOfWidth(33)).toBe('full33');
    expect(featureSetOfWidth(FEATURE_SETS.full.length)).toBe('full');
  });

  it('refuses any other width, naming the widths it makes', () => {
    expect(() => featureSetOfWidth(3)).toThrow(
      /takes 3 inputs; the feature engine makes handbook \(15\), full25 \(25\), full28 \(28\), full31 \(31\), full33 \(33\), full \(\d+\)/,
    );
    expect(() => featureSetOfWidth(FEATURE_SETS.full.length + 1)).toThrow(/feature engine makes/);
  });
});

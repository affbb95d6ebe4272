/**
 * The features, in model-input order. `handbook` is the Fraud-Detection-Handbook's 15 (chapter 3.4); `full` adds
 * nineteen that target the simulated fraud scenarios the 15 see poorly (see README.md for why each).
 */
const HANDBOOK = [
  'TX_AMOUNT',
  'TX_DURING_WEEKEND',
  'TX_DURING_NIGHT',
  'CUSTOMER_ID_NB_TX_1DAY_WINDOW',
  'CUSTOMER_ID_AVG_AMOUNT_1DAY_WINDOW',
  'CUSTOMER_ID_NB_TX_7DAY_WINDOW',
  'CUSTOMER_ID_AVG_AMOUNT_7DAY_WINDOW',
  'CUSTOMER_ID_NB_TX_30DAY_WINDOW',
  'CUSTOMER_ID_AVG_AMOUNT_30DAY_WINDOW',
  'TERMINAL_ID_NB_TX_1DAY_WINDOW',
  'TERMINAL_ID_RISK_1DAY_WINDOW',
  'TERMINAL_ID_NB_TX_7DAY_WINDOW',
  'TERMINAL_ID_RISK_7DAY_WINDOW',
  'TERMINAL_ID_NB_TX_30DAY_WINDOW',
  'TERMINAL_ID_RISK_30DAY_WINDOW',
] as const;

const EXTRAS = [
  'CUSTOMER_ID_NB_TX_1HOUR_WINDOW',
  'AMOUNT_OVER_CUSTOMER_30DAY_AVG',
  'CUSTOMER_HOURS_SINCE_PREVIOUS_TX',
  'CUSTOMER_TERMINAL_NB_TX_30DAY_WINDOW',
  'AMOUNT_OVER_CUSTOMER_PRIOR_AVG',
  'CUSTOMER_1DAY_AVG_OVER_PRIOR_AVG',
  'TERMINAL_ID_KNOWN_FRAUDS',
  'TERMINAL_ID_DAYS_SINCE_FIRST_KNOWN_FRAUD',
  'TERMINAL_ID_DAYS_SINCE_LAST_KNOWN_FRAUD',
  'CUSTOMER_ID_NB_ANOMALOUS_TX_7DAY_WINDOW',
  'TERMINAL_ID_NB_TX_SINCE_FIRST_KNOWN_FRAUD',
  'TERMINAL_ID_RISK_SINCE_FIRST_KNOWN_FRAUD',
  'AMOUNT_OVER_CUSTOMER_OLDER_AVG',
  'CUSTOMER_ID_NB_ANOMALOUS_TX_7DAY_WINDOW_WITH_THIS',
  'TERMINAL_ID_DAYS_SINCE_KNOWN_FRAUD_RUN_START',
  'TERMINAL_ID_DAYS_SINCE_GENUINE_BEFORE_RUN',
  'TERMINAL_ID_NB_TX_KNOWN_FRAUD_RUN',
  'TERMINAL_ID_NB_ANOMALOUS_TX_KNOWN_FRAUD_RUN',
  'TERMINAL_ID_MAX_AMOUNT_RATIO_KNOWN_FRAUD_RUN',
] as const;

/**
 * Features are only ever appended, so an earlier `full` is a prefix of today's: `full25` (2026-11), `full28`
 * (2026-12-04), `full31` and `full33` (2026-12-05) are kept so that models trained on them still serve (the scorer
 * picks the set by the model's width).
 */
export const FEATURE_SETS = {
  handbook: HANDBOOK as readonly string[],
  full25: [...HANDBOOK, ...EXTRAS.slice(0, 10)] as readonly string[],
  full28: [...HANDBOOK, ...EXTRAS.slice(0, 13)] as readonly string[],
  full31: [...HANDBOOK, ...EXTRAS.slice(0, 16)] as readonly string[],
  full33: [...HANDBOOK, ...EXTRAS.slice(0, 18)] as readonly string[],
  full: [...HANDBOOK, ...EXTRAS] as readonly string[],
};
export type FeatureSetName = keyof typeof FEATURE_SETS;

/** Column indexes of a feature set within the full vector (the handbook set is its prefix). */
export function columnsOf(set: FeatureSetName): number[] {
  return FEATURE_SETS[set].map((name) => FEATURE_SETS.full.indexOf(name));
}

/** Pure: the set of exactly `width` features, a model's input width; any other width is refused, naming the widths. */
export function featureSetOfWidth(width: number): FeatureSetName {
  const set = (Object.keys(FEATURE_SETS) as FeatureSetName[]).find((s) => FEATURE_SETS[s].length === width);
  if (set) return set;
  const known = Object.entries(FEATURE_SETS).map(([s, names]) => `${s} (${names.length})`);
  throw new RangeError(`model takes ${width} inputs; the feature engine makes ${known.join(', ')}`);
}

/** Pure: a feature set name, checked (default 'full'). */
export function featureSetOf(name: string | undefined): FeatureSetName {
  if (name === undefined) return 'full';
  if (!Object.hasOwn(FEATURE_SETS, name))
    throw new RangeError(`features: featureSet must be one of ${Object.keys(FEATURE_SETS).join(', ')}, got ${name}`);
  return name as FeatureSetName;
}

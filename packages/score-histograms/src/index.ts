export { BIN_COUNT, binFloor, binOf } from './bins.ts';
export { addStoredHour, emptyHistogram, mergeInto, type ScoreHistogram, totals } from './histogram.ts';
export {
  type AtThreshold,
  atThreshold,
  averagePrecisionOf,
  type HistogramAveragePrecision,
} from './histogram-metrics.ts';
export { runQuality, usage as qualityUsage } from './quality-command.ts';
export {
  createHistogramStore,
  evaluationPrefix,
  type FraudLabelRef,
  type HistogramStore,
  type HistogramStoreOptions,
  readHistogram,
  type ScoredRecord,
} from './redis-histograms.ts';
export { HOUR_MS, hourOf } from './score-record.ts';

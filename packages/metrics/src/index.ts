export { averagePrecision, averagePrecisionOfSample } from './average-precision.ts';
export { cardPrecisionAtK } from './card-precision.ts';
export { rocAuc } from './roc-auc.ts';

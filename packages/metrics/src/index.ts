export { averagePrecision, averagePrecisionOfSample } from './average-precision.ts';

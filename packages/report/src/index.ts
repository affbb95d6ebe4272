export { type PrCurve, prCurve } from './pr-curve.ts';
export { renderReport } from './render.ts';
export { type RunSummary, summarize } from './summary.ts';
export * from './types.ts';
export { DemoRunError, parseDemoRun } from './validate.ts';

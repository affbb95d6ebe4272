export { type Dataset, loadDataset, select } from './dataset.ts';
export { type Evaluation, evaluate, type FoldResult, meanStd } from './evaluate.ts';
export { fitModel, RECIPES, type Recipe } from './fit.ts';
export { prCurveSvg } from './pr-curve.ts';
export { folds, testMask } from './protocol.ts';
export { scoreMatrix } from './score.ts';
export { ensureVenv } from './venv.ts';

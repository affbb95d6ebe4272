import { averagePrecision, cardPrecisionAtK, rocAuc } from '@fraud-operator/metrics';
import type { Dataset } from './dataset.ts';
import { select } from './dataset.ts';
import { downsampleNegatives } from './downsample.ts';
import { fitModel, type Recipe } from './fit.ts';
import { innerValidationMask } from './inner-split.ts';
import { foldSeed, folds, testMask } from './protocol.ts';
import { scoreRows } from './score.ts';
import { concatTestScores, type TestScores } from './test-scores.ts';

export interface FoldResult {
  fold: number;
  trainStartDay: number;
  testStartDay: number;
  trainRows: number;
  trainFrauds: number;
  /** Trees of the fold's model (chosen on the training week's inner split by recipes that stop early). */
  trees: number;
  testRows: number;
  testFrauds: number;
  ap: number;
  rocAuc: number;
  cardPrecisionAt100: number;
}

export interface MeanStd {
  mean: number;
  std: number;
}

export interface Evaluation {
  folds: FoldResult[];
  ap: MeanStd;
  rocAuc: MeanStd;
  cardPrecisionAt100: MeanStd;
  /** fold, TRANSACTION_ID, score of every test transaction (and its label and amount, for operating points). */
  scores: TestScores;
}

export const meanStd = (xs: number[]): MeanStd => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const std = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
  return { mean, std };
};

export interface EvaluateOptions {
  /** Keep this share of each training week's genuine rows, reweighted (downsample.ts); default 1 (all). */
  negativeRate?: number;
}

/** The indices of the 1s of a mask. */
function rowsOf(mask: Uint8Array): Int32Array {
  let n = 0;
  for (let i = 0; i < mask.length; i++) n += mask[i]!;
  const out = new Int32Array(n);
  for (let i = 0, k = 0; i < mask.length; i++) if (mask[i] === 1) out[k++] = i;
  return out;
}

/** The Handbook's prequential protocol on a dataset: fit on each fold's training week, score its test week. */
export async function evaluate(
  ds: Dataset,
  recipe: Recipe,
  seed: number,
  say: (m: string) => void,
  opts: EvaluateOptions = {},
) {
  const cols = ds.names.length;
  const results: FoldResult[] = [];
  const parts: TestScores[] = [];
  for (const fold of folds(ds.firstDay, ds.lastDay)) {
    const { train, test } = testMask(fold, ds.day, ds.customer, ds.fraud);
    const rate = opts.negativeRate ?? 1;
    const kept = downsampleNegatives(train, ds.fraud, ds.txId, rate, foldSeed(seed, fold.fold));
    const tr = select(ds, kept.mask);
    const weights = rate < 1 ? Float32Array.from(tr.y, kept.weightOf) : undefined;
    const inner = innerValidationMask(Array.from(tr.index, (i) => ds.day[i]!));
    const started = Date.now();
    const { onnx, trees } = await fitModel(tr.x, tr.y, cols, recipe, foldSeed(seed, fold.fold), weights, inner);
    const fitted = Date.now();
    const index = rowsOf(test);
    const score = await scoreRows(onnx, ds.features, cols, index);
    const seconds = (from: number) => ((Date.now() - from) / 1000).toFixed(1);
    const timing = `fit ${((fitted - started) / 1000).toFixed(1)} s, scoring ${seconds(fitted)} s`;
    const fraud = Int8Array.from(index, (i) => ds.fraud[i]!);
    const days = Int32Array.from(index, (i) => ds.day[i]!);
    const customers = Int32Array.from(index, (i) => ds.customer[i]!);
    const testFrauds = fraud.reduce((a, b) => a + b, 0);
    const r: FoldResult = {
      ...fold,
      trainRows: tr.y.length,
      trainFrauds: tr.y.reduce((a, b) => a + b, 0),
      trees,
      testRows: index.length,
      testFrauds,
      ap: averagePrecision(Array.from(score), Array.from(fraud) as (0 | 1)[]),
      rocAuc: rocAuc(score, fraud),
      cardPrecisionAt100: cardPrecisionAtK(days, customers, score, fraud, 100),
    };
    results.push(r);
    parts.push({
      length: index.length,
      fold: new Uint8Array(index.length).fill(fold.fold),
      txId: Int32Array.from(index, (i) => ds.txId[i]!),
      score,
      fraud,
      amount: Float64Array.from(index, (i) => ds.amount[i]!),
    });
    say(
      `[evaluate] fold ${fold.fold}: AP ${r.ap.toFixed(3)}, ROC-AUC ${r.rocAuc.toFixed(3)}, CP@100 ${r.cardPrecisionAt100.toFixed(3)} (${r.testFrauds} frauds in ${r.testRows}; ${trees} trees; ${timing})`,
    );
  }
  return {
    folds: results,
    ap: meanStd(results.map((r) => r.ap)),
    rocAuc: meanStd(results.map((r) => r.rocAuc)),
    cardPrecisionAt100: meanStd(results.map((r) => r.cardPrecisionAt100)),
    scores: concatTestScores(parts),
  } satisfies Evaluation;
}

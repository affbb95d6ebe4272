import { averagePrecision, cardPrecisionAtK, rocAuc } from '@fraud-operator/metrics';
import type { Dataset } from './dataset.ts';
import { select } from './dataset.ts';
import { downsampleNegatives } from './downsample.ts';
import { fitModel, type Recipe } from './fit.ts';
import { innerValidationMask } from './inner-split.ts';
import { folds, testMask } from './protocol.ts';
import { scoreMatrix } from './score.ts';

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
  scores: { fold: number; txId: number; score: number; fraud: number; amount: number }[];
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
  const scores: Evaluation['scores'] = [];
  for (const fold of folds(ds.day[0]!, ds.day[ds.rows - 1]!)) {
    const { train, test } = testMask(fold, ds.day, ds.customer, ds.fraud);
    const kept = downsampleNegatives(train, ds.fraud, opts.negativeRate ?? 1, seed + fold.fold);
    const tr = select(ds, kept.mask);
    const te = select(ds, test);
    const weights = (opts.negativeRate ?? 1) < 1 ? Float32Array.from(tr.y, kept.weightOf) : undefined;
    const inner = innerValidationMask(Array.from(tr.index, (i) => ds.day[i]!));
    const { onnx, trees } = await fitModel(tr.x, tr.y, cols, recipe, seed + fold.fold, weights, inner);
    const s = await scoreMatrix(onnx, te.x, cols);
    const sArr = Array.from(s);
    const labels = Array.from(te.y) as (0 | 1)[];
    const days = Array.from(te.index, (i) => ds.day[i]!);
    const customers = Array.from(te.index, (i) => ds.customer[i]!);
    const r: FoldResult = {
      ...fold,
      trainRows: tr.y.length,
      trainFrauds: tr.y.reduce((a, b) => a + b, 0),
      trees,
      testRows: te.y.length,
      testFrauds: labels.reduce<number>((a, b) => a + b, 0),
      ap: averagePrecision(sArr, labels),
      rocAuc: rocAuc(sArr, labels),
      cardPrecisionAt100: cardPrecisionAtK(days, customers, sArr, labels, 100),
    };
    results.push(r);
    te.index.forEach((i, k) => {
      scores.push({ fold: fold.fold, txId: ds.txId[i]!, score: sArr[k]!, fraud: labels[k]!, amount: ds.amount[i]! });
    });
    say(
      `[evaluate] fold ${fold.fold}: AP ${r.ap.toFixed(3)}, ROC-AUC ${r.rocAuc.toFixed(3)}, CP@100 ${r.cardPrecisionAt100.toFixed(3)} (${r.testFrauds} frauds in ${r.testRows}; ${trees} trees)`,
    );
  }
  return {
    folds: results,
    ap: meanStd(results.map((r) => r.ap)),
    rocAuc: meanStd(results.map((r) => r.rocAuc)),
    cardPrecisionAt100: meanStd(results.map((r) => r.cardPrecisionAt100)),
    scores,
  } satisfies Evaluation;
}

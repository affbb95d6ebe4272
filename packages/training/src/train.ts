import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FeatureSetName } from '@fraud-operator/features';
import { select } from './dataset.ts';
import { downsampleNegatives } from './downsample.ts';
import { evaluate } from './evaluate.ts';
import { finalFitRange } from './final-fit-range.ts';
import { fitModel, type Recipe } from './fit.ts';
import { innerValidationMask } from './inner-split.ts';
import { type ModelCard, reportMarkdown } from './model-card.ts';
import { prCurveSvg } from './pr-curve.ts';
import { DAY_MS } from './protocol.ts';
import { loadProtocolDataset } from './protocol-dataset.ts';
import { chooseThreshold, type ThresholdPolicy } from './threshold.ts';

/** Logs the wall time since the previous call, with the process's peak resident memory so far. */
function phaseTimer(say: (m: string) => void): (what: string) => void {
  let last = Date.now();
  return (what) => {
    const now = Date.now();
    const peak = (process.resourceUsage().maxRSS / 1024).toFixed(0);
    say(`[train] ${what}: ${((now - last) / 1000).toFixed(1)} s (peak RSS ${peak} MB)`);
    last = now;
  };
}

const iso = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/**
 * A model version ready to publish: measured on the prequential protocol first (metrics and threshold come from its
 * test sets), then fitted on the latest four weeks whose labels are known (ending the delay before the data's end).
 */
export async function trainModel(opts: {
  transactions: string;
  out: string;
  name: string;
  recipe: Recipe;
  featureSet: FeatureSetName;
  seed: number;
  policy: ThresholdPolicy;
  /** Keep this share of the genuine rows of every training set, weighted 1/rate (downsample.ts); default 1. */
  negativeRate?: number;
  say: (m: string) => void;
}): Promise<ModelCard> {
  const negativeRate = opts.negativeRate ?? 1;
  const phase = phaseTimer(opts.say);
  const ds = await loadProtocolDataset(opts.transactions, opts.featureSet, {
    negativeRate,
    seed: opts.seed,
    finalFit: true,
  });
  phase(`features of ${ds.replayedRows} transactions (${ds.rows} kept for the protocol and the final fit)`);
  const evaluation = await evaluate(ds, opts.recipe, opts.seed, opts.say, { negativeRate });
  phase('protocol (4 folds: fit and score)');
  const { fromDay, toDay } = finalFitRange(ds.lastDay);
  const mask = new Uint8Array(ds.rows);
  for (let i = 0; i < ds.rows; i++) mask[i] = ds.day[i]! >= fromDay && ds.day[i]! <= toDay ? 1 : 0;
  const kept = downsampleNegatives(mask, ds.fraud, ds.txId, negativeRate, opts.seed);
  const train = select(ds, kept.mask);
  const weights = negativeRate < 1 ? Float32Array.from(train.y, kept.weightOf) : undefined;
  const inner = innerValidationMask(Array.from(train.index, (i) => ds.day[i]!));
  const { onnx, importances } = await fitModel(
    train.x,
    train.y,
    ds.names.length,
    opts.recipe,
    opts.seed,
    weights,
    inner,
  );
  phase(`final fit on ${train.y.length} rows`);
  const { score: scores, fraud: labels } = evaluation.scores;
  const card: ModelCard = {
    name: opts.name,
    recipe: opts.recipe,
    featureSet: opts.featureSet,
    features: ds.names.map((name) => ({ name, type: 'float32' })),
    input: { name: 'input', shape: [null, ds.names.length] },
    output: { name: 'probabilities', column: 1 },
    threshold: chooseThreshold(scores, labels, opts.policy),
    metrics: {
      ap: evaluation.ap,
      rocAuc: evaluation.rocAuc,
      cardPrecisionAt100: evaluation.cardPrecisionAt100,
      protocol: 'Handbook prequential, 4 folds of 7/7/7 days',
    },
    training: {
      transactions: opts.transactions,
      fromDay: iso(fromDay),
      toDay: iso(toDay),
      rows: train.y.length,
      frauds: train.y.reduce((a, b) => a + b, 0),
      seed: opts.seed,
      negativeRate,
    },
    sha256: createHash('sha256').update(onnx).digest('hex'),
    importances: ds.names.map((name, i) => ({ name, gain: importances[i] ?? 0 })),
  };
  mkdirSync(opts.out, { recursive: true });
  writeFileSync(join(opts.out, 'model.onnx'), onnx);
  writeFileSync(join(opts.out, 'card.json'), `${JSON.stringify(card, null, 2)}\n`);
  writeFileSync(join(opts.out, 'report.md'), reportMarkdown(card));
  writeFileSync(
    join(opts.out, 'pr-curve.svg'),
    prCurveSvg([{ name: `${opts.name} (protocol test sets)`, scores, labels }]),
  );
  return card;
}

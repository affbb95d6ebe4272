import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { FEATURE_SETS, type FeatureSetName } from '@fraud-operator/features';
import {
  evaluate,
  loadProtocolDataset,
  operatingPoint,
  prCurveSvg,
  RECIPES,
  type Recipe,
} from '@fraud-operator/training';
import type { Command } from './command.ts';
import { UsageError } from './simulate.ts';

/** Every set the engine makes: the earlier full sets too, to measure a model trained on one beside today's. */
export const FEATURE_SET_NAMES = Object.keys(FEATURE_SETS) as FeatureSetName[];

const usage = `usage: fraudctl evaluate --transactions FILE --out DIR [--recipe best|baseline|degraded]
                        [--feature-set full|full33|full31|full28|full25|handbook] [--seed N]
                        [--negative-rate R] [--max-fpr F]

Runs the Fraud-Detection-Handbook's prequential protocol on a transaction file (CSV or Arrow, in the simulator's
schema, sorted by TX_DATETIME): 4 folds of 7 days training, 7 days delay, 7 days test; customers known to be
compromised are dropped from each test set. Features come from the shared engine (packages/features), models are
LightGBM fitted in the project's venv and scored with onnxruntime-node, as the scorer does.

Writes DIR/scores.csv (fold,TRANSACTION_ID,score), DIR/metrics.json (AP, ROC-AUC, Card-Precision@100, mean ± std
over the folds, and per fold) and DIR/pr-curve.svg.

  --negative-rate R   keep this share of each training week's genuine rows, weighted 1/R (default 1: all)
  --max-fpr F         threshold policy for the operating point in metrics.json: the lowest threshold whose
                      false-positive rate on the test sets of folds 1-3 is at most F (default 0.001), judged on
                      fold 0 (the newest week): precision, recall, false-positive share, missed fraud amount per
                      30 days`;

/** Parses a number in (low, high] or refuses it by flag name. */
export function parseFraction(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!(n > 0 && n <= 1)) throw new UsageError(`--${name} must be a number in (0, 1], got "${value}"`);
  return n;
}

export function parseChoice<T extends string>(
  name: string,
  value: string | undefined,
  choices: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (!(choices as readonly string[]).includes(value))
    throw new UsageError(`--${name} must be one of ${choices.join(', ')}, got "${value}"`);
  return value as T;
}

export const evaluateCommand: Command = {
  name: 'evaluate',
  summary: "the Handbook's prequential protocol on a transaction file: AP, ROC-AUC, CP@100",
  usage,
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        transactions: { type: 'string' },
        out: { type: 'string' },
        recipe: { type: 'string' },
        'feature-set': { type: 'string' },
        seed: { type: 'string' },
        'negative-rate': { type: 'string' },
        'max-fpr': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      console.log(usage);
      return 0;
    }
    if (!values.transactions || !values.out) throw new UsageError('--transactions and --out are required');
    const recipe = parseChoice('recipe', values.recipe, Object.keys(RECIPES) as Recipe[], 'best');
    const set = parseChoice<FeatureSetName>('feature-set', values['feature-set'], FEATURE_SET_NAMES, 'full');
    const seed = values.seed === undefined ? 0 : Number(values.seed);
    if (!Number.isSafeInteger(seed)) throw new UsageError(`--seed must be an integer, got "${values.seed}"`);
    const negativeRate = parseFraction('negative-rate', values['negative-rate'], 1);
    const maxFpr = parseFraction('max-fpr', values['max-fpr'], 0.001);
    const started = Date.now();
    const ds = await loadProtocolDataset(values.transactions, set, { negativeRate, seed, finalFit: false });
    console.error(
      `[evaluate] ${ds.replayedRows} transactions (${ds.rows} kept for the protocol), ${ds.names.length} features in ${(Date.now() - started) / 1000} s`,
    );
    const result = await evaluate(ds, recipe, seed, (m) => console.error(m), { negativeRate });
    mkdirSync(values.out, { recursive: true });
    // In chunks: a customer-scale test set is tens of millions of lines, more than one string may hold.
    const fd = openSync(join(values.out, 'scores.csv'), 'w');
    try {
      writeSync(fd, 'fold,TRANSACTION_ID,score\n');
      const { fold, txId, score, length } = result.scores;
      for (let i = 0; i < length; i += 100_000) {
        let chunk = '';
        for (let j = i; j < Math.min(length, i + 100_000); j++) chunk += `${fold[j]},${txId[j]},${score[j]}\n`;
        writeSync(fd, chunk);
      }
    } finally {
      closeSync(fd);
    }
    const { scores, ...metrics } = result;
    const point = operatingPoint(scores, { kind: 'max-fpr', value: maxFpr });
    const summary = {
      transactions: values.transactions,
      recipe,
      featureSet: set,
      seed,
      negativeRate,
      ...metrics,
      operatingPoint: point,
    };
    writeFileSync(join(values.out, 'metrics.json'), `${JSON.stringify(summary, null, 2)}\n`);
    writeFileSync(
      join(values.out, 'pr-curve.svg'),
      prCurveSvg([
        {
          name: `${recipe}/${set} AP ${result.ap.mean.toFixed(3)}`,
          scores: scores.score,
          labels: scores.fraud,
        },
      ]),
    );
    const f = (m: { mean: number; std: number }) => `${m.mean.toFixed(3)} ± ${m.std.toFixed(3)}`;
    console.error(
      `[evaluate] at FPR ≤ ${maxFpr} (threshold ${point.threshold.toFixed(4)} from folds 1-3, judged on fold 0): precision ${point.precision.toFixed(3)}, recall ${point.recall.toFixed(3)}, false positives ${(100 * point.falsePositiveShare).toFixed(4)} % of transactions, missed fraud amount ${point.missedFraudAmountPer30Days.toFixed(0)} per 30 days`,
    );
    console.log(
      `AP ${f(result.ap)}   ROC-AUC ${f(result.rocAuc)}   CP@100 ${f(result.cardPrecisionAt100)}   (${recipe}, ${set}, seed ${seed}; ${(Date.now() - started) / 1000} s)`,
    );
    return 0;
  },
};

import { parseArgs } from 'node:util';
import type { FeatureSetName } from '@fraud-operator/features';
import { RECIPES, type Recipe, trainModel } from '@fraud-operator/training';
import type { Command } from './command.ts';
import { FEATURE_SET_NAMES, parseChoice, parseFraction } from './evaluate.ts';
import { UsageError } from './simulate.ts';

const usage = `usage: fraudctl train --transactions FILE --out DIR --name NAME [--recipe best|baseline|degraded]
                     [--feature-set full|full33|full31|full28|full25|handbook] [--seed N] [--max-fpr 0.01]
                     [--negative-rate R]

Makes a model version: measures it on the Handbook's prequential protocol (as fraudctl evaluate), chooses the
threshold by policy (the lowest whose false-positive rate on the protocol's test sets is at most --max-fpr), then fits
on the latest four weeks whose labels are known. Writes DIR/model.onnx, DIR/card.json (feature schema, input and
output, threshold policy and threshold, metrics, training range, sha256), DIR/report.md and DIR/pr-curve.svg.

Recipes: best (tuned LightGBM), baseline (a small LightGBM; use with --feature-set handbook), degraded (trained on
shuffled labels: a version the canary must reject).

  --negative-rate R   keep this share of the genuine rows of every training set (the protocol's weeks and the final
                      four weeks), weighted 1/R (default 1: all); for histories of tens of millions of rows

Every row is replayed through the feature engine, in event-time order, but only the rows a phase uses stay in memory:
the test weeks, the frauds of the training and delay weeks and of the final four, and the genuine rows of the training
sets that the draw (a seeded hash of TRANSACTION_ID) keeps.`;

export const trainCommand: Command = {
  name: 'train',
  summary: 'make a model version: protocol metrics, policy threshold, ONNX, model card and report',
  usage,
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        transactions: { type: 'string' },
        out: { type: 'string' },
        name: { type: 'string' },
        recipe: { type: 'string' },
        'feature-set': { type: 'string' },
        seed: { type: 'string' },
        'max-fpr': { type: 'string' },
        'negative-rate': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      console.log(usage);
      return 0;
    }
    if (!values.transactions || !values.out || !values.name)
      throw new UsageError('--transactions, --out and --name are required');
    const recipe = parseChoice('recipe', values.recipe, Object.keys(RECIPES) as Recipe[], 'best');
    const featureSet = parseChoice<FeatureSetName>('feature-set', values['feature-set'], FEATURE_SET_NAMES, 'full');
    const seed = values.seed === undefined ? 0 : Number(values.seed);
    if (!Number.isSafeInteger(seed)) throw new UsageError(`--seed must be an integer, got "${values.seed}"`);
    const maxFpr = values['max-fpr'] === undefined ? 0.01 : Number(values['max-fpr']);
    if (!(maxFpr > 0 && maxFpr < 1)) throw new UsageError(`--max-fpr must be in (0, 1), got "${values['max-fpr']}"`);
    const card = await trainModel({
      transactions: values.transactions,
      out: values.out,
      name: values.name,
      recipe,
      featureSet,
      seed,
      policy: { kind: 'max-fpr', value: maxFpr },
      negativeRate: parseFraction('negative-rate', values['negative-rate'], 1),
      say: (m) => console.error(m),
    });
    console.log(
      JSON.stringify({
        out: values.out,
        sha256: card.sha256,
        ap: card.metrics.ap,
        threshold: card.threshold.threshold,
        precision: card.threshold.precision,
        recall: card.threshold.recall,
      }),
    );
    return 0;
  },
};

import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { FeatureSetName } from '@fraud-operator/features';
import {
  fraudModelManifest,
  publishModel,
  type Recipe,
  readCard,
  s3FromEnvOrStack,
  trainModel,
} from '@fraud-operator/training';
import { stringify } from 'yaml';
import type { Command } from './command.ts';
import { simulateCommand, UsageError } from './simulate.ts';

const usage = `usage: fraudctl pipeline [--seed N] [--work DIR] [--name NAME] [--bucket fraud-registry] [--max-fpr 0.001]
                        [--transactions FILE] [--no-publish]

The whole path on the handbook configuration, in one command:
  1. simulate the Handbook's history (--seed) into DIR/transactions.arrow (or use --transactions FILE);
  2. train three versions on it, each measured on the prequential protocol (as fraudctl train):
       baseline  the Handbook's 15 features, a small LightGBM
       best      the engine's full feature set, the tuned LightGBM
       degraded  the full set trained on shuffled labels: a version the canary must reject
     into DIR/models/<version>/ (model.onnx, card.json, report.md, pr-curve.svg);
  3. publish each to s3://BUCKET/models/NAME/<version>/ (versions are named <recipe>-<first 8 of sha256>, so a rerun
     that makes the same model finds it published and moves on; a different model gets a new version);
  4. write a FraudModel manifest per version into DIR/manifests/ and print a summary.
Default DIR: ./pipeline-<seed>. S3 as fraudctl publish (S3_* or the local stack's .stack/env).`;

const VERSIONS: { recipe: Recipe; featureSet: FeatureSetName }[] = [
  { recipe: 'baseline', featureSet: 'handbook' },
  { recipe: 'best', featureSet: 'full' },
  { recipe: 'degraded', featureSet: 'full' },
];

export const pipelineCommand: Command = {
  name: 'pipeline',
  summary: 'simulate, train baseline/best/degraded, publish and print manifests, in one go',
  usage,
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        seed: { type: 'string' },
        work: { type: 'string' },
        name: { type: 'string' },
        bucket: { type: 'string' },
        'max-fpr': { type: 'string' },
        transactions: { type: 'string' },
        'no-publish': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      console.log(usage);
      return 0;
    }
    const seed = values.seed === undefined ? 0 : Number(values.seed);
    if (!Number.isSafeInteger(seed)) throw new UsageError(`--seed must be an integer, got "${values.seed}"`);
    const maxFpr = values['max-fpr'] === undefined ? 0.001 : Number(values['max-fpr']);
    if (!(maxFpr > 0 && maxFpr < 1)) throw new UsageError(`--max-fpr must be in (0, 1), got "${values['max-fpr']}"`);
    const name = values.name ?? 'card-fraud';
    const bucket = values.bucket ?? 'fraud-registry';
    const work = values.work ?? `pipeline-${seed}`;
    mkdirSync(join(work, 'manifests'), { recursive: true });
    const say = (m: string) => console.error(m);

    let transactions = values.transactions;
    if (transactions === undefined) {
      transactions = join(work, 'transactions.arrow');
      if (existsSync(transactions)) say(`[pipeline] ${transactions} exists: using it`);
      else {
        say(`[pipeline] simulating the handbook configuration, seed ${seed}`);
        const code = await simulateCommand.run(['--config', 'handbook', '--seed', String(seed), '--out', transactions]);
        if (code !== 0) return code;
      }
    } else if (!existsSync(transactions)) throw new UsageError(`--transactions ${transactions}: no such file`);

    const s3 = values['no-publish'] ? undefined : s3FromEnvOrStack();
    const summary: Record<string, unknown>[] = [];
    for (const v of VERSIONS) {
      const out = join(work, 'models', v.recipe);
      say(`[pipeline] training ${v.recipe} (${v.featureSet} features)`);
      const card = await trainModel({
        transactions,
        out,
        name,
        recipe: v.recipe,
        featureSet: v.featureSet,
        seed,
        policy: { kind: 'max-fpr', value: maxFpr },
        say,
      });
      const version = `${v.recipe}-${card.sha256.slice(0, 8)}`;
      let uri = `(not published) ${out}/model.onnx`;
      if (s3) {
        const existing = await readCard(s3, bucket, name, version).catch(() => undefined);
        if (existing?.sha256 === card.sha256) {
          uri = `s3://${bucket}/models/${name}/${version}/model.onnx`;
          say(`[pipeline] ${name} ${version} is already published with this sha256`);
        } else {
          ({ uri } = await publishModel(s3, bucket, out, name, version));
          say(`[pipeline] published ${uri}`);
        }
        const manifest = stringify(
          fraudModelManifest(bucket, name, version, await readCard(s3, bucket, name, version)),
        );
        writeFileSync(join(work, 'manifests', `${version}.yaml`), manifest);
      }
      summary.push({
        version,
        features: `${v.featureSet} (${card.features.length})`,
        ap: `${card.metrics.ap.mean.toFixed(3)} ± ${card.metrics.ap.std.toFixed(3)}`,
        rocAuc: card.metrics.rocAuc.mean.toFixed(3),
        cardPrecisionAt100: card.metrics.cardPrecisionAt100.mean.toFixed(3),
        threshold: card.threshold.threshold,
        uri,
      });
    }
    console.table(summary);
    if (s3) say(`[pipeline] manifests in ${join(work, 'manifests')}: kubectl apply -f <one of them>`);
    return 0;
  },
};

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type FeatureSetName, featureSetOf } from '@fraud-operator/features';
import { prCurve, type VersionCurve } from '@fraud-operator/report';
import { HANDBOOK, resolveConfig, simulate } from '@fraud-operator/simulator';
import { type Dataset, loadDataset, scoreMatrix } from '@fraud-operator/training';
import { writeTransactions } from '@fraud-operator/transactions';
import type { PublishedModel } from './fraud-model.ts';

/**
 * Every version's precision-recall curve on one labelled hold-out none of them was trained on: 30 days of the
 * Handbook's configuration under a seed of its own, its last 14 days scored (the first ones fill the windows).
 */
export async function holdoutCurves(models: PublishedModel[], work: string): Promise<VersionCurve[]> {
  const file = join(work, 'holdout.arrow');
  if (!existsSync(file)) await writeTransactions(file, [...simulate(resolveConfig(HANDBOOK, { days: 30 }), 1234)]);
  const datasets = new Map<FeatureSetName, Dataset>();
  const out: VersionCurve[] = [];
  for (const m of models) {
    const set = featureSetOf(m.card.featureSet);
    const ds = datasets.get(set) ?? (await loadDataset(file, set));
    datasets.set(set, ds);
    const onnx = readFileSync(join(work, 'models', m.role, 'model.onnx'));
    const scores = await scoreMatrix(onnx, ds.features, ds.names.length, {
      inputName: m.card.input.name,
      outputName: m.card.output.name,
    });
    const fromDay = ds.day[ds.rows - 1]! - 13;
    const keep: number[] = [];
    for (let i = 0; i < ds.rows; i++) if (ds.day[i]! >= fromDay) keep.push(i);
    const curve = prCurve(
      keep.map((i) => scores[i]!),
      keep.map((i) => ds.fraud[i]!),
    );
    out.push({ version: m.version, sha256: m.card.sha256, role: m.role, ...curve });
  }
  return out;
}

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '@fraud-operator/stack/process';
import { ensureVenv, TRAIN_SCRIPT } from './venv.ts';

/**
 * The recipes: `best` (tuned), `baseline` (small, for the Handbook's 15), `degraded` (shuffled labels: must lose).
 * `amount_max_bin`: bins of TX_AMOUNT (column 0 of every feature set). LightGBM's default 255 quantile bins put a
 * boundary near 220 only by luck, and a week of training holds ~40 amount-over-220 frauds: with 4,095 bins the
 * scenario's AP on the protocol goes from about 0.7 to about 0.9 (packages/training/README.md).
 * `early_stopping_rounds` (best): the number of trees, up to n_estimators, is chosen on an inner time split of the
 * training rows (inner-split.ts: the last two days validate), then the model is refitted on all of them; without a
 * usable split (no fraud on one side) it fits `trees_without_split`, about what the split chooses on the Handbook data.
 */
export const RECIPES = {
  best: {
    amount_max_bin: 4095,
    n_estimators: 2000,
    early_stopping_rounds: 100,
    trees_without_split: 250,
    learning_rate: 0.02,
    num_leaves: 31,
    min_child_samples: 40,
    subsample: 0.8,
    subsample_freq: 1,
    colsample_bytree: 0.8,
    reg_lambda: 1.0,
    n_jobs: 2,
  },
  baseline: { n_estimators: 60, learning_rate: 0.1, num_leaves: 7, min_child_samples: 100, n_jobs: 2 },
  degraded: { n_estimators: 60, learning_rate: 0.1, num_leaves: 7, min_child_samples: 100, n_jobs: 2 },
} as const;
export type Recipe = keyof typeof RECIPES;

/**
 * Fits LightGBM in the project venv and returns the ONNX bytes, the features' gain importances and the number of
 * trees. `validation` (1 per row of the inner validation split, inner-split.ts) is used by recipes that stop early.
 */
export async function fitModel(
  x: Float32Array,
  y: Int8Array,
  cols: number,
  recipe: Recipe,
  seed: number,
  weights?: Float32Array,
  validation?: Uint8Array,
): Promise<{ onnx: Uint8Array; importances: number[]; trees: number }> {
  const python = await ensureVenv((m) => process.stderr.write(`${m}\n`));
  const dir = mkdtempSync(join(tmpdir(), 'fraud-train-'));
  try {
    writeFileSync(join(dir, 'x.f32'), x);
    writeFileSync(join(dir, 'y.i8'), y);
    if (weights) writeFileSync(join(dir, 'w.f32'), weights);
    if (validation) writeFileSync(join(dir, 'v.u8'), validation);
    const args = {
      x: join(dir, 'x.f32'),
      y: join(dir, 'y.i8'),
      ...(weights ? { w: join(dir, 'w.f32') } : {}),
      ...(validation ? { v: join(dir, 'v.u8') } : {}),
      cols,
      out: join(dir, 'model.onnx'),
      params: RECIPES[recipe],
      shuffle_labels: recipe === 'degraded',
      seed,
    };
    const out = await run(python, [TRAIN_SCRIPT, JSON.stringify(args)]);
    const last = out.trim().split('\n').at(-1) ?? '{}';
    const { importances, trees } = JSON.parse(last) as { importances: number[]; trees: number };
    return { onnx: new Uint8Array(readFileSync(args.out)), importances, trees };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '@fraud-operator/stack/process';
import { ensureVenv, TRAIN_SCRIPT } from './venv.ts';

/** The recipes: `best` (tuned), `baseline` (small, for the Handbook's 15), `degraded` (shuffled labels: must lose). */
export const RECIPES = {
  best: {
    n_estimators: 400,
    learning_rate: 0.03,
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

/** Fits LightGBM in the project venv and returns the ONNX bytes and the features' gain importances. */
export async function fitModel(
  x: Float32Array,
  y: Int8Array,
  cols: number,
  recipe: Recipe,
  seed: number,
): Promise<{ onnx: Uint8Array; importances: number[] }> {
  const python = await ensureVenv((m) => process.stderr.write(`${m}\n`));
  const dir = mkdtempSync(join(tmpdir(), 'fraud-train-'));
  try {
    writeFileSync(join(dir, 'x.f32'), x);
    writeFileSync(join(dir, 'y.i8'), y);
    const args = {
      x: join(dir, 'x.f32'),
      y: join(dir, 'y.i8'),
      cols,
      out: join(dir, 'model.onnx'),
      params: RECIPES[recipe],
      shuffle_labels: recipe === 'degraded',
      seed,
    };
    const out = await run(python, [TRAIN_SCRIPT, JSON.stringify(args)]);
    const last = out.trim().split('\n').at(-1) ?? '{}';
    const { importances } = JSON.parse(last) as { importances: number[] };
    return { onnx: new Uint8Array(readFileSync(args.out)), importances };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Small batches run on the main thread's session, large ones on the worker's: both give the model's own scores.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { tinyModelBytes } from '../test/fixtures/tiny-model.ts';
import { INLINE_MAX_ROWS, type Inference, startInference } from './inference.ts';

const WEIGHTS = [0.5, -1, 2];
const BIAS = -0.25;
const COLS = WEIGHTS.length;
let inference: Inference;

beforeAll(async () => {
  inference = await startInference(tinyModelBytes({ weights: WEIGHTS, bias: BIAS }));
});
afterAll(() => inference.close());

const expected = (row: number[]) => 1 / (1 + Math.exp(-(row.reduce((z, x, i) => z + x * WEIGHTS[i]!, 0) + BIAS)));

it('scores a row alone (main thread) and inside a large batch (worker) the same, as the model defines them', async () => {
  const rows = Array.from({ length: INLINE_MAX_ROWS * 3 }, (_, r) => WEIGHTS.map((_, c) => Math.sin(r * 7 + c) * 3));
  const batch = await inference.score(Float32Array.from(rows.flat()), COLS);
  expect(batch).toHaveLength(rows.length);
  for (const [r, row] of rows.entries()) {
    const [alone] = await inference.score(Float32Array.from(row), COLS);
    expect(alone).toBe(batch[r]);
    expect(alone).toBeCloseTo(expected(row), 6);
  }
});

it('reports a batch of the wrong width on either path', async () => {
  await expect(inference.score(new Float32Array(COLS + 1), COLS + 1)).rejects.toThrow(/ONNX inference failed/);
  const wide = (INLINE_MAX_ROWS + 1) * (COLS + 1);
  await expect(inference.score(new Float32Array(wide), COLS + 1)).rejects.toThrow(/ONNX inference failed/);
});

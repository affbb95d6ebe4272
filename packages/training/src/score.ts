import * as ort from 'onnxruntime-node';
import { type ExpectedSchema, openCheckedModel } from './model-schema.ts';

/**
 * Scores a feature matrix with onnxruntime-node, as the scorer does (`input` → `probabilities`[:, 1]). A model whose
 * input or output does not match the feature schema is refused before any scoring (model-schema.ts).
 */
export async function scoreMatrix(
  onnx: Uint8Array,
  x: Float32Array,
  cols: number,
  schema: Omit<ExpectedSchema, 'width'> = { inputName: 'input', outputName: 'probabilities' },
): Promise<Float32Array> {
  if (x.length % cols !== 0) throw new Error(`scoreMatrix: ${x.length} values are not rows of ${cols} features`);
  const session = await openCheckedModel(onnx, { ...schema, width: cols });
  try {
    const rows = x.length / cols;
    const out = new Float32Array(rows);
    const CHUNK = 50_000;
    for (let r = 0; r < rows; r += CHUNK) {
      const n = Math.min(CHUNK, rows - r);
      const input = new ort.Tensor('float32', x.subarray(r * cols, (r + n) * cols), [n, cols]);
      const res = await session.run({ [schema.inputName]: input }, [schema.outputName]);
      const p = res[schema.outputName]!.data as Float32Array;
      for (let i = 0; i < n; i++) out[r + i] = p[i * 2 + 1]!;
    }
    return out;
  } finally {
    await session.release();
  }
}

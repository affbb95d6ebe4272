import * as ort from 'onnxruntime-node';
import { type ExpectedSchema, openCheckedModel } from './model-schema.ts';

type Schema = Omit<ExpectedSchema, 'width'>;
const SCORER_SCHEMA: Schema = { inputName: 'input', outputName: 'probabilities' };
const CHUNK = 50_000;

/**
 * Scores `rows` rows with onnxruntime-node, as the scorer does (`input` → `probabilities`[:, 1]), `CHUNK` at a time;
 * `chunk(start, n)` gives rows start..start+n-1 as a row-major matrix. A model whose input or output does not match the
 * feature schema is refused before any scoring (model-schema.ts).
 */
async function scoreChunks(
  onnx: Uint8Array,
  cols: number,
  rows: number,
  schema: Schema,
  chunk: (start: number, n: number) => Float32Array,
): Promise<Float32Array> {
  const session = await openCheckedModel(onnx, { ...schema, width: cols });
  try {
    const out = new Float32Array(rows);
    for (let r = 0; r < rows; r += CHUNK) {
      const n = Math.min(CHUNK, rows - r);
      const input = new ort.Tensor('float32', chunk(r, n), [n, cols]);
      const res = await session.run({ [schema.inputName]: input }, [schema.outputName]);
      const p = res[schema.outputName]!.data as Float32Array;
      for (let i = 0; i < n; i++) out[r + i] = p[i * 2 + 1]!;
    }
    return out;
  } finally {
    await session.release();
  }
}

/** Scores a whole feature matrix (row-major, `cols` per row). */
export function scoreMatrix(
  onnx: Uint8Array,
  x: Float32Array,
  cols: number,
  schema: Schema = SCORER_SCHEMA,
): Promise<Float32Array> {
  if (x.length % cols !== 0) throw new Error(`scoreMatrix: ${x.length} values are not rows of ${cols} features`);
  return scoreChunks(onnx, cols, x.length / cols, schema, (r, n) => x.subarray(r * cols, (r + n) * cols));
}

/** Scores the rows `index` of a feature matrix, gathered a chunk at a time (no copy of the selection). */
export function scoreRows(
  onnx: Uint8Array,
  x: Float32Array,
  cols: number,
  index: Int32Array,
  schema: Schema = SCORER_SCHEMA,
): Promise<Float32Array> {
  const buffer = new Float32Array(Math.min(CHUNK, index.length) * cols);
  return scoreChunks(onnx, cols, index.length, schema, (r, n) => {
    for (let k = 0; k < n; k++) {
      const i = index[r + k]!;
      buffer.set(x.subarray(i * cols, (i + 1) * cols), k * cols);
    }
    return buffer.subarray(0, n * cols);
  });
}

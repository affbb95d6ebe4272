import * as ort from 'onnxruntime-node';

/**
 * Scores a feature matrix with onnxruntime-node, as the scorer does (`input` → `probabilities`[:, 1]). A model whose
 * input width differs from the feature schema is refused before any scoring.
 */
export async function scoreMatrix(onnx: Uint8Array, x: Float32Array, cols: number): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(onnx, { intraOpNumThreads: 2 });
  try {
    const dims = (session.inputMetadata[0] as { shape?: readonly (number | string)[] } | undefined)?.shape;
    const width = dims?.[1];
    if (typeof width === 'number' && width !== cols)
      throw new Error(`the model takes ${width} features; the feature schema has ${cols}`);
    if (!session.outputNames.includes('probabilities'))
      throw new Error(`the model has no 'probabilities' output (outputs: ${session.outputNames.join(', ')})`);
    const rows = x.length / cols;
    const out = new Float32Array(rows);
    const CHUNK = 50_000;
    for (let r = 0; r < rows; r += CHUNK) {
      const n = Math.min(CHUNK, rows - r);
      const input = new ort.Tensor('float32', x.subarray(r * cols, (r + n) * cols), [n, cols]);
      const res = await session.run({ [session.inputNames[0]!]: input }, ['probabilities']);
      const p = res.probabilities!.data as Float32Array;
      for (let i = 0; i < n; i++) out[r + i] = p[i * 2 + 1]!;
    }
    return out;
  } finally {
    await session.release();
  }
}

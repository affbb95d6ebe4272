import * as ort from 'onnxruntime-node';

export const createSession = (modelBytes: Uint8Array) =>
  ort.InferenceSession.create(modelBytes, { intraOpNumThreads: 1, interOpNumThreads: 1 });

/** Runs a row-major float32 matrix through the session, asking only for `probabilities`: P(fraud) per row. */
export async function fraudProbabilities(
  session: ort.InferenceSession,
  inputName: string,
  features: Float32Array,
  rows: number,
  cols: number,
): Promise<Float32Array<ArrayBuffer>> {
  const out = await session.run({ [inputName]: new ort.Tensor('float32', features, [rows, cols]) }, ['probabilities']);
  const probabilities = out.probabilities?.data as Float32Array;
  const scores = new Float32Array(rows);
  for (let i = 0; i < rows; i++) scores[i] = probabilities[i * 2 + 1] ?? Number.NaN;
  return scores;
}

import { parentPort, workerData } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';

/** One InferenceSession per worker thread; asks only for `probabilities` and returns P(fraud) per row. */
interface Request {
  id: number;
  features: Float32Array;
  rows: number;
  cols: number;
}

const { modelBytes, inputName } = workerData as { modelBytes: Uint8Array; inputName: string };
const session = await ort.InferenceSession.create(modelBytes, { intraOpNumThreads: 1, interOpNumThreads: 1 });
parentPort?.postMessage({ ready: true, inputNames: session.inputNames, outputNames: session.outputNames });

parentPort?.on('message', async (req: Request) => {
  try {
    const input = new ort.Tensor('float32', req.features, [req.rows, req.cols]);
    const out = await session.run({ [inputName]: input }, ['probabilities']);
    const probabilities = out.probabilities?.data as Float32Array;
    const scores = new Float32Array(req.rows);
    for (let i = 0; i < req.rows; i++) scores[i] = probabilities[i * 2 + 1] ?? Number.NaN;
    parentPort?.postMessage({ id: req.id, scores }, [scores.buffer]);
  } catch (err) {
    parentPort?.postMessage({ id: req.id, error: (err as Error).message });
  }
});

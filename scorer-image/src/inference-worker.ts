import { parentPort, workerData } from 'node:worker_threads';
import { createSession, fraudProbabilities } from './onnx-run.ts';

/** The session for large batches, off the main thread. */
interface Request {
  id: number;
  features: Float32Array;
  rows: number;
  cols: number;
}

const { modelBytes, inputName } = workerData as { modelBytes: Uint8Array; inputName: string };
const session = await createSession(modelBytes);
parentPort?.postMessage({ ready: true, inputNames: session.inputNames, outputNames: session.outputNames });

parentPort?.on('message', async (req: Request) => {
  try {
    const scores = await fraudProbabilities(session, inputName, req.features, req.rows, req.cols);
    parentPort?.postMessage({ id: req.id, scores }, [scores.buffer]);
  } catch (err) {
    parentPort?.postMessage({ id: req.id, error: (err as Error).message });
  }
});

import { Worker } from 'node:worker_threads';
import { createSession, fraudProbabilities } from './onnx-run.ts';

/**
 * Batches up to this many rows run on the main thread: at low load a batch is a few transactions and the hop to the
 * worker thread (a wake-up on a busy machine) cost more than the model. Larger ones go to the worker, so that a
 * 1,000-row batch never blocks the event loop.
 */
export const INLINE_MAX_ROWS = 32;

export interface Inference {
  inputNames: string[];
  outputNames: string[];
  /** P(fraud) for each row of a row-major float32 matrix of `cols` columns. */
  score(features: Float32Array, cols: number): Promise<Float32Array>;
  close(): Promise<void>;
}

type Reply = { id: number; scores: Float32Array } | { id: number; error: string };

/** Loads the model on the main thread and in the ONNX worker thread; resolves when both sessions are ready. */
export async function startInference(modelBytes: Uint8Array, inputName = 'input'): Promise<Inference> {
  const inline = await createSession(modelBytes).catch((err: Error) => {
    throw new Error(`ONNX model failed to load: ${err.message}`);
  });
  const worker = new Worker(new URL('./inference-worker.ts', import.meta.url), {
    workerData: { modelBytes, inputName },
  });
  const pending = new Map<number, { resolve: (s: Float32Array) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  const info = await new Promise<{ inputNames: string[]; outputNames: string[] }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', (err) => reject(new Error(`ONNX model failed to load: ${err.message}`)));
  });
  worker.on('message', (reply: Reply) => {
    const waiter = pending.get(reply.id);
    if (waiter === undefined) return;
    pending.delete(reply.id);
    if ('error' in reply) waiter.reject(new Error(`ONNX inference failed: ${reply.error}`));
    else waiter.resolve(reply.scores);
  });
  worker.on('error', (err) => {
    for (const w of pending.values()) w.reject(err);
    pending.clear();
  });
  return {
    inputNames: info.inputNames,
    outputNames: info.outputNames,
    score(features, cols) {
      const id = nextId++;
      const rows = cols === 0 ? 0 : features.length / cols;
      if (rows <= INLINE_MAX_ROWS) {
        return fraudProbabilities(inline, inputName, features, rows, cols).catch((err: Error) => {
          throw new Error(`ONNX inference failed: ${err.message}`);
        });
      }
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, features, rows, cols });
      });
    },
    async close() {
      await inline.release();
      await worker.terminate();
    },
  };
}

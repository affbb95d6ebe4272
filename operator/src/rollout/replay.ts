import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { PairedScores } from '@fraud-operator/canary';
import {
  createReplay,
  FEATURE_SETS,
  type FeatureSetName,
  featureSetOfWidth,
  type Replay,
} from '@fraud-operator/features';
import { readTransactionColumns } from '@fraud-operator/transactions';
import type { Logger } from 'pino';
import type { ModelCard } from '../children/index.ts';
import { parseS3Uri } from './artifact-gate.ts';

export interface ReplayRequest {
  uri: string;
  maxTransactions: number;
  stable: ModelCard;
  canary: ModelCard;
}

type Job = { state: 'running' } | { state: 'done'; scores: PairedScores } | { state: 'failed'; error: Error };

const BATCH = 8_192;

/**
 * The gate's offline replay: the labelled history from S3 through the shared feature engine (the same code as the
 * scorer's online features, with labels known only after their delay) and both versions' ONNX models, giving the
 * paired scores `advanceRollout` compares. A replay runs in the background; `result` is null until it is done,
 * so a reconcile never blocks on it. Results are kept per (history, both artifacts, size).
 */
export class ReplayRunner {
  private readonly jobs = new Map<string, Job>();
  private readonly s3: S3Client;
  private readonly log: Logger;

  constructor(s3: S3Client, log: Logger) {
    this.s3 = s3;
    this.log = log;
  }

  result(req: ReplayRequest): PairedScores | null {
    const key = `${req.uri}|${req.maxTransactions}|${req.stable.sha256}|${req.canary.sha256}`;
    const job = this.jobs.get(key);
    if (job === undefined) {
      this.jobs.set(key, { state: 'running' });
      const started = Date.now();
      this.run(req).then(
        (scores) => {
          this.jobs.set(key, { state: 'done', scores });
          this.log.info({ uri: req.uri, rows: scores.labels.length, ms: Date.now() - started }, 'replay done');
        },
        (err: Error) => this.jobs.set(key, { state: 'failed', error: err }),
      );
      return null;
    }
    if (job.state === 'failed') {
      this.jobs.delete(key);
      throw new Error(`replay of ${req.uri}: ${job.error.message}`);
    }
    return job.state === 'done' ? job.scores : null;
  }

  private async bytes(uri: string): Promise<Uint8Array> {
    const { bucket, key } = parseS3Uri(uri);
    const object = await this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return object.Body!.transformToByteArray();
  }

  private async session(card: ModelCard) {
    const ort = await import('onnxruntime-node');
    const bytes = await this.bytes(card.uri);
    const sha = createHash('sha256').update(bytes).digest('hex');
    if (sha !== card.sha256) throw new Error(`model ${card.version}: sha256 ${sha} does not match ${card.sha256}`);
    const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1 });
    return async (features: Float32Array, rows: number, cols: number): Promise<Float32Array> => {
      const input = new ort.Tensor('float32', features, [rows, cols]);
      const out = await session.run({ [card.inputName ?? 'input']: input }, ['probabilities']);
      const p = out.probabilities?.data as Float32Array;
      const scores = new Float32Array(rows);
      for (let i = 0; i < rows; i++) scores[i] = p[i * 2 + 1] ?? Number.NaN;
      return scores;
    };
  }

  private async run(req: ReplayRequest): Promise<PairedScores> {
    const dir = mkdtempSync(join(tmpdir(), 'fraud-replay-'));
    try {
      const file = join(dir, basename(parseS3Uri(req.uri).key));
      writeFileSync(file, await this.bytes(req.uri));
      const models = [req.stable, req.canary];
      const score = await Promise.all(models.map((m) => this.session(m)));
      const sets = models.map((m) => featureSetOfWidth(m.featureCount ?? 15));
      const replays = new Map<FeatureSetName, Replay>(sets.map((s) => [s, createReplay({ featureSet: s })]));
      const labels: number[] = [];
      const out: [number[], number[]] = [[], []];
      for await (const cols of readTransactionColumns(file, { batchSize: BATCH })) {
        const take = Math.min(cols.length, req.maxTransactions - labels.length);
        if (take <= 0) break;
        const features = new Map<FeatureSetName, Float32Array>();
        for (const [set, replay] of replays) features.set(set, replay.push(cols));
        for (let m = 0; m < 2; m++) {
          const set = sets[m] as FeatureSetName;
          const width = FEATURE_SETS[set].length;
          const matrix = (features.get(set) as Float32Array).subarray(0, take * width);
          for (let from = 0; from < take; from += BATCH) {
            const rows = Math.min(BATCH, take - from);
            const scores = await (score[m] as (f: Float32Array, r: number, c: number) => Promise<Float32Array>)(
              matrix.slice(from * width, (from + rows) * width),
              rows,
              width,
            );
            for (const s of scores) out[m]!.push(s);
          }
        }
        for (let i = 0; i < take; i++) labels.push(cols.TX_FRAUD[i] === 1 ? 1 : 0);
      }
      if (labels.length === 0) throw new Error('the history holds no transaction');
      return { labels: Uint8Array.from(labels), stable: Float64Array.from(out[0]), canary: Float64Array.from(out[1]) };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

import type { Batch } from '@fraud-operator/kafka/consumer';
import type { ProducedMessage } from '@fraud-operator/kafka/producer';
import type { HistogramStore, ScoredRecord } from '@fraud-operator/score-histograms';
import type { TransactionMessage, Verdict } from '@fraud-operator/transactions/wire';
import type { Logger } from 'pino';
import { isAuthoritative, type ScorerConfig } from './config.ts';
import type { FeatureStep } from './feature-step.ts';
import type { Inference } from './inference.ts';
import type { ScorerMetrics } from './metrics.ts';
import { retrying } from './retry.ts';
import { validateTransaction } from './validate.ts';
import type { VerdictStore } from './verdict-store.ts';

export interface PipelineDeps {
  config(): ScorerConfig;
  features: FeatureStep;
  /** The feature vectors' width: the model's input width, checked at start. */
  featureCount: number;
  inference: Inference;
  store: VerdictStore;
  /** This version's evaluation histograms (every score, by event hour; frauds joined when their labels come). */
  histograms: HistogramStore;
  send(topic: string, messages: ProducedMessage[]): Promise<void>;
  metrics: ScorerMetrics;
  log: Logger;
  /** False once shutdown started: retries give up and the batch is left uncommitted. */
  keepGoing(): boolean;
}

const b64 = (b: Uint8Array | null): string | null => (b === null ? null : Buffer.from(b).toString('base64'));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Decides authority for every transaction of the batch, waiting while the schedule does not cover one; it keeps
 * heartbeating meanwhile, or the group would evict the member and rebalance for a wait that is by design.
 */
async function authorityFor(
  deps: PipelineDeps,
  txs: TransactionMessage[],
  heartbeat: () => Promise<void>,
): Promise<boolean[]> {
  for (;;) {
    const config = deps.config();
    const flags = txs.map((tx) => isAuthoritative(config, tx.txId, tx.ts));
    if (flags.every((f) => f !== null)) return flags as boolean[];
    deps.metrics.authorityWaits.inc();
    if (!deps.keepGoing()) throw new Error('authority: schedule does not cover the batch and the scorer is stopping');
    await heartbeat();
    await sleep(100);
  }
}

export type BatchScorer = (
  batch: Batch,
  heartbeat?: () => Promise<void>,
) => Promise<{ durable: Promise<void> } | undefined>;

/**
 * One consumer's batch handler. A batch is validated and its authority decided before the handler returns; its
 * features, model, verdicts and topic writes run behind it, in `durable` (the consumer commits the batch's offsets only
 * once that resolves), so the next fetch and its parsing overlap them instead of leaving Redis, the bottleneck, idle.
 * Per partition, each feature call waits for the one before it (the windows see a partition's transactions in order)
 * and each batch's Redis writes for the previous batch's (the histograms count a partition's offsets in order). One
 * that fails for good (the scorer stopping, a defect) fails the partition's later batches with it, unscored and
 * uncommitted, and the partition's next fetched batch throws it: the consumer restarts from the last commit.
 */
export function batchScorer(deps: PipelineDeps): BatchScorer {
  const lastBatch = new Map<string, Stages>();
  const failures = new Map<string, unknown>();
  return async (batch, heartbeat = async () => {}) => {
    const partition = `${batch.topic}:${batch.partition}`;
    if (failures.has(partition)) {
      const err = failures.get(partition);
      failures.delete(partition);
      lastBatch.delete(partition);
      throw err;
    }
    const work = await scoreBatch(deps, batch, heartbeat, lastBatch.get(partition));
    if (work === undefined) return undefined;
    lastBatch.set(partition, work);
    work.durable.catch((err: unknown) => {
      if (!failures.has(partition)) failures.set(partition, err);
      const level = deps.keepGoing() ? 'error' : 'warn';
      deps.log[level]({ err, partition }, "batch failed: left uncommitted, with the partition's later batches");
    });
    return { durable: work.durable };
  };
}

/** A batch's work behind the handler, each stage resolved once done. */
interface Stages {
  features: Promise<unknown>;
  /** Verdicts and evaluation histograms in Redis (the histograms count a partition's offsets in order). */
  stored: Promise<unknown>;
  /** `stored`, and the verdicts and scores topics. */
  durable: Promise<void>;
}

/**
 * Scores one batch: validation, dead letters and authority before it resolves; then each stage in `Stages`, the
 * feature call and the Redis writes each after the partition's previous batch's.
 */
async function scoreBatch(
  deps: PipelineDeps,
  batch: Batch,
  heartbeat: () => Promise<void>,
  previous: Stages | undefined,
): Promise<Stages | undefined> {
  const { metrics, log } = deps;
  const config = deps.config();
  let mark = performance.now();
  const step = (stage: string) => {
    const now = performance.now();
    metrics.stage.observe({ stage }, now - mark);
    mark = now;
  };
  metrics.stage.observe({ stage: 'wait' }, Math.max(0, Date.now() - (batch.messages[0]?.timestamp ?? Date.now())));
  metrics.batchSize.observe(batch.messages.length);
  metrics.lag.set(
    { partition: String(batch.partition) },
    Number(BigInt(batch.highWatermark) - BigInt(batch.messages.at(-1)?.offset ?? '0') - 1n),
  );
  const txs: TransactionMessage[] = [];
  const offsets: string[] = [];
  const appended: number[] = [];
  const dead: ProducedMessage[] = [];
  for (const m of batch.messages) {
    const v = validateTransaction(m.value);
    if (v.ok) {
      txs.push(v.tx);
      offsets.push(m.offset);
      appended.push(m.timestamp);
    } else {
      dead.push({
        key: m.key === null ? `${batch.partition}:${m.offset}` : Buffer.from(m.key).toString('utf8'),
        value: JSON.stringify({
          reason: v.reason,
          topic: batch.topic,
          partition: batch.partition,
          offset: m.offset,
          key: b64(m.key),
          value: b64(m.value),
        }),
      });
    }
  }
  const keep = () => deps.keepGoing();
  const retry = (what: string) => (err: unknown) => {
    metrics.retries.inc({ what });
    log.warn({ err, what }, 'side effect failed, backing off');
    void heartbeat();
  };
  if (dead.length > 0) {
    await retrying('dead letters', () => deps.send(config.topics.deadLetters, dead), keep, retry('dlq'));
    metrics.deadLetters.inc(dead.length);
  }
  if (txs.length === 0) return undefined;
  const authoritative = await authorityFor(deps, txs, heartbeat);
  const features = (previous?.features ?? Promise.resolve()).then(() => {
    mark = performance.now();
    return retrying('features', () => deps.features(txs), keep, retry('features'));
  });
  const stored = Promise.withResolvers<void>();
  // the partition's next batch may never come to wait for it
  stored.promise.catch(() => undefined);
  const durable = features.then(finish);
  durable.catch(stored.reject);
  return { features, stored: stored.promise, durable };

  async function finish(features: Float32Array): Promise<void> {
    step('features');
    const scores = await deps.inference.score(features, deps.featureCount);
    metrics.modelLatency.observe(performance.now() - mark);
    step('model');
    const now = Date.now();
    const verdicts: Verdict[] = txs.map((tx, i) => {
      const score = scores[i] ?? Number.NaN;
      metrics.scores.observe(score);
      return {
        txId: tx.txId,
        score,
        decision: score >= config.model.threshold ? 'fraud' : 'legit',
        modelVersion: config.model.version,
        threshold: config.model.threshold,
        latencyMs: now - (appended[i] ?? now),
      };
    });
    const scoreRecords = verdicts.map((v, i) => ({
      key: v.txId,
      value: JSON.stringify({
        txId: v.txId,
        ts: txs[i]?.ts,
        score: v.score,
        modelVersion: v.modelVersion,
        authoritative: authoritative[i],
      }),
    }));
    const mine = verdicts.filter((_, i) => authoritative[i]);
    const scored: ScoredRecord[] = verdicts.map((v, i) => ({
      offset: offsets[i] as string,
      txId: v.txId,
      ts: txs[i]?.ts as number,
      score: v.score,
    }));
    await previous?.stored;
    const [storedJson] = await Promise.all([
      retrying('verdict store', () => deps.store.putOnce(mine), keep, retry('redis')),
      retrying(
        'score histograms',
        () => deps.histograms.recordScores(`${batch.topic}:${batch.partition}`, config.model.threshold, scored),
        keep,
        retry('histograms'),
      ),
    ]);
    step('store');
    stored.resolve();
    const published = storedJson.map((json, i) => ({ key: mine[i]?.txId ?? '', value: json }));
    await Promise.all([
      published.length > 0
        ? retrying('verdicts topic', () => deps.send(config.topics.verdicts, published), keep, retry('verdicts'))
        : undefined,
      retrying('scores topic', () => deps.send(config.topics.scores, scoreRecords), keep, retry('scores')),
    ]);
    step('publish');
    const done = Date.now();
    for (const t of appended) metrics.endToEnd.observe(done - t);
    metrics.scored.inc({ outcome: 'authoritative' }, mine.length);
    metrics.scored.inc({ outcome: 'shadow' }, verdicts.length - mine.length);
  }
}

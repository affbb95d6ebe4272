import { randomUUID } from 'node:crypto';
import type { RolloutEvidence } from '@fraud-operator/canary';
import { type Consumer, openConsumer } from '@fraud-operator/kafka/consumer';
import { type JoinStats, PairedJoin, parseLabelRecord, parseScoreRecord } from './paired-join.ts';

export interface EvidenceCollectorOptions {
  brokers: string[];
  /** e.g. `fraud-operator.canary.<namespace>.<name>` */
  clientId: string;
  stableVersion: string;
  canaryVersion: string;
  topics: { stableScores: string; canaryScores: string; labels: string };
  /** How long after a transaction its label is final (no fraud label by then: legitimate). */
  labelDelayMs: number;
  /**
   * Wall-clock time (epoch ms) from which the score streams are read; null reads them from their beginning. The labels
   * topic is always read from its beginning: it holds frauds only, and a fraud's label may be older than its scores.
   */
  scoresSince?: number | null;
  /**
   * How long the start waits to have read the score streams up to their ends at open (default 10 s), so that the
   * first evidence already carries the fleets' frontiers and the rollout can extend coverage at once.
   */
  catchUpMs?: number;
  maxPending?: number;
  maxLabelled?: number;
  onMalformed?(topic: string, reason: string): void;
}

export interface EvidenceCollector {
  /** Evidence for advanceRollout: frontiers always; the paired window when windowFrom is known. */
  evidence(windowFrom: number | null): RolloutEvidence;
  stats(): JoinStats & { malformed: number };
  close(): Promise<void>;
}

/**
 * Reads both versions' score streams (from `scoresSince`) and the labels topic (from its beginning) under a consumer
 * group of its own (a fresh id per collector: a restarted operator rebuilds the same evidence from the topics, and no offset it
 * commits can make another collector skip data), and keeps the paired join in memory, bounded.
 */
export async function startEvidenceCollector(options: EvidenceCollectorOptions): Promise<EvidenceCollector> {
  const join = new PairedJoin({
    stableVersion: options.stableVersion,
    canaryVersion: options.canaryVersion,
    labelDelayMs: options.labelDelayMs,
    maxPending: options.maxPending ?? 2_000_000,
    maxLabelled: options.maxLabelled ?? 1_000_000,
  });
  let malformed = 0;
  const { stableScores, canaryScores, labels } = options.topics;
  const consumer: Consumer = await openConsumer({
    brokers: options.brokers,
    clientId: options.clientId,
    groupId: `${options.clientId}.${randomUUID()}`,
    topics: [stableScores, canaryScores, labels],
    catchUp: [stableScores, canaryScores],
    fromBeginning: true,
    ...(options.scoresSince == null
      ? {}
      : { startAt: { [stableScores]: options.scoresSince, [canaryScores]: options.scoresSince } }),
    partitionsConsumedConcurrently: 1,
    maxWaitTimeInMs: 100,
    async onBatch(batch) {
      const isLabels = batch.topic === labels;
      for (const message of batch.messages) {
        const record = isLabels ? parseLabelRecord(message.value) : parseScoreRecord(message.value);
        if (typeof record === 'string') {
          malformed += 1;
          options.onMalformed?.(batch.topic, `${batch.partition}@${message.offset}: ${record}`);
        } else if ('fraud' in record) {
          join.addLabel(record);
        } else {
          join.addScore(record);
        }
      }
    },
  });
  await consumer.caughtUp(options.catchUpMs ?? 10_000);
  return {
    evidence(windowFrom) {
      const frontier = join.frontier();
      return windowFrom === null ? { frontier } : { frontier, window: join.window(windowFrom) };
    },
    stats: () => ({ ...join.stats(), malformed }),
    close: () => consumer.close(),
  };
}

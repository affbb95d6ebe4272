import type { PairedScores } from '@fraud-operator/canary';

/** A record of a version's score stream: `{txId, ts, score, modelVersion, authoritative}` (scorer-image pipeline). */
export interface ScoreRecord {
  txId: string;
  ts: number;
  score: number;
  modelVersion: string;
}

/** A record of the labels topic (packages/transactions LabelMessage): only frauds, or explicit genuine outcomes. */
export interface LabelRecord {
  txId: string;
  txTs: number;
  ts: number;
  fraud: boolean;
}

export interface PairedJoinOptions {
  stableVersion: string;
  canaryVersion: string;
  /** A transaction with no fraud label this long (in label-stream event time) after it is counted legitimate. */
  labelDelayMs: number;
  /** Bounds: oldest entries are evicted first, and counted. */
  maxPending: number;
  maxLabelled: number;
}

interface Pending {
  ts: number;
  stable: number;
  canary: number;
}

interface Labelled {
  ts: number;
  stable: number;
  canary: number;
  label: 0 | 1;
}

export interface JoinStats {
  /** Transactions with at least one score, waiting for the other version's score or for their label. */
  pending: number;
  labelled: number;
  labelledFrauds: number;
  evictedPending: number;
  evictedLabelled: number;
  /** Score records of a version other than the two compared. */
  foreignScores: number;
  scores: { stable: number; canary: number };
  labels: number;
}

/**
 * Joins two versions' score streams with the labels by txId. Only transactions scored by BOTH versions enter the
 * evidence (paired). A transaction is labelled when its fraud label (or an explicit genuine label) arrives, or
 * legitimate once the label stream has passed its event time by labelDelayMs with no fraud label for it.
 * Memory is bounded: pending and labelled maps evict their oldest entries and count what they evicted.
 */
export class PairedJoin {
  readonly options: PairedJoinOptions;
  private readonly pending = new Map<string, Pending>();
  private readonly labelled = new Map<string, Labelled>();
  /** Labels that arrived before both scores did. */
  private readonly earlyLabels = new Map<string, 0 | 1>();
  private labelFrontier = Number.NEGATIVE_INFINITY;
  private frontierStable: number | null = null;
  private frontierCanary: number | null = null;
  private readonly counts = {
    evictedPending: 0,
    evictedLabelled: 0,
    foreignScores: 0,
    stable: 0,
    canary: 0,
    labels: 0,
    labelledFrauds: 0,
  };

  constructor(options: PairedJoinOptions) {
    if (options.stableVersion === options.canaryVersion) {
      throw new Error(`PairedJoin: stableVersion and canaryVersion are both ${options.stableVersion}`);
    }
    for (const key of ['labelDelayMs', 'maxPending', 'maxLabelled'] as const) {
      if (!(options[key] >= 0)) throw new Error(`PairedJoin: ${key} is ${options[key]}, must be ≥ 0`);
    }
    this.options = options;
  }

  addScore(record: ScoreRecord): void {
    const { stableVersion, canaryVersion } = this.options;
    const side =
      record.modelVersion === stableVersion ? 'stable' : record.modelVersion === canaryVersion ? 'canary' : null;
    if (side === null) {
      this.counts.foreignScores += 1;
      return;
    }
    this.counts[side] += 1;
    if (side === 'stable') this.frontierStable = Math.max(this.frontierStable ?? record.ts, record.ts);
    else this.frontierCanary = Math.max(this.frontierCanary ?? record.ts, record.ts);
    const known = this.labelled.get(record.txId);
    if (known !== undefined) {
      known[side] = record.score; // a rescore after a scorer restart: same model, same features, keep the latest
      return;
    }
    let entry = this.pending.get(record.txId);
    if (entry === undefined) {
      entry = { ts: record.ts, stable: Number.NaN, canary: Number.NaN };
      this.pending.set(record.txId, entry);
      if (this.pending.size > this.options.maxPending) this.evictOldestPending();
    }
    entry[side] = record.score;
    if (!Number.isNaN(entry.stable) && !Number.isNaN(entry.canary)) {
      const early = this.earlyLabels.get(record.txId);
      if (early !== undefined) {
        this.earlyLabels.delete(record.txId);
        this.promote(record.txId, entry, early);
      }
    }
  }

  addLabel(label: LabelRecord): void {
    this.counts.labels += 1;
    this.labelFrontier = Math.max(this.labelFrontier, label.ts);
    const value: 0 | 1 = label.fraud ? 1 : 0;
    const known = this.labelled.get(label.txId);
    if (known !== undefined) {
      if (known.label !== value) this.counts.labelledFrauds += value - known.label;
      known.label = value; // a fraud label later than labelDelayMs corrects a presumed-legitimate transaction
      return;
    }
    const entry = this.pending.get(label.txId);
    if (entry !== undefined && !Number.isNaN(entry.stable) && !Number.isNaN(entry.canary)) {
      this.promote(label.txId, entry, value);
      return;
    }
    this.earlyLabels.set(label.txId, value);
    if (this.earlyLabels.size > this.options.maxPending) {
      const oldest = this.earlyLabels.keys().next().value as string;
      this.earlyLabels.delete(oldest);
      this.counts.evictedPending += 1;
    }
  }

  /** Moves every paired transaction whose label is now final (no fraud label by ts + labelDelayMs) to labelled. */
  mature(): void {
    const cutoff = this.labelFrontier - this.options.labelDelayMs;
    for (const [txId, entry] of this.pending) {
      if (entry.ts > cutoff) continue;
      if (Number.isNaN(entry.stable) || Number.isNaN(entry.canary)) continue;
      this.promote(txId, entry, 0);
    }
  }

  /** Paired labelled transactions with event time ≥ from, index-aligned. */
  window(from: number): PairedScores & { from: number } {
    this.mature();
    const labels: number[] = [];
    const stable: number[] = [];
    const canary: number[] = [];
    for (const entry of this.labelled.values()) {
      if (entry.ts < from) continue;
      labels.push(entry.label);
      stable.push(entry.stable);
      canary.push(entry.canary);
    }
    return { from, labels, stable, canary };
  }

  frontier(): { stable: number | null; canary: number | null } {
    return { stable: this.frontierStable, canary: this.frontierCanary };
  }

  stats(): JoinStats {
    return {
      pending: this.pending.size,
      labelled: this.labelled.size,
      labelledFrauds: this.counts.labelledFrauds,
      evictedPending: this.counts.evictedPending,
      evictedLabelled: this.counts.evictedLabelled,
      foreignScores: this.counts.foreignScores,
      scores: { stable: this.counts.stable, canary: this.counts.canary },
      labels: this.counts.labels,
    };
  }

  private promote(txId: string, entry: Pending, label: 0 | 1): void {
    this.pending.delete(txId);
    this.labelled.set(txId, { ts: entry.ts, stable: entry.stable, canary: entry.canary, label });
    this.counts.labelledFrauds += label;
    if (this.labelled.size > this.options.maxLabelled) {
      const [oldestId, oldest] = this.labelled.entries().next().value as [string, Labelled];
      this.labelled.delete(oldestId);
      this.counts.labelledFrauds -= oldest.label;
      this.counts.evictedLabelled += 1;
    }
  }

  private evictOldestPending(): void {
    const oldest = this.pending.keys().next().value as string;
    this.pending.delete(oldest);
    this.counts.evictedPending += 1;
  }
}

/** Parses a score-stream record; returns a reason instead of throwing, so one bad record never stops the collector. */
export function parseScoreRecord(raw: Uint8Array | null): ScoreRecord | string {
  const parsed = parseObject(raw);
  if (typeof parsed === 'string') return parsed;
  if (typeof parsed.txId !== 'string' || parsed.txId === '') return 'txId must be a non-empty string';
  if (typeof parsed.ts !== 'number' || !Number.isFinite(parsed.ts)) return `ts of ${parsed.txId} must be a number`;
  if (typeof parsed.score !== 'number' || !Number.isFinite(parsed.score))
    return `score of ${parsed.txId} is not finite`;
  if (typeof parsed.modelVersion !== 'string') return `modelVersion of ${parsed.txId} must be a string`;
  return { txId: parsed.txId, ts: parsed.ts, score: parsed.score, modelVersion: parsed.modelVersion };
}

export function parseLabelRecord(raw: Uint8Array | null): LabelRecord | string {
  const parsed = parseObject(raw);
  if (typeof parsed === 'string') return parsed;
  if (typeof parsed.txId !== 'string' || parsed.txId === '') return 'txId must be a non-empty string';
  for (const key of ['ts', 'txTs'] as const) {
    if (typeof parsed[key] !== 'number' || !Number.isFinite(parsed[key]))
      return `${key} of ${parsed.txId} must be a number`;
  }
  if (typeof parsed.fraud !== 'boolean') return `fraud of ${parsed.txId} must be a boolean`;
  return { txId: parsed.txId, ts: parsed.ts as number, txTs: parsed.txTs as number, fraud: parsed.fraud };
}

function parseObject(raw: Uint8Array | null): Record<string, unknown> | string {
  if (raw === null) return 'empty message value';
  try {
    const value: unknown = JSON.parse(Buffer.from(raw).toString('utf8'));
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'value is not a JSON object';
    return value as Record<string, unknown>;
  } catch (err) {
    return `bad JSON: ${(err as Error).message}`;
  }
}

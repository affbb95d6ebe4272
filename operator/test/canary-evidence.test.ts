import { randomUUID } from 'node:crypto';
import {
  advanceRollout,
  type DecisionRecord,
  type FraudModelRolloutSpec,
  type RolloutStatus,
  seededRandom,
} from '@fraud-operator/canary';
import { openProducer, type Producer } from '@fraud-operator/kafka/producer';
import { createTopicsAndWait } from '@fraud-operator/kafka/topics';
import { loadStackEnv } from '@fraud-operator/stack/env';
import { Kafka, logLevel } from 'kafkajs';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EvidenceCollector, startEvidenceCollector } from '../src/canary/evidence-collector.ts';
import { probeFrontier } from '../src/canary/frontier-probe.ts';
import { canaryMetrics } from '../src/canary/metrics.ts';

const env = loadStackEnv();
const brokers = env.KAFKA_BROKERS.split(',');
const SHA1 = '1'.repeat(64);
const SHA2 = '2'.repeat(64);
const T0 = Date.UTC(2026, 0, 1);
const CHUNK = 3000;
const SPACING_MS = 40; // 3000 transactions span 2 minutes of event time
const FRAUD_RATE = 0.015;
const LABEL_DELAY_MS = 20_000;
const policy = { resamples: 1000, leadMs: 1_000, horizonMs: 5_000, drainMarginMs: 2_000 };

/** A model that ranks well: its score is a noisy copy of the label. */
const strong = (fraud: boolean, u: number) => (fraud ? 0.4 + 0.6 * u : 0.7 * u);
/** In between. */
const medium = (fraud: boolean, u: number) => (fraud ? 0.3 + 0.7 * u : 0.85 * u);
/** A weak one: frauds only slightly higher. */
const weak = (fraud: boolean, u: number) => (fraud ? 0.2 + 0.8 * u : u);

interface World {
  id: string;
  topics: { v1: string; v2: string; labels: string };
  producer: Producer;
  collector: EvidenceCollector;
  produced: { v1: number; v2: number; labels: number };
  pendingLabels: { txId: string; txTs: number; ts: number }[];
}

/**
 * What the streams held before the rollout began: `old` score records and fraud labels stamped an hour ago, then
 * `recent` score records stamped now, before T0 in event time.
 */
async function produceHistory(producer: Producer, topics: World['topics'], old: number, recent: number): Promise<void> {
  const hourAgo = Date.now() - 3_600_000;
  const score = (id: string, ts: number, timestamp?: number) => ({
    key: id,
    value: JSON.stringify({ txId: id, ts, score: 0.5, modelVersion: 'v1', authoritative: true }),
    ...(timestamp === undefined ? {} : { timestamp }),
  });
  const label = (i: number) => ({
    key: `customer-old-${i}`,
    value: JSON.stringify({
      txId: `old-${i}`,
      txTs: T0 - 3_600_000 + i,
      ts: T0,
      customerId: 'c',
      terminalId: 't',
      fraud: true,
    }),
    timestamp: hourAgo,
  });
  await producer.send(
    topics.v1,
    Array.from({ length: old }, (_, i) => score(`old-${i}`, T0 - 3_600_000 + i, hourAgo)),
  );
  await producer.send(
    topics.labels,
    Array.from({ length: old / 100 }, (_, i) => label(i * 100)),
  );
  await producer.send(
    topics.v1,
    Array.from({ length: recent }, (_, i) => score(`recent-${i}`, T0 - recent + i)),
  );
}

async function createWorld(opts: { old?: number; recent?: number; scoresSince?: number } = {}): Promise<World> {
  const id = `canary-${randomUUID().slice(0, 8)}`;
  const topics = { v1: `${id}.scores.v1`, v2: `${id}.scores.v2`, labels: `${id}.labels` };
  const admin = new Kafka({ clientId: id, brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  await createTopicsAndWait(admin, {
    topics: Object.values(topics).map((topic) => ({ topic, numPartitions: 3 })),
  });
  await admin.disconnect();
  const producer = await openProducer({ brokers, clientId: id });
  if (opts.old || opts.recent) await produceHistory(producer, topics, opts.old ?? 0, opts.recent ?? 0);
  const collector = await startEvidenceCollector({
    brokers,
    clientId: id,
    stableVersion: 'v1',
    canaryVersion: 'v2',
    topics: { stableScores: topics.v1, canaryScores: topics.v2, labels: topics.labels },
    labelDelayMs: LABEL_DELAY_MS,
    scoresSince: opts.scoresSince ?? null,
  });
  // The labels topic is read from its beginning whatever scoresSince says: the old labels count as produced.
  const produced = { v1: opts.recent ?? 0, v2: 0, labels: (opts.old ?? 0) / 100 };
  return { id, topics, producer, collector, produced, pendingLabels: [] };
}

async function dropWorld(world: World | undefined): Promise<void> {
  if (!world) return; // its creation failed: that error is the one to read
  await world.collector.close();
  await world.producer.close();
  const admin = new Kafka({ clientId: world.id, brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  await admin.deleteTopics({ topics: Object.values(world.topics) });
  await admin.disconnect();
}

/**
 * Streams one chunk: both versions' score records (as the scorer writes them), 1 % of transactions missed by the
 * canary (so unpaired transactions exist), and the fraud labels that fell due, LABEL_DELAY_MS after their transaction.
 */
type Model = (fraud: boolean, u: number) => number;
/** The model a version runs for a chunk (a version may degrade live after passing its replay). */
type ModelOf = (chunk: number) => Model;

async function streamChunk(world: World, chunk: number, v1Model: Model, v2Model: Model) {
  const random = seededRandom(1000 + chunk);
  const v1: { key: string; value: string }[] = [];
  const v2: { key: string; value: string }[] = [];
  const start = T0 + chunk * CHUNK * SPACING_MS;
  for (let i = 0; i < CHUNK; i += 1) {
    const txId = `${world.id}-${chunk}-${i}`;
    const ts = start + i * SPACING_MS;
    const fraud = random() < FRAUD_RATE;
    const record = (version: string, score: number, authoritative: boolean) => ({
      key: txId,
      value: JSON.stringify({ txId, ts, score, modelVersion: version, authoritative }),
    });
    v1.push(record('v1', v1Model(fraud, random()), true));
    const u = random();
    if (random() >= 0.01) v2.push(record('v2', v2Model(fraud, u), false));
    if (fraud) world.pendingLabels.push({ txId, txTs: ts, ts: ts + LABEL_DELAY_MS });
  }
  const end = start + CHUNK * SPACING_MS;
  const due = world.pendingLabels.filter((l) => l.ts < end);
  world.pendingLabels = world.pendingLabels.filter((l) => l.ts >= end);
  const labels = due.map((l) => ({
    key: `customer-${l.txId}`,
    value: JSON.stringify({ ...l, customerId: `customer-${l.txId}`, terminalId: 't', fraud: true }),
  }));
  await Promise.all([
    world.producer.send(world.topics.v1, v1),
    world.producer.send(world.topics.v2, v2),
    labels.length > 0 ? world.producer.send(world.topics.labels, labels) : undefined,
  ]);
  world.produced.v1 += v1.length;
  world.produced.v2 += v2.length;
  world.produced.labels += labels.length;
  // Wait until the collector has read everything produced so far.
  const deadline = Date.now() + 30_000;
  for (;;) {
    const s = world.collector.stats();
    if (
      s.scores.stable === world.produced.v1 &&
      s.scores.canary === world.produced.v2 &&
      s.labels === world.produced.labels
    ) {
      return;
    }
    if (Date.now() > deadline)
      throw new Error(`collector behind: ${JSON.stringify(s)} vs ${JSON.stringify(world.produced)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const spec: FraudModelRolloutSpec = {
  model: { version: 'v2', sha256: SHA2 },
  rollout: { steps: [10, 50], analysisWindowMinutes: 1, minLabelledFrauds: 20, maxPrAucLoss: 0.02, maxFailedChecks: 2 },
};

/** Chunk 0 is the labelled history for the gate's replay; each later chunk is followed by one reconcile. */
async function rollout(world: World, v1Model: Model, v2Of: ModelOf) {
  let status: RolloutStatus = { stableVersion: 'v1', stableSha256: SHA1, rollout: null };
  const decisions: DecisionRecord[] = [];
  const metrics = canaryMetrics(new Registry());
  await streamChunk(world, 0, v1Model, v2Of(0));
  const replay = world.collector.evidence(0).window;
  for (let chunk = 1; chunk <= 8; chunk += 1) {
    const evidence = world.collector.evidence(status.rollout?.windowFrom ?? null);
    const out = advanceRollout({
      spec,
      status,
      evidence: { ...evidence, gate: { sha256: SHA2, contract: { ok: true }, replay: replay ?? null } },
      now: T0 + chunk * 60_000,
      policy,
    });
    status = out.status;
    for (const d of out.decisions) metrics.recordDecision({ namespace: 'test', name: world.id }, d);
    decisions.push(...out.decisions);
    if (['Promoted', 'RolledBack', 'Refused'].includes(status.rollout?.phase ?? '')) break;
    await streamChunk(world, chunk, v1Model, v2Of(chunk));
  }
  return { status, decisions };
}

describe('canary evidence from real Kafka topics drives the rollout', () => {
  let world: World;
  beforeAll(async () => {
    world = await createWorld();
  });
  afterAll(async () => {
    await dropWorld(world);
  });

  it('promotes a clearly better canary (v2 strong, v1 weak)', async () => {
    const { status, decisions } = await rollout(world, weak, () => strong);
    const summary = decisions.map((d) => `${d.decision}:${d.reason}@${d.weight}`);
    console.log(summary.join('\n'));
    expect(summary).toEqual([
      'hold:GateStarted@0',
      'gate-passed:GatePassed@0',
      'promote-step:NonInferior@10',
      'promote-step:NonInferior@50',
      'promote:NonInferior@100',
      'hold:Draining@100',
      'promoted:Promoted@100',
    ]);
    expect(status).toMatchObject({ stableVersion: 'v2', stableSha256: SHA2 });
    for (const d of decisions.filter((x) => x.decision === 'promote-step')) {
      expect(d.frauds).toBeGreaterThanOrEqual(spec.rollout.minLabelledFrauds);
      expect(d.apCanary as number).toBeGreaterThan(d.apStable as number);
    }
    const stats = world.collector.stats();
    expect(stats.malformed).toBe(0);
    // About 1 % of transactions lack a canary score: they stay pending and never enter the evidence.
    expect(stats.labelled).toBeLessThan(world.produced.v1);
    expect(stats.labelled).toBeLessThanOrEqual(world.produced.v2);
  });
});

describe('the reverse: a clearly worse canary', () => {
  let world: World;
  beforeAll(async () => {
    world = await createWorld();
  });
  afterAll(async () => {
    await dropWorld(world);
  });

  it('passes its replay and shadow, then degrades live: two failed checks at 10 % roll it back to weight 0', async () => {
    const { status, decisions } = await rollout(world, medium, (chunk) => (chunk <= 2 ? strong : weak));
    // An inconclusive look (interval straddling the tolerance) may hold a step in between: not a decision to count.
    const summary = decisions
      .filter((d) => d.reason !== 'Inconclusive')
      .map((d) => `${d.decision}:${d.reason}@${d.weight}`);
    console.log(decisions.map((d) => `${d.decision} ${d.reason} weight=${d.weight} ${d.message}`).join('\n'));
    expect(summary).toEqual([
      'hold:GateStarted@0',
      'gate-passed:GatePassed@0',
      'promote-step:NonInferior@10',
      'failed-check:PrAucLossBeyondTolerance@10',
      'failed-check:PrAucLossBeyondTolerance@10',
      'rollback:TooManyFailedChecks@0',
      'hold:Draining@0',
      'rolled-back:RolledBack@0',
    ]);
    expect(status.stableVersion).toBe('v1');
    expect(status.rollout?.schedule.map((s) => s.weight)).toEqual([0, 10, 0]);
    for (const d of decisions.filter((x) => x.decision === 'failed-check')) {
      expect(d.ciHigh as number).toBeLessThan(-spec.rollout.maxPrAucLoss);
      expect(d.frauds).toBeGreaterThanOrEqual(spec.rollout.minLabelledFrauds);
    }
  });
});

describe('a canary already worse on labelled history', () => {
  let world: World;
  beforeAll(async () => {
    world = await createWorld();
  });
  afterAll(async () => {
    await dropWorld(world);
  });

  it('is refused at the gate by the offline replay, before any live traffic', async () => {
    const { status, decisions } = await rollout(world, strong, () => weak);
    expect(decisions.map((d) => `${d.decision}:${d.reason}`)).toEqual(['hold:GateStarted', 'refused:ReplayRegression']);
    expect(status.stableVersion).toBe('v1');
  });
});

describe('a rollout that starts on long score streams', () => {
  let world: World;
  beforeAll(async () => {
    world = await createWorld({ old: 20_000, recent: 2_000, scoresSince: Date.now() - 600_000 });
  });
  afterAll(async () => {
    await dropWorld(world);
  });

  it('has read the recent scores when it starts, so the first evidence carries the frontier', () => {
    expect(world.collector.stats().scores.stable).toBe(2_000);
    expect(world.collector.evidence(null).frontier.stable).toBe(T0 - 1);
  });

  it('reads the score streams from scoresSince (older scores skipped) and every label', async () => {
    // streamChunk waits until the collector's counts equal what was produced since: the 20,000 older stable scores
    // would make the stable count overshoot (and the wait time out) had they been read.
    await streamChunk(world, 0, strong, strong);
    const stats = world.collector.stats();
    expect(stats.scores).toEqual({ stable: 2_000 + CHUNK, canary: world.produced.v2 });
    expect(stats.labels).toBe(world.produced.labels);
    expect(stats.labels).toBeGreaterThan(200);
  });
});

describe('probeFrontier', () => {
  it("finds the latest event time among a stream's recent records, and nothing in a stream without them", async () => {
    const id = `probe-${randomUUID().slice(0, 8)}`;
    const [busy, idle] = [`${id}.scores.v1`, `${id}.scores.v2`];
    const admin = new Kafka({ clientId: id, brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await createTopicsAndWait(admin, {
      topics: [busy, idle].map((topic) => ({ topic, numPartitions: 3 })),
    });
    const producer = await openProducer({ brokers, clientId: id });
    const record = (i: number, ts: number, timestamp?: number) => ({
      key: `tx-${i}`,
      value: JSON.stringify({ txId: `tx-${i}`, ts, score: 0.5, modelVersion: 'v1', authoritative: true }),
      ...(timestamp === undefined ? {} : { timestamp }),
    });
    try {
      // Stamped an hour ago (outside the look-back), with later event times than the recent ones: not read.
      await producer.send(idle, [record(0, T0 + 1_000_000, Date.now() - 3_600_000)]);
      await producer.send(busy, [record(1, T0 + 1_000_000, Date.now() - 3_600_000)]);
      await producer.send(
        busy,
        Array.from({ length: 300 }, (_, i) => record(i + 2, T0 + i)),
      );
      expect(await probeFrontier({ brokers, clientId: id, topic: busy })).toBe(T0 + 299);
      expect(await probeFrontier({ brokers, clientId: id, topic: idle })).toBeNull();
    } finally {
      await producer.close();
      await admin.deleteTopics({ topics: [busy, idle] });
      await admin.disconnect();
    }
  });
});

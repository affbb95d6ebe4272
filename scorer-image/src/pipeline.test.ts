import type { Batch } from '@fraud-operator/kafka/consumer';
import type { HistogramStore } from '@fraud-operator/score-histograms';
import { parseScorerConfig } from '@fraud-operator/scorer-config';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { Inference } from './inference.ts';
import { createMetrics } from './metrics.ts';
import { batchScorer, type PipelineDeps } from './pipeline.ts';

const config = parseScorerConfig(
  JSON.stringify({
    mode: 'primary',
    model: { uri: 's3://m/v1', version: 'v1', sha256: 'x', threshold: 0.5, featureCount: 1 },
  }),
);

let offset = 0;
const batchOf = (partition: number, n: number): Batch => ({
  topic: 'transactions',
  partition,
  highWatermark: '1000',
  messages: Array.from({ length: n }, () => {
    const i = offset++;
    const tx = { txId: `tx-${i}`, ts: 1_767_225_600_000 + i, customerId: 'c', terminalId: 't', amount: 10 };
    return { key: null, value: Buffer.from(JSON.stringify(tx)), offset: String(i), timestamp: Date.now() };
  }),
});

/** A pipeline whose Redis steps wait on gates the test opens, logging each step as it starts and ends. */
function world() {
  const log: string[] = [];
  const gates = new Map<string, PromiseWithResolvers<void>>();
  const gate = (name: string) => {
    if (!gates.has(name)) gates.set(name, Promise.withResolvers<void>());
    return gates.get(name)!;
  };
  const first = (txs: { txId: string }[]) => txs[0]?.txId ?? '';
  const step = async (what: string, id: string) => {
    log.push(`${what} ${id}`);
    await gate(`${what} ${id}`).promise;
    log.push(`${what} ${id} done`);
  };
  const inference: Inference = {
    inputNames: ['input'],
    outputNames: ['probabilities'],
    score: async (f) => new Float32Array(f.length),
    close: async () => {},
  };
  const histograms = {
    recordScores: async (_: string, __: number, records: { txId: string }[]) => step('histograms', first(records)),
  } as unknown as HistogramStore;
  const deps: PipelineDeps = {
    config: () => config,
    features: async (txs) => {
      await step('features', first(txs));
      return new Float32Array(txs.length);
    },
    featureCount: 1,
    inference,
    store: { putOnce: async (verdicts) => verdicts.map((v) => JSON.stringify(v)) },
    histograms,
    send: async () => {},
    metrics: createMetrics('v1'),
    log: pino({ level: 'silent' }),
    keepGoing: () => true,
  };
  const open = (name: string) => gate(name).resolve();
  const fail = (name: string, err: Error) => gate(name).reject(err);
  return { deps, log, open, fail };
}

const settle = () => new Promise((r) => setTimeout(r, 5));

describe('batchScorer', () => {
  it("returns before a batch's features, and keeps a partition's feature calls and histogram writes in order", async () => {
    const { deps, log, open } = world();
    const score = batchScorer(deps);
    offset = 0;
    const a = await score(batchOf(0, 3)); // tx-0..2
    const b = await score(batchOf(0, 3)); // tx-3..5, the same partition
    const c = await score(batchOf(1, 3)); // tx-6..8, another partition
    await settle();
    // both handed back while their features are under way; the second call of partition 0 waits for the first
    expect(log).toEqual(['features tx-0', 'features tx-6']);
    open('features tx-0');
    await settle();
    expect(log).toContain('features tx-3');
    expect(log).toContain('histograms tx-0');
    open('features tx-3');
    await settle();
    // tx-3's histograms wait for tx-0's: the evaluation counts a partition's offsets in order
    expect(log).not.toContain('histograms tx-3');
    open('histograms tx-0');
    await a?.durable;
    await settle();
    expect(log).toContain('histograms tx-3');
    open('histograms tx-3');
    open('features tx-6');
    open('histograms tx-6');
    await Promise.all([b?.durable, c?.durable]);
    expect(log.indexOf('features tx-3')).toBeGreaterThan(log.indexOf('features tx-0 done'));
    expect(log.indexOf('histograms tx-3')).toBeGreaterThan(log.indexOf('histograms tx-0 done'));
  });

  it("fails a partition's later batches with a batch that failed for good, and throws on its next one", async () => {
    const { deps, log, open, fail } = world();
    const score = batchScorer(deps);
    offset = 100;
    const a = await score(batchOf(2, 2)); // tx-100, 101
    const b = await score(batchOf(2, 2)); // tx-102, 103: never scored
    const other = await score(batchOf(3, 2)); // tx-104, 105: another partition goes on
    fail('features tx-100', new TypeError('a defect'));
    await expect(a?.durable).rejects.toThrow('a defect');
    await expect(b?.durable).rejects.toThrow('a defect');
    expect(log).not.toContain('features tx-102');
    await expect(score(batchOf(2, 2))).rejects.toThrow('a defect');
    // the consumer restarts from the last commit: the partition's next batch is scored again
    const again = await score(batchOf(2, 2)); // tx-108, 109
    open('features tx-108');
    open('histograms tx-108');
    open('features tx-104');
    open('histograms tx-104');
    await Promise.all([again?.durable, other?.durable]);
  });
});

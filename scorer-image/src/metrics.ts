import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export type ScorerMetrics = ReturnType<typeof createMetrics>;

/** Every series carries the model version, so two versions side by side stay apart. */
export function createMetrics(version: string) {
  const registry = new Registry();
  registry.setDefaultLabels({ model_version: version });
  // the process's own: CPU, memory, event-loop delay, GC pauses (a latency tail shows up there first)
  collectDefaultMetrics({ register: registry });
  const ms = [1, 2, 5, 10, 20, 50, 100, 250, 500, 1000, 5000];
  return {
    registry,
    scored: new Counter({
      name: 'scorer_transactions_total',
      help: 'Transactions scored, by outcome',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    deadLetters: new Counter({
      name: 'scorer_dead_letters_total',
      help: 'Messages sent to the dead-letter topic',
      registers: [registry],
    }),
    endToEnd: new Histogram({
      name: 'scorer_end_to_end_ms',
      help: 'Kafka append time to verdict durable, ms',
      buckets: ms,
      registers: [registry],
    }),
    modelLatency: new Histogram({
      name: 'scorer_model_ms',
      help: 'ONNX inference time per batch, ms',
      buckets: ms,
      registers: [registry],
    }),
    stage: new Histogram({
      name: 'scorer_stage_ms',
      help: 'Time per batch in each step, ms: wait (Kafka append to batch start), features, model, store, publish, commit',
      labelNames: ['stage'],
      buckets: [0.5, ...ms],
      registers: [registry],
    }),
    batchSize: new Histogram({
      name: 'scorer_batch_size',
      help: 'Messages per batch',
      buckets: [1, 10, 50, 100, 500, 1000, 5000],
      registers: [registry],
    }),
    scores: new Histogram({
      name: 'scorer_score',
      help: 'Score distribution',
      buckets: [0.01, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9, 0.99],
      registers: [registry],
    }),
    lag: new Gauge({
      name: 'scorer_consumer_lag',
      help: 'High watermark minus next offset, per partition',
      labelNames: ['partition'],
      registers: [registry],
    }),
    retries: new Counter({
      name: 'scorer_retries_total',
      help: 'Retried side effects',
      labelNames: ['what'],
      registers: [registry],
    }),
    labelJoins: new Counter({
      name: 'scorer_label_joins_total',
      help: "Fraud labels joined with this version's score histograms: joined, or kept until the score comes (before_score)",
      labelNames: ['outcome'],
      registers: [registry],
    }),
    livePrAuc: new Gauge({
      name: 'scorer_live_pr_auc',
      help: "PR-AUC from this version's score histograms over the last 7 labelled event-days: estimate, and the low and high bounds the exact value lies between",
      labelNames: ['bound'],
      registers: [registry],
    }),
    liveAtThreshold: new Gauge({
      name: 'scorer_live_at_threshold',
      help: 'Precision and recall at the threshold over the same window',
      labelNames: ['measure'],
      registers: [registry],
    }),
    liveLabelled: new Gauge({
      name: 'scorer_live_labelled',
      help: 'Transactions scored in that window (all) and the frauds among them',
      labelNames: ['class'],
      registers: [registry],
    }),
    authorityWaits: new Counter({
      name: 'scorer_authority_waits_total',
      help: 'Batches held because the schedule did not cover their event time',
      registers: [registry],
    }),
  };
}

import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'archiver_' });
  const registers = [registry];
  return {
    registry,
    records: new Counter({ name: 'archiver_records_total', help: 'Records archived in completed objects', registers }),
    unparsed: new Counter({
      name: 'archiver_unparsed_records_total',
      help: 'Records kept as base64 because they were not transactions',
      registers,
    }),
    objects: new Counter({
      name: 'archiver_objects_total',
      help: 'Objects completed in S3, by cut reason',
      labelNames: ['reason'],
      registers,
    }),
    bytes: new Counter({
      name: 'archiver_uploaded_bytes_total',
      help: 'Encrypted bytes in completed objects',
      registers,
    }),
    s3Retries: new Counter({ name: 'archiver_s3_retries_total', help: 'S3 calls retried after a failure', registers }),
    commitFailures: new Counter({
      name: 'archiver_commit_failures_total',
      help: 'Offset commits refused after an object completed',
      registers,
    }),
    committedOffset: new Gauge({
      name: 'archiver_committed_offset',
      help: 'Next offset committed, per partition',
      labelNames: ['partition'],
      registers,
    }),
    openBytes: new Gauge({ name: 'archiver_open_object_bytes', help: 'Plaintext bytes in open objects', registers }),
    completeSeconds: new Histogram({
      name: 'archiver_object_complete_seconds',
      help: 'Time to complete an object in S3',
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120],
      registers,
    }),
  };
}

export type ArchiverMetrics = ReturnType<typeof createMetrics>;

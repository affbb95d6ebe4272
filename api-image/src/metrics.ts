// Prometheus metrics, in a registry of the app's own (two apps in one process, as in tests, do not collide).
import type { FastifyInstance } from 'fastify';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

export interface Metrics {
  registry: Registry;
  published: Counter<'outcome'>;
  verdictWaits: Counter<'outcome'>;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    published: new Counter({
      name: 'fraud_api_transactions_total',
      help: 'Transactions submitted, by outcome (published, replayed).',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    verdictWaits: new Counter({
      name: 'fraud_api_verdict_waits_total',
      help: 'Requests that waited for a verdict, by outcome (arrived, timeout).',
      labelNames: ['outcome'],
      registers: [registry],
    }),
  };
}

/** Latency by route template (never the raw URL: fuzzed paths must not make new series) and status. */
export function instrument(app: FastifyInstance, metrics: Metrics): void {
  const latency = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency, by method, route template and status code.',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [metrics.registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    latency.observe({ method: request.method, route, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });
}

// Unauthenticated operational routes: liveness, readiness, metrics and the OpenAPI document.
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import Type from 'typebox';
import type { Metrics } from './metrics.ts';
import type { Publisher } from './publisher.ts';

const Health = Type.Object({
  status: Type.String(),
  checks: Type.Optional(Type.Object({ redis: Type.Boolean(), kafka: Type.Boolean() })),
});

export async function opsRoutes(
  app: FastifyInstance,
  deps: { redis: Redis; publisher: Publisher; metrics: Metrics },
): Promise<void> {
  app.get('/healthz', { schema: { tags: ['ops'], response: { 200: Health } } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { schema: { tags: ['ops'], response: { 200: Health, 503: Health } } }, async (_req, reply) => {
    const redis = await Promise.race([
      deps.redis.ping().then((r) => r === 'PONG'),
      new Promise<boolean>((r) => setTimeout(() => r(false), 1000).unref()),
    ]).catch(() => false);
    const kafka = deps.publisher.isReady();
    if (!kafka) deps.publisher.start();
    const ready = redis && kafka;
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not-ready', checks: { redis, kafka } });
  });

  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => {
    reply.type(deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });

  app.get('/docs/json', { schema: { hide: true } }, async () => app.swagger());
}

// Builds the API: a fastify instance with its Redis and Kafka clients, closed by `app.close()`. No listening, no
// signal handlers, no environment reads: main.ts does those. Clients connect lazily (on ready, or first use).
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { Redis } from 'ioredis';
import { createVerifier } from './auth-verifier.ts';
import type { Config } from './config.ts';
import { createMetrics, instrument } from './metrics.ts';
import { opsRoutes } from './ops-routes.ts';
import { toProblem } from './problem.ts';
import { createPublisher } from './publisher.ts';
import { createSubmitter } from './submission.ts';
import { v1Routes } from './v1-routes.ts';
import { validatorCompiler } from './validation.ts';
import { createVerdictWaiter } from './verdict-waiter.ts';

/** Headers that carry credentials; never logged, whatever a serializer or a future log line includes. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
  'request.headers.authorization',
];

export async function buildApp(config: Config): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { level: config.logLevel, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } },
    bodyLimit: config.limits.bodyBytes,
    routerOptions: { maxParamLength: 128 },
    requestIdHeader: false,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // Errors fastify meets before routing (a malformed URL, say) answer as problems too.
    frameworkErrors: (error, request, reply) => {
      const problem = toProblem(error, request.id);
      // frameworkErrors' reply is typed before any route exists; it is an ordinary reply.
      (reply as FastifyReply).code(problem.status).type('application/problem+json').send(problem.body);
    },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.removeContentTypeParser('text/plain');

  const redisOptions = {
    lazyConnect: true,
    maxRetriesPerRequest: 2,
    connectTimeout: 2000,
    commandTimeout: 2000,
    enableAutoPipelining: true,
  };
  const redis = new Redis(config.redisUrl, { ...redisOptions, connectionName: 'fraud-api' });
  const subscriber = new Redis(config.redisUrl, {
    ...redisOptions,
    commandTimeout: undefined,
    enableAutoPipelining: false,
    connectionName: 'fraud-api-sub',
  });
  for (const client of [redis, subscriber])
    client.on('error', (err) => app.log.warn({ err: { message: err.message } }, 'redis error'));

  const metrics = createMetrics();
  const publisher = createPublisher({
    brokers: config.kafka.brokers,
    clientId: config.kafka.clientId,
    topic: config.kafka.transactionsTopic,
    timeoutMs: config.limits.publishTimeoutMs,
    onError: (err, msg) => app.log.warn({ err: { message: (err as Error).message } }, msg),
  });
  const verifier = createVerifier(config.auth, (msg) => app.log.info({ keys: config.auth.keys.kind }, msg));
  const waiter = createVerdictWaiter(redis, subscriber);
  const submitter = createSubmitter({
    redis,
    publish: (m) => publisher.publish(m),
    ttlSeconds: config.idempotency.ttlSeconds,
    leaseSeconds: config.idempotency.leaseSeconds,
  });

  app.setErrorHandler((error, request, reply) => {
    const problem = toProblem(error, request.id);
    if (problem.internal) request.log.error({ err: error }, 'request failed');
    else if (problem.status >= 500) request.log.warn({ err: error, code: problem.body.code }, 'request refused');
    return reply.code(problem.status).headers(problem.headers).type('application/problem+json').send(problem.body);
  });
  app.setNotFoundHandler((request, reply) => {
    const problem = toProblem(
      { statusCode: 404, message: `no route ${request.method} ${request.url.split('?')[0]?.slice(0, 100)}` },
      request.id,
    );
    return reply
      .code(404)
      .type('application/problem+json')
      .send({ ...problem.body, code: 'no-route', type: 'urn:fraud-api:problem:no-route' });
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'fraud-operator verdict API',
        version: '1.0.0',
        description: 'Submit card transactions; read their fraud verdicts.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    },
  });
  instrument(app, metrics);
  await app.register(async (ops) => opsRoutes(ops, { redis, publisher, metrics }));
  await app.register(async (v1) => v1Routes(v1, { config, redis, verifier, submitter, waiter, metrics }));

  app.addHook('onReady', async () => {
    await verifier.load();
    publisher.start();
  });
  app.addHook('preClose', async () => waiter.close());
  app.addHook('onClose', async () => {
    await publisher.close();
    await Promise.allSettled([redis.quit(), subscriber.quit()]);
  });
  return app;
}

// The client API: every route needs a verified JWT with the route's scopes, and is rate limited per token subject.
import rateLimit from '@fastify/rate-limit';
import { type Verdict, verdictKey } from '@fraud-operator/transactions/wire';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { authorize, bearerToken, type Principal, SCOPES } from './auth-policy.ts';
import type { Verifier } from './auth-verifier.ts';
import type { Config } from './config.ts';
import type { Metrics } from './metrics.ts';
import { ApiError } from './problem.ts';
import {
  Accepted,
  Pending,
  problemResponses,
  TransactionBody,
  TxIdParams,
  VerdictResponse,
  type WaitQuery,
  WaitQuery as waitQuery,
} from './schemas.ts';
import { requestKey, type Submitter } from './submission.ts';
import type { VerdictWaiter } from './verdict-waiter.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    scopes?: readonly string[];
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export interface V1Deps {
  config: Config;
  redis: Redis;
  verifier: Verifier;
  submitter: Submitter;
  waiter: VerdictWaiter;
  metrics: Metrics;
}

const verdictUrl = (txId: string) => `/v1/verdicts/${txId}`;

/** A verdict read from Redis, checked before it reaches a client. */
export function parseVerdict(json: string): Verdict {
  const v = JSON.parse(json) as Verdict;
  if (
    typeof v?.txId !== 'string' ||
    typeof v.score !== 'number' ||
    (v.decision !== 'fraud' && v.decision !== 'legit')
  ) {
    throw new Error(`malformed verdict in Redis: ${json.slice(0, 80)}`);
  }
  return v;
}

export async function v1Routes(app: FastifyInstance, deps: V1Deps): Promise<void> {
  const { config, redis, verifier, submitter, waiter, metrics } = deps;

  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    const bearer = bearerToken(request.headers.authorization);
    if ('error' in bearer) {
      throw new ApiError(401, 'missing-token', bearer.error, {
        headers: { 'www-authenticate': 'Bearer realm="fraud-api"' },
      });
    }
    request.principal = await verifier.verify(bearer.token);
    const decision = authorize(request.principal, request.routeOptions.config.scopes ?? []);
    if (!decision.allowed) {
      const scope = decision.missing.join(' ');
      throw new ApiError(403, 'insufficient-scope', `token lacks scope ${scope}`, {
        headers: { 'www-authenticate': `Bearer error="insufficient_scope", scope="${scope}"` },
      });
    }
  });

  // After authentication (onRequest), before the body is read: a limited client costs us no parsing.
  await app.register(rateLimit, {
    hook: 'preParsing',
    max: config.limits.ratePerMinute,
    timeWindow: 60_000,
    keyGenerator: (request) => `sub:${request.principal?.subject ?? request.ip}`,
    errorResponseBuilder: (_request, context) =>
      new ApiError(429, 'rate-limited', `rate limit of ${context.max} requests per minute exceeded`, {
        retriable: true,
        headers: { 'retry-after': String(Math.max(1, Math.ceil(context.ttl / 1000))) },
      }),
  });

  const security = (scopes: string[]) => [{ bearer: scopes }];

  app.post<{ Body: TransactionBody }>(
    '/v1/transactions',
    {
      config: { scopes: [SCOPES.write] },
      schema: {
        summary: 'Submit a transaction for scoring (idempotent on txId).',
        tags: ['v1'],
        security: security([SCOPES.write]),
        body: TransactionBody,
        response: { 202: Accepted, ...problemResponses(409, 422) },
      },
    },
    async (request, reply) => {
      const s = await submitter.submit(request.body);
      metrics.published.inc({ outcome: s.replayed ? 'replayed' : 'published' });
      if (s.replayed) reply.header('idempotent-replayed', 'true');
      return reply
        .code(202)
        .header('location', verdictUrl(s.txId))
        .send({ txId: s.txId, ts: s.ts, status: 'accepted', verdictUrl: verdictUrl(s.txId) });
    },
  );

  app.get<{ Params: TxIdParams; Querystring: WaitQuery }>(
    '/v1/verdicts/:txId',
    {
      config: { scopes: [SCOPES.read] },
      schema: {
        summary: 'The authoritative verdict; with wait, held until it appears (bounded).',
        tags: ['v1'],
        security: security([SCOPES.read]),
        params: TxIdParams,
        querystring: waitQuery(config.limits.maxWaitMs, 0),
        response: { 200: VerdictResponse, 202: Pending, ...problemResponses(404) },
      },
    },
    async (request, reply) => {
      const { txId } = request.params;
      const wait = request.query.wait ?? 0;
      let json = await redis.get(verdictKey(txId));
      if (json === null && wait > 0) {
        json = await waiter.wait(txId, wait);
        metrics.verdictWaits.inc({ outcome: json === null ? 'timeout' : 'arrived' });
      }
      if (json !== null) return reply.code(200).send(parseVerdict(json));
      if ((await redis.exists(requestKey(txId))) === 1) {
        return reply.code(202).send({ txId, status: 'pending', verdictUrl: verdictUrl(txId) });
      }
      throw new ApiError(404, 'unknown-transaction', `no verdict and no accepted transaction with txId ${txId}`);
    },
  );

  app.post<{ Body: TransactionBody; Querystring: WaitQuery }>(
    '/v1/score',
    {
      config: { scopes: [SCOPES.write, SCOPES.read] },
      schema: {
        summary: 'Submit a transaction and wait for its verdict within a deadline (202 if it is not ready by then).',
        tags: ['v1'],
        security: security([SCOPES.write, SCOPES.read]),
        body: TransactionBody,
        querystring: waitQuery(config.limits.maxWaitMs, config.limits.defaultScoreWaitMs),
        response: { 200: VerdictResponse, 202: Pending, ...problemResponses(409, 422) },
      },
    },
    async (request, reply) => {
      const { txId } = request.body;
      const wait = request.query.wait ?? config.limits.defaultScoreWaitMs;
      // Subscribe before publishing: the deadline covers the whole call and no verdict can slip past.
      const abort = new AbortController();
      const waiting = waiter.wait(txId, wait, abort.signal);
      try {
        const s = await submitter.submit(request.body);
        metrics.published.inc({ outcome: s.replayed ? 'replayed' : 'published' });
      } catch (err) {
        abort.abort();
        await waiting.catch(() => null);
        throw err;
      }
      const json = await waiting;
      if (wait > 0) metrics.verdictWaits.inc({ outcome: json === null ? 'timeout' : 'arrived' });
      if (json !== null) return reply.code(200).send(parseVerdict(json));
      return reply
        .code(202)
        .header('location', verdictUrl(txId))
        .send({ txId, status: 'pending', verdictUrl: verdictUrl(txId) });
    },
  );
}

import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, harness, landVerdict, verdictFor } from './helpers.ts';

let h: Harness;
let app: FastifyInstance;
let auth: { authorization: string };
let n = 0;
const txId = () => `${h.prefix}-tx${n++}`;
const tx = (id: string) => ({ txId: id, customerId: 'cust-1', terminalId: 'term-9', amount: 57.3 });

beforeAll(async () => {
  h = await harness('routes');
  app = await h.app();
  auth = { authorization: `Bearer ${await h.token()}` };
});
afterAll(async () => h?.close());

describe('POST /v1/transactions', () => {
  it('publishes once, keyed by customerId, and answers 202 with the txId', async () => {
    const id = txId();
    const before = await h.published();
    const res = await app.inject({ method: 'POST', url: '/v1/transactions', headers: auth, payload: tx(id) });
    expect(res.statusCode).toBe(202);
    const body = res.json();
    expect(body).toMatchObject({ txId: id, status: 'accepted', verdictUrl: `/v1/verdicts/${id}` });
    expect(res.headers.location).toBe(`/v1/verdicts/${id}`);
    expect(await h.published()).toBe(before + 1);

    const consumer = h.kafka.consumer({ groupId: `${h.topic}-check` });
    await consumer.connect();
    await consumer.subscribe({ topic: h.topic, fromBeginning: true });
    const seen = await new Promise<{ key: string; value: Record<string, unknown> }>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) => {
          const value = JSON.parse(String(message.value)) as Record<string, unknown>;
          if (value.txId === id) resolve({ key: String(message.key), value });
        },
      });
    });
    await consumer.disconnect();
    expect(seen.key).toBe('cust-1');
    expect(seen.value).toEqual({ txId: id, ts: body.ts, customerId: 'cust-1', terminalId: 'term-9', amount: 57.3 });
  });

  it('answers a retry with the same 202 and no second message', async () => {
    const id = txId();
    const first = await app.inject({ method: 'POST', url: '/v1/transactions', headers: auth, payload: tx(id) });
    const count = await h.published();
    const again = await app.inject({ method: 'POST', url: '/v1/transactions', headers: auth, payload: tx(id) });
    expect(again.statusCode).toBe(202);
    expect(again.json()).toEqual(first.json());
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await h.published()).toBe(count);
  });

  it('publishes once under 20 concurrent retries on one replica and on two', async () => {
    const other = await h.app();
    for (const apps of [[app], [app, other]]) {
      const id = txId();
      const before = await h.published();
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          apps[i % apps.length]!.inject({ method: 'POST', url: '/v1/transactions', headers: auth, payload: tx(id) }),
        ),
      );
      const codes = answers.map((a) => a.statusCode);
      // Across replicas a racing retry may be told 409 "in progress, retry"; never a second transaction.
      expect(codes.every((c) => c === 202 || (apps.length > 1 && c === 409))).toBe(true);
      expect(codes.filter((c) => c === 202).length).toBeGreaterThan(0);
      expect(new Set(answers.filter((a) => a.statusCode === 202).map((a) => a.json().ts)).size).toBe(1);
      expect(await h.published()).toBe(before + 1);
    }
  });

  it('refuses the same txId with a different transaction (422)', async () => {
    const id = txId();
    await app.inject({ method: 'POST', url: '/v1/transactions', headers: auth, payload: tx(id) });
    const res = await app.inject({
      method: 'POST',
      url: '/v1/transactions',
      headers: auth,
      payload: { ...tx(id), amount: 1 },
    });
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 422, code: 'txid-reused' });
  });

  it('validates the body strictly: no coercion, no unknown fields, a size limit, JSON only', async () => {
    const post = (payload: string, type = 'application/json') =>
      app.inject({ method: 'POST', url: '/v1/transactions', headers: { ...auth, 'content-type': type }, payload });
    const base = tx(txId());
    expect((await post(JSON.stringify({ ...base, amount: '12' }))).statusCode).toBe(400);
    expect((await post(JSON.stringify({ ...base, extra: 1 }))).statusCode).toBe(400);
    expect((await post(JSON.stringify({ ...base, amount: -1 }))).statusCode).toBe(400);
    expect((await post(JSON.stringify({ ...base, txId: 'a b' }))).statusCode).toBe(400);
    expect((await post('{"txId":')).statusCode).toBe(400);
    expect((await post(JSON.stringify({ ...base, pad: 'x'.repeat(5000) }))).statusCode).toBe(413);
    const plain = await post(JSON.stringify(base), 'text/plain');
    expect(plain.statusCode).toBe(415);
    expect(plain.json()).toMatchObject({ status: 415, code: 'unsupported-media-type' });
  });
});

describe('GET /v1/verdicts/:txId', () => {
  it('is 404 for an unknown txId and 202 for an accepted one without a verdict', async () => {
    const unknown = await app.inject({ url: `/v1/verdicts/${txId()}`, headers: auth });
    expect(unknown.statusCode).toBe(404);
    const id = txId();
    await app.inject({ method: 'POST', url: '/v1/transactions', headers: auth, payload: tx(id) });
    const pending = await app.inject({ url: `/v1/verdicts/${id}`, headers: auth });
    expect(pending.statusCode).toBe(202);
    expect(pending.json()).toEqual({ txId: id, status: 'pending', verdictUrl: `/v1/verdicts/${id}` });
  });

  it('returns the verdict from Redis', async () => {
    const id = txId();
    await landVerdict(h.redis, id);
    const res = await app.inject({ url: `/v1/verdicts/${id}`, headers: auth });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(verdictFor(id));
  });

  it('holds a request with wait until the verdict is published, and no longer', async () => {
    const id = txId();
    const started = Date.now();
    const pending = app.inject({ url: `/v1/verdicts/${id}?wait=3000`, headers: auth });
    setTimeout(() => void landVerdict(h.redis, id), 300);
    const res = await pending;
    const took = Date.now() - started;
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(verdictFor(id));
    expect(took).toBeGreaterThanOrEqual(250);
    expect(took).toBeLessThan(2000);
  });

  it('gives up after wait: 404 when unknown', async () => {
    const started = Date.now();
    const res = await app.inject({ url: `/v1/verdicts/${txId()}?wait=400`, headers: auth });
    expect(res.statusCode).toBe(404);
    expect(Date.now() - started).toBeGreaterThanOrEqual(380);
  });

  it('refuses a wait above the configured maximum', async () => {
    const res = await app.inject({ url: `/v1/verdicts/${txId()}?wait=999999`, headers: auth });
    expect(res.statusCode).toBe(400);
  });

  it('hides the cause of a 5xx', async () => {
    const id = txId();
    await h.redis.set(`verdict:${id}`, '{"not":"a verdict"}', 'EX', 60);
    const res = await app.inject({ url: `/v1/verdicts/${id}`, headers: auth });
    expect(res.statusCode).toBe(500);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toEqual({
      type: 'urn:fraud-api:problem:internal',
      title: 'Internal Server Error',
      status: 500,
      code: 'internal',
      retriable: true,
      requestId: expect.any(String),
    });
    expect(res.body).not.toMatch(/malformed|Redis|stack|at /);
  });
});

describe('POST /v1/score', () => {
  it('submits and answers with the verdict once the scorer lands it', async () => {
    const id = txId();
    const before = await h.published();
    const pending = app.inject({ method: 'POST', url: '/v1/score?wait=3000', headers: auth, payload: tx(id) });
    // The test plays the scorer: it lands the verdict once the transaction is on Kafka.
    const poll = setInterval(() => {
      void h.published().then((c) => {
        if (c > before) {
          clearInterval(poll);
          void landVerdict(h.redis, id);
        }
      });
    }, 50);
    const res = await pending;
    clearInterval(poll);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(verdictFor(id));
  });

  it('answers 202 pending when the deadline passes first', async () => {
    const id = txId();
    const res = await app.inject({ method: 'POST', url: '/v1/score?wait=200', headers: auth, payload: tx(id) });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ txId: id, status: 'pending' });
  });
});

describe('operations', () => {
  it('is live and ready with Redis and Kafka up', async () => {
    expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
    const ready = await app.inject({ url: '/readyz' });
    expect(ready.json()).toEqual({ status: 'ready', checks: { redis: true, kafka: true } });
  });

  it('serves latency histograms by route template and status', async () => {
    const text = (await app.inject({ url: '/metrics' })).body;
    expect(text).toMatch(
      /http_request_duration_seconds_bucket\{[^}]*route="\/v1\/verdicts\/:txId"[^}]*status_code="404"/,
    );
    expect(text).toMatch(/fraud_api_transactions_total\{outcome="published"\} \d+/);
  });

  it('serves the OpenAPI document with every v1 route and its security', async () => {
    const doc = (await app.inject({ url: '/docs/json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/transactions', '/v1/verdicts/{txId}', '/v1/score']),
    );
    expect(doc.paths['/v1/transactions'].post.security).toEqual([{ bearer: ['transactions:write'] }]);
  });

  it('answers an unknown route with a problem', async () => {
    const res = await app.inject({ url: '/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('limits each token subject on its own', async () => {
    const limited = await h.app((c) => ({ ...c, limits: { ...c.limits, ratePerMinute: 2 } }));
    const a = { authorization: `Bearer ${await h.token({ subject: 'a' })}` };
    const b = { authorization: `Bearer ${await h.token({ subject: 'b' })}` };
    const url = `/v1/verdicts/${txId()}`;
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push((await limited.inject({ url, headers: a })).statusCode);
    expect(codes).toEqual([404, 404, 429]);
    const last = await limited.inject({ url, headers: a });
    expect(last.json()).toMatchObject({ status: 429, code: 'rate-limited', retriable: true });
    expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
    expect((await limited.inject({ url, headers: b })).statusCode).toBe(404);
  });
});

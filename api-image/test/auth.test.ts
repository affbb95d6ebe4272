import { writeFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { base64url, importJWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSigningKey, publicJwks } from '../src/token.ts';
import { AUDIENCE, type Harness, harness, ISSUER } from './helpers.ts';

let h: Harness;
let app: FastifyInstance;

beforeAll(async () => {
  h = await harness('auth');
  app = await h.app();
});
afterAll(async () => h?.close());

const get = (token: string | undefined) =>
  app.inject({
    url: `/v1/verdicts/${h.prefix}-none`,
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });

async function expectRefused(token: string | undefined, status: number, code: string) {
  const res = await get(token);
  expect(res.statusCode).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.json()).toMatchObject({ status, code });
  expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
  return res;
}

describe('JWT verification', () => {
  it('passes a valid token (the route then answers 404 for the unknown txId)', async () => {
    expect((await get(await h.token())).statusCode).toBe(404);
  });

  it('refuses a missing or non-bearer Authorization header', async () => {
    await expectRefused(undefined, 401, 'missing-token');
    const res = await app.inject({ url: '/v1/verdicts/x', headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    expect(res.statusCode).toBe(401);
  });

  it('refuses an expired token, beyond the clock skew', async () => {
    const res = await expectRefused(await h.token({ shiftSeconds: -3600, ttlSeconds: 60 }), 401, 'invalid-token');
    expect(res.json().detail).toBe('token expired');
  });

  it('accepts a token expired by less than the clock skew', async () => {
    expect((await get(await h.token({ shiftSeconds: -62, ttlSeconds: 60 }))).statusCode).toBe(404);
  });

  it('refuses a wrong audience and a wrong issuer', async () => {
    expect((await expectRefused(await h.token({ audience: 'someone-else' }), 401, 'invalid-token')).json().detail).toBe(
      'claim aud check failed',
    );
    expect(
      (await expectRefused(await h.token({ issuer: 'https://evil.test' }), 401, 'invalid-token')).json().detail,
    ).toBe('claim iss check failed');
  });

  it('refuses an algorithm that is not pinned, even with a key the JWKS holds', async () => {
    const rsa = await generateSigningKey('RS256', 'rsa-key');
    writeFileSync(h.jwksFile, JSON.stringify(publicJwks(h.key, rsa)));
    await new Promise((r) => setTimeout(r, 1100)); // key refresh interval in the harness: 1 s
    await get(await h.token()); // triggers the re-read, off the request's path: wait for it, bounded
    const rsaToken = await h.token({}, rsa);
    const deadline = Date.now() + 5_000;
    while ((await get(rsaToken)).json().detail !== 'algorithm not allowed' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const res = await expectRefused(rsaToken, 401, 'invalid-token');
    expect(res.json().detail).toBe('algorithm not allowed');
    writeFileSync(h.jwksFile, JSON.stringify(publicJwks(h.key)));
  });

  it('refuses HS256 signed with the public key as the secret (algorithm confusion)', async () => {
    const secret = new TextEncoder().encode(JSON.stringify(h.key.publicJwk));
    const forged = await new SignJWT({ scope: 'transactions:write verdicts:read' })
      .setProtectedHeader({ alg: 'HS256', kid: h.key.kid })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject('attacker')
      .setExpirationTime('1h')
      .sign(secret);
    expect((await expectRefused(forged, 401, 'invalid-token')).json().detail).toBe('algorithm not allowed');
  });

  it('refuses alg none', async () => {
    const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }));
    const now = Math.floor(Date.now() / 1000);
    const payload = base64url.encode(
      JSON.stringify({ iss: ISSUER, aud: AUDIENCE, sub: 'x', exp: now + 600, scope: 'verdicts:read' }),
    );
    await expectRefused(`${header}.${payload}.`, 401, 'invalid-token');
    await expectRefused(`${header}.${payload}`, 401, 'invalid-token'); // not even JWS compact form
  });

  it('refuses a tampered payload and a tampered signature', async () => {
    const [header, payload, signature] = (await h.token({ scopes: ['verdicts:read'] })).split('.') as [
      string,
      string,
      string,
    ];
    const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload)));
    const widened = base64url.encode(
      JSON.stringify({ ...claims, scope: 'verdicts:read transactions:write', sub: 'admin' }),
    );
    expect((await expectRefused(`${header}.${widened}.${signature}`, 401, 'invalid-token')).json().detail).toBe(
      'signature verification failed',
    );
    const flipped = signature.slice(0, 10) + (signature[10] === 'A' ? 'B' : 'A') + signature.slice(11);
    await expectRefused(`${header}.${payload}.${flipped}`, 401, 'invalid-token');
  });

  it('refuses a token signed by a key it does not trust', async () => {
    const stranger = await generateSigningKey('ES256', h.key.kid);
    await expectRefused(await h.token({}, stranger), 401, 'invalid-token');
  });

  it("refuses a token without the route's scope (403), and one without exp or sub", async () => {
    const readOnly = await h.token({ scopes: ['verdicts:read'] });
    const res = await app.inject({
      method: 'POST',
      url: '/v1/transactions',
      headers: { authorization: `Bearer ${readOnly}` },
      payload: { txId: `${h.prefix}-x`, customerId: 'c', terminalId: 't', amount: 1 },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'insufficient-scope', detail: 'token lacks scope transactions:write' });
    expect((await get(await h.token({ scopes: [] }))).statusCode).toBe(403);

    const privateKey = await importJWK(h.key.privateJwk, 'ES256');
    const noExp = await new SignJWT({ scope: 'verdicts:read' })
      .setProtectedHeader({ alg: 'ES256', kid: h.key.kid })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject('c')
      .sign(privateKey);
    await expectRefused(noExp, 401, 'invalid-token');
  });

  it('picks up a rotated key file without a restart, and drops the retired key', async () => {
    const next = await generateSigningKey('ES256', `next-${h.prefix}`);
    const oldToken = await h.token();
    writeFileSync(h.jwksFile, JSON.stringify(publicJwks(h.key, next)));
    // An unknown kid makes the verifier re-read the file at once (at most once a second).
    await new Promise((r) => setTimeout(r, 1100));
    expect((await get(await h.token({}, next))).statusCode).toBe(404);
    writeFileSync(h.jwksFile, JSON.stringify(publicJwks(next)));
    await new Promise((r) => setTimeout(r, 1100));
    // The first request is served from the keys read before and starts the re-read off the request's path; how soon
    // that lands depends on the machine, so wait for it (bounded) rather than for a fixed time.
    const deadline = Date.now() + 5_000;
    while ((await get(oldToken)).statusCode !== 401 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    await expectRefused(oldToken, 401, 'invalid-token');
    expect((await get(await h.token({}, next))).statusCode).toBe(404);
  });
});

describe('logs', () => {
  it('never carry the Authorization header', async () => {
    const { pino } = await import('pino');
    const { REDACTED_PATHS } = await import('../src/app.ts');
    const lines: string[] = [];
    const log = pino(
      { redact: { paths: REDACTED_PATHS, censor: '[redacted]' } },
      { write: (s: string) => lines.push(s) },
    );
    const token = await h.token();
    log.info({ req: { headers: { authorization: `Bearer ${token}` } } }, 'request');
    expect(lines.join('')).not.toContain(token);
    expect(lines.join('')).toContain('[redacted]');
  });
});

describe('keys from a JWKS URL', () => {
  it("verifies against the issuer's JWKS, and does not start without it", async () => {
    const { createServer } = await import('node:http');
    const served = JSON.stringify(publicJwks(h.key));
    const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(served));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    const remote = await h.app((c) => ({
      ...c,
      auth: { ...c.auth, keys: { kind: 'jwks-url', url: `http://127.0.0.1:${port}/jwks` }, tokenCacheSeconds: 0 },
    }));
    const ask = async (token: string) =>
      (await remote.inject({ url: `/v1/verdicts/${h.prefix}-none`, headers: { authorization: `Bearer ${token}` } }))
        .statusCode;
    expect(await ask(await h.token())).toBe(404);
    expect(await ask(await h.token({}, await generateSigningKey('ES256', 'stranger')))).toBe(401);
    await new Promise<void>((r) => server.close(() => r()));
    server.closeAllConnections();
    // An issuer unreachable at boot: the app does not become ready (no pod serving with no keys).
    await expect(
      h.app((c) => ({ ...c, auth: { ...c.auth, keys: { kind: 'jwks-url', url: `http://127.0.0.1:${port}/jwks` } } })),
    ).rejects.toThrow();
  });
});

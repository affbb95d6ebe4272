import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createVerifier } from './auth-verifier.ts';
import { generateSigningKey, mintToken, publicJwks } from './token.ts';

const dir = mkdtempSync(join(tmpdir(), 'verifier-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('token cache across a key rotation', () => {
  it('never keeps a token that the retired key verified while the new keys were being read', async () => {
    const file = join(dir, 'jwks.json');
    const [retired, next] = [await generateSigningKey('ES256', 'retired'), await generateSigningKey('ES256', 'next')];
    const claims = { issuer: 'https://issuer.test', audience: 'api', subject: 'client', scopes: ['verdicts:read'] };
    let accepted = 0;
    // keyRefreshSeconds 0: every request starts a re-read off its path, so the read races the verify in flight.
    for (let round = 0; round < 40; round++) {
      writeFileSync(file, JSON.stringify(publicJwks(retired)));
      const verifier = createVerifier({
        issuer: claims.issuer,
        audience: claims.audience,
        algorithms: ['ES256'],
        keys: { kind: 'key-file', path: file },
        clockSkewSeconds: 5,
        keyRefreshSeconds: 0,
        tokenCacheSeconds: 60,
      });
      await verifier.load();
      const token = await mintToken(retired, claims);
      writeFileSync(file, JSON.stringify(publicJwks(next)));
      await new Promise((r) => setTimeout(r, 2));
      await verifier.verify(token).catch(() => undefined); // served by the keys read before, or refused
      await new Promise((r) => setTimeout(r, 20)); // the re-read has landed
      if (
        await verifier.verify(token).then(
          () => true,
          () => false,
        )
      )
        accepted++;
    }
    expect(accepted).toBe(0);
  });
});

// Local signing keys and tokens, for curl examples, tests and the benchmark. Production tokens come from the issuer.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';

export interface SigningKey {
  alg: string;
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

export async function generateSigningKey(alg = 'ES256', kid = `local-${Date.now().toString(36)}`): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg };
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { alg, kid, privateJwk, publicJwk };
}

export const publicJwks = (...keys: SigningKey[]) => ({ keys: keys.map((k) => k.publicJwk) });

export interface TokenClaims {
  issuer: string;
  audience: string;
  subject: string;
  scopes: string[];
  ttlSeconds?: number;
  /** Seconds to shift iat/exp by (negative mints a token from the past). */
  shiftSeconds?: number;
}

export async function mintToken(key: SigningKey, claims: TokenClaims): Promise<string> {
  const now = Math.floor(Date.now() / 1000) + (claims.shiftSeconds ?? 0);
  return new SignJWT({ scope: claims.scopes.join(' ') })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
    .setIssuer(claims.issuer)
    .setAudience(claims.audience)
    .setSubject(claims.subject)
    .setIssuedAt(now)
    .setExpirationTime(now + (claims.ttlSeconds ?? 3600))
    .sign(await importJWK(key.privateJwk, key.alg));
}

/** Reads the signing key kept in `dir` (signing.jwk, private, 0600), creating it and jwks.json on first use. */
export async function localSigningKey(dir: string): Promise<{ key: SigningKey; jwksFile: string }> {
  const keyFile = join(dir, 'signing.jwk');
  const jwksFile = join(dir, 'jwks.json');
  if (!existsSync(keyFile)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const key = await generateSigningKey();
    writeFileSync(keyFile, JSON.stringify(key), { mode: 0o600 });
    writeFileSync(jwksFile, `${JSON.stringify(publicJwks(key), null, 2)}\n`);
  }
  return { key: JSON.parse(readFileSync(keyFile, 'utf8')) as SigningKey, jwksFile };
}

// Verifies bearer tokens with jose: pinned asymmetric algorithms, issuer, audience, bounded clock skew, and keys from
// a JWKS URL or a JWKS file mounted from a Secret that is re-read when it changes (rotation without a restart).
import { readFile } from 'node:fs/promises';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  type JSONWebKeySet,
  type JWTVerifyGetKey,
  jwtVerify,
} from 'jose';
import { type Principal, scopesOf } from './auth-policy.ts';
import type { AuthConfig } from './config.ts';
import { ApiError } from './problem.ts';

export interface Verifier {
  /** Loads the keys once (a bad key file fails here, at boot, not on the first request). */
  load(): Promise<void>;
  verify(token: string): Promise<Principal>;
}

interface KeySet {
  getKey: JWTVerifyGetKey;
  load(): Promise<void>;
  /** Re-reads the keys now (bounded to once a second); true when they changed. */
  refreshNow(): Promise<boolean>;
}

const CACHE_ENTRIES = 10_000;

export function createVerifier(config: AuthConfig, onKeysChanged: (msg: string) => void = () => {}): Verifier {
  // Verified tokens, keyed by the whole compact JWS (signature included), so a cache hit is the very token that was
  // verified. An ES256 verify costs ~100 µs, more than the rest of a verdict read; clients reuse a token for minutes.
  const cache = new Map<string, { principal: Principal; until: number }>();
  // A verify that began before a key change must not cache what the old keys said after the clear.
  let keyGeneration = 0;
  const keysChanged = (msg: string) => {
    keyGeneration++;
    cache.clear();
    onKeysChanged(msg);
  };
  const keys =
    config.keys.kind === 'jwks-url'
      ? remoteKeySet(config.keys.url)
      : fileKeySet(config.keys.path, config.keyRefreshSeconds, keysChanged);
  const options = {
    issuer: config.issuer,
    audience: config.audience,
    algorithms: [...config.algorithms],
    clockTolerance: config.clockSkewSeconds,
    requiredClaims: ['exp', 'sub'],
  };
  const verifyOnce = async (token: string) => (await jwtVerify(token, keys.getKey, options)).payload;
  return {
    load: () => keys.load(),
    async verify(token) {
      const now = Date.now();
      let generation = keyGeneration;
      const hit = cache.get(token);
      if (hit !== undefined) {
        if (hit.until > now) return hit.principal;
        cache.delete(token);
      }
      let payload: Record<string, unknown>;
      try {
        payload = await verifyOnce(token);
      } catch (err) {
        // A token signed by a key we have not seen yet: the Secret may have been rotated since the last read.
        if (err instanceof errors.JWKSNoMatchingKey && (await keys.refreshNow())) {
          generation = keyGeneration;
          try {
            payload = await verifyOnce(token);
          } catch (again) {
            throw refusal(again);
          }
        } else throw refusal(err);
      }
      const principal: Principal = { subject: String(payload.sub), scopes: scopesOf(payload) };
      if (config.tokenCacheSeconds > 0 && generation === keyGeneration) {
        const until = Math.min(
          (Number(payload.exp) + config.clockSkewSeconds) * 1000,
          now + config.tokenCacheSeconds * 1000,
        );
        if (cache.size >= CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
        cache.set(token, { principal, until });
      }
      return principal;
    },
  };
}

/** Why a token was refused, in words that name the check but never echo key material. */
function refusal(err: unknown): ApiError {
  const invalid = (detail: string) =>
    new ApiError(401, 'invalid-token', detail, {
      headers: { 'www-authenticate': `Bearer error="invalid_token", error_description="${detail}"` },
    });
  if (err instanceof errors.JWTExpired) return invalid('token expired');
  if (err instanceof errors.JWTClaimValidationFailed) return invalid(`claim ${err.claim} check failed`);
  if (err instanceof errors.JOSEAlgNotAllowed) return invalid('algorithm not allowed');
  if (err instanceof errors.JWSSignatureVerificationFailed) return invalid('signature verification failed');
  if (err instanceof errors.JWKSNoMatchingKey) return invalid('no key matches the token');
  if (err instanceof errors.JWKSMultipleMatchingKeys) return invalid('token header matches several keys: set kid');
  if (err instanceof errors.JWKSTimeout || (err instanceof errors.JOSEError && err.code === 'ERR_JWKS_INVALID')) {
    return new ApiError(503, 'auth-keys-unavailable', 'signing keys unavailable', { retriable: true, cause: err });
  }
  if (err instanceof errors.JOSEError) return invalid('malformed or unusable token');
  // Anything else (a JWKS fetch failing, a bug) is ours, not the client's.
  return new ApiError(503, 'auth-keys-unavailable', 'signing keys unavailable', { retriable: true, cause: err });
}

function remoteKeySet(url: string): KeySet {
  const set = createRemoteJWKSet(new URL(url), {
    timeoutDuration: 2000,
    cooldownDuration: 30_000,
    cacheMaxAge: 600_000,
  });
  return {
    getKey: set,
    load: () => set.reload(),
    async refreshNow() {
      return false; // jose's remote set already refetches on an unknown kid, after its cooldown.
    },
  };
}

function fileKeySet(path: string, refreshSeconds: number, onChanged: (msg: string) => void): KeySet {
  let current: { text: string; getKey: ReturnType<typeof createLocalJWKSet> } | undefined;
  let lastRead = 0;
  let reading: Promise<boolean> | undefined;

  const read = async (): Promise<boolean> => {
    lastRead = Date.now();
    const text = await readFile(path, 'utf8');
    if (current?.text === text) return false;
    let jwks: JSONWebKeySet;
    try {
      jwks = JSON.parse(text) as JSONWebKeySet;
      if (!Array.isArray(jwks.keys) || jwks.keys.length === 0) throw new Error('no "keys" array');
      if (jwks.keys.some((k) => k.d !== undefined || k.kty === 'oct'))
        throw new Error('holds private or symmetric key material');
    } catch (err) {
      throw new Error(`JWT_KEY_FILE ${path} is not a public JWKS: ${(err as Error).message}`);
    }
    current = { text, getKey: createLocalJWKSet(jwks) };
    onChanged(`loaded ${jwks.keys.length} key(s) from ${path}`);
    return true;
  };
  const reload = (): Promise<boolean> => {
    reading ??= read().finally(() => {
      reading = undefined;
    });
    return reading;
  };

  return {
    async getKey(header, token) {
      if (current === undefined) await reload();
      else if (Date.now() - lastRead > refreshSeconds * 1000) {
        // Off the request's path: a half-written or removed file keeps the keys we have.
        reload().catch((err: Error) => onChanged(`kept previous keys: ${err.message}`));
      }
      return current!.getKey(header, token);
    },
    load: async () => {
      await reload();
    },
    async refreshNow() {
      if (reading === undefined && Date.now() - lastRead < 1000) return false;
      return reload().catch(() => false);
    },
  };
}

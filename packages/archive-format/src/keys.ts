import { createHmac, hkdfSync } from 'node:crypto';
import { CompactEncrypt, compactDecrypt, importJWK, type JWK } from 'jose';
import { ArchiveFormatError } from './errors.ts';
import type { WrappedKey } from './header.ts';

export const KEY_BYTES = 32;
const INFO_CHUNK = 'fraud-archive/v1/chunk-key';
const INFO_HEADER = 'fraud-archive/v1/header-key';
const FINGERPRINT_LABEL = 'fraud-archive/v1/key-fingerprint';

/** A symmetric key from a Secret, named by its id: what the archiver writes with in aes-256-gcm mode. */
export interface SymmetricKey {
  keyId: string;
  key: Buffer;
}

/** Symmetric keys by id: the current one and every retired one, so old objects stay readable. */
export type Keyring = ReadonlyMap<string, Buffer>;

/** A recipient's public key (envelope mode): a JWK with a kid, RSA (RSA-OAEP-256) or EC/OKP (ECDH-ES+A256KW). */
export type RecipientKey = JWK & { kid: string };

/** What the reader holds: a keyring for aes-256-gcm objects, private JWKs for envelope objects. */
export interface ReadKeys {
  keyring?: Keyring;
  privateKeys?: JWK[];
}

/** Per-object keys: the chunk key and the header MAC key, derived from the secret and the object's salt. */
export function deriveObjectKeys(secret: Buffer, salt: Buffer): { chunkKey: Buffer; headerKey: Buffer } {
  return {
    chunkKey: Buffer.from(hkdfSync('sha256', secret, salt, INFO_CHUNK, KEY_BYTES)),
    headerKey: Buffer.from(hkdfSync('sha256', secret, salt, INFO_HEADER, KEY_BYTES)),
  };
}

/** A PRF of the key, not the key: tells "the keyring's key k1 is not the one this object used" from tampering. */
export function keyFingerprint(key: Buffer): string {
  return createHmac('sha256', key).update(FINGERPRINT_LABEL).digest('hex').slice(0, 16);
}

export function checkSymmetricKey(k: SymmetricKey): void {
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(k.keyId)) {
    throw new ArchiveFormatError('bad-key-material', `key id "${k.keyId}" must be 1-64 of [A-Za-z0-9._-]`);
  }
  if (k.key.length !== KEY_BYTES) {
    throw new ArchiveFormatError('bad-key-material', `key ${k.keyId} is ${k.key.length} bytes, expected ${KEY_BYTES}`);
  }
}

/**
 * A keyring file: `{"keys": {"<keyId>": "<base64 of 32 bytes>", ...}}`. A single key file may also be given as
 * `<keyId>:<base64>` (the form a Secret's value takes). Errors name the key id, never the key.
 */
export function parseKeyring(text: string): Map<string, Buffer> {
  const ring = new Map<string, Buffer>();
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) {
    const k = parseSymmetricKey(trimmed);
    ring.set(k.keyId, k.key);
    return ring;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    throw new ArchiveFormatError('bad-key-material', 'keyring is not valid JSON');
  }
  const keys = (parsed as { keys?: unknown })?.keys;
  if (typeof keys !== 'object' || keys === null) {
    throw new ArchiveFormatError('bad-key-material', 'keyring lacks a "keys" object');
  }
  for (const [keyId, value] of Object.entries(keys)) {
    if (typeof value !== 'string') throw new ArchiveFormatError('bad-key-material', `key ${keyId} is not a string`);
    const k = { keyId, key: Buffer.from(value, 'base64') };
    checkSymmetricKey(k);
    ring.set(keyId, k.key);
  }
  return ring;
}

/** `<keyId>:<base64 of 32 bytes>`. */
export function parseSymmetricKey(text: string): SymmetricKey {
  const colon = text.indexOf(':');
  if (colon <= 0) throw new ArchiveFormatError('bad-key-material', 'a key must read <keyId>:<base64 of 32 bytes>');
  const k = { keyId: text.slice(0, colon), key: Buffer.from(text.slice(colon + 1).trim(), 'base64') };
  checkSymmetricKey(k);
  return k;
}

export function jweAlgFor(jwk: JWK): string {
  if (jwk.kty === 'RSA') return 'RSA-OAEP-256';
  if (jwk.kty === 'EC' || jwk.kty === 'OKP') return 'ECDH-ES+A256KW';
  throw new ArchiveFormatError('bad-key-material', `key ${jwk.kid ?? '(no kid)'} has unsupported kty ${jwk.kty}`);
}

export function checkRecipient(jwk: JWK): RecipientKey {
  if (typeof jwk.kid !== 'string' || jwk.kid === '') {
    throw new ArchiveFormatError('bad-key-material', 'a recipient public key needs a kid');
  }
  if ('d' in jwk) {
    throw new ArchiveFormatError(
      'bad-key-material',
      `recipient ${jwk.kid} is a private key: give the archiver public keys`,
    );
  }
  jweAlgFor(jwk);
  return jwk as RecipientKey;
}

/** Wraps the data key for each recipient with a compact JWE (enc A256GCM). */
export async function wrapDataKey(dataKey: Buffer, recipients: readonly RecipientKey[]): Promise<WrappedKey[]> {
  return Promise.all(
    recipients.map(async (jwk) => {
      const alg = jweAlgFor(jwk);
      const publicKey = await importJWK(jwk, alg);
      const jwe = await new CompactEncrypt(dataKey)
        .setProtectedHeader({ alg, enc: 'A256GCM', kid: jwk.kid })
        .encrypt(publicKey);
      return { kid: jwk.kid, alg, jwe };
    }),
  );
}

/** Opens the data key with whichever private key matches a recipient. Refuses clearly when none does. */
export async function unwrapDataKey(wrapped: readonly WrappedKey[], privateKeys: readonly JWK[], object: string) {
  if (privateKeys.length === 0) {
    throw new ArchiveFormatError('not-a-recipient', `${object}: is an envelope object and no private key was given`);
  }
  for (const w of wrapped) {
    for (const jwk of privateKeys) {
      if (jwk.kid !== undefined && jwk.kid !== w.kid) continue;
      if (!('d' in jwk)) continue;
      let dataKey: Uint8Array;
      try {
        const key = await importJWK(jwk, w.alg);
        dataKey = (await compactDecrypt(w.jwe, key)).plaintext;
      } catch {
        continue;
      }
      if (dataKey.length === KEY_BYTES) return Buffer.from(dataKey);
    }
  }
  const have = privateKeys.map((k) => k.kid ?? '(no kid)').join(', ');
  const want = wrapped.map((w) => w.kid).join(', ');
  throw new ArchiveFormatError(
    'not-a-recipient',
    `${object}: none of the given private keys (${have}) opens the data key; the object's recipients are ${want}`,
  );
}

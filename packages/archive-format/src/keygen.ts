import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { checkSymmetricKey, KEY_BYTES, type SymmetricKey } from './keys.ts';

export type RecipientKind = 'rsa' | 'ec';

/** A fresh symmetric key, as the `<keyId>:<base64>` text a Secret holds. */
export function generateSymmetricKey(keyId: string): { key: SymmetricKey; text: string } {
  const key = { keyId, key: randomBytes(KEY_BYTES) };
  checkSymmetricKey(key);
  return { key, text: `${keyId}:${key.key.toString('base64')}` };
}

/** A recipient key pair as JWKs: RSA-3072 for RSA-OAEP-256, or P-256 for ECDH-ES+A256KW. */
export async function generateRecipientKeyPair(
  kind: RecipientKind,
  kid: string,
): Promise<{ publicJwk: JWK & { kid: string }; privateJwk: JWK & { kid: string } }> {
  const alg = kind === 'rsa' ? 'RSA-OAEP-256' : 'ECDH-ES+A256KW';
  const options = kind === 'rsa' ? { modulusLength: 3072, extractable: true } : { crv: 'P-256', extractable: true };
  const { publicKey, privateKey } = await generateKeyPair(alg, options);
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'enc' };
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg, use: 'enc' };
  return { publicJwk, privateJwk };
}

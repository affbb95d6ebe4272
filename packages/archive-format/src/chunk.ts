import { createCipheriv, createDecipheriv } from 'node:crypto';
import { ArchiveFormatError } from './errors.ts';
import { NONCE_PREFIX_BYTES } from './header.ts';

/** Each chunk on the wire: flags u8 | ciphertext length u32 BE | ciphertext | 16-byte GCM tag. */
export const CHUNK_PREFIX_BYTES = 5;
export const TAG_BYTES = 16;
export const FLAG_FINAL = 0x01;
const MAX_COUNTER = 0xffff_ffff;

/** nonce = per-object random prefix (7) | chunk counter u32 BE (4) | final flag (1): Tink's streaming-AEAD layout. */
export function chunkNonce(prefix: Buffer, counter: number, final: boolean): Buffer {
  if (prefix.length !== NONCE_PREFIX_BYTES) throw new Error(`nonce prefix must be ${NONCE_PREFIX_BYTES} bytes`);
  if (!Number.isInteger(counter) || counter < 0 || counter > MAX_COUNTER) {
    throw new Error(`chunk counter ${counter} is out of range: the object has too many chunks`);
  }
  const nonce = Buffer.alloc(12);
  prefix.copy(nonce, 0);
  nonce.writeUInt32BE(counter, NONCE_PREFIX_BYTES);
  nonce.writeUInt8(final ? 1 : 0, NONCE_PREFIX_BYTES + 4);
  return nonce;
}

export interface ChunkKeys {
  chunkKey: Buffer;
  noncePrefix: Buffer;
  /** The header tag: every chunk authenticates the header through it. */
  aad: Buffer;
}

export function sealChunk(keys: ChunkKeys, counter: number, final: boolean, plaintext: Buffer): Buffer {
  const cipher = createCipheriv('aes-256-gcm', keys.chunkKey, chunkNonce(keys.noncePrefix, counter, final));
  cipher.setAAD(keys.aad);
  const head = Buffer.alloc(CHUNK_PREFIX_BYTES);
  head.writeUInt8(final ? FLAG_FINAL : 0, 0);
  head.writeUInt32BE(plaintext.length, 1);
  return Buffer.concat([head, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
}

export function openChunk(
  keys: ChunkKeys,
  counter: number,
  final: boolean,
  ciphertext: Buffer,
  tag: Buffer,
  object: string,
): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', keys.chunkKey, chunkNonce(keys.noncePrefix, counter, final));
  decipher.setAAD(keys.aad);
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch (cause) {
    throw new ArchiveFormatError(
      'chunk-tampered',
      `${object}: chunk ${counter}${final ? ' (final)' : ''} failed authentication: it was tampered with, reordered or moved`,
      { cause },
    );
  }
}

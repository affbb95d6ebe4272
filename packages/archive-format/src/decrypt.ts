import { createHmac, timingSafeEqual } from 'node:crypto';
import { ByteReader } from './byte-reader.ts';
import { CHUNK_PREFIX_BYTES, type ChunkKeys, FLAG_FINAL, openChunk, TAG_BYTES } from './chunk.ts';
import { ArchiveFormatError } from './errors.ts';
import {
  type ArchiveHeader,
  type ArchiveTrailer,
  decodeFixedPreamble,
  FIXED_PREAMBLE_BYTES,
  HEADER_TAG_BYTES,
  MAX_TRAILER_BYTES,
  parseHeader,
  parseTrailer,
} from './header.ts';
import { deriveObjectKeys, keyFingerprint, type ReadKeys, unwrapDataKey } from './keys.ts';

export type DecryptEvent =
  | { kind: 'header'; header: ArchiveHeader }
  | { kind: 'data'; bytes: Buffer }
  | { kind: 'end'; trailer: ArchiveTrailer };

/**
 * Authenticates and decrypts one object as a stream, holding at most one chunk. Yields the header first, then
 * plaintext, then the trailer; throws ArchiveFormatError naming `object` and the problem on any refusal. Plaintext
 * already yielded is authenticated chunk by chunk, but the object as a whole is sound only once 'end' arrives.
 */
export async function* decryptObject(
  source: AsyncIterable<Uint8Array>,
  keys: ReadKeys,
  object: string,
): AsyncGenerator<DecryptEvent> {
  const reader = new ByteReader(source);
  const fixed = await reader.read(FIXED_PREAMBLE_BYTES);
  const headerLength = decodeFixedPreamble(fixed, object);
  const json = await reader.read(headerLength);
  const tag = await reader.read(HEADER_TAG_BYTES);
  if (json.length < headerLength || tag.length < HEADER_TAG_BYTES) {
    throw new ArchiveFormatError('truncated', `${object}: truncated inside the header`);
  }
  const header = parseHeader(json, object);
  const secret = await secretFor(header, keys, object);
  const salt = Buffer.from(header.salt, 'base64url');
  const { chunkKey, headerKey } = deriveObjectKeys(secret, salt);
  const expected = createHmac('sha256', headerKey)
    .update(Buffer.concat([fixed, json]))
    .digest();
  if (!timingSafeEqual(expected, tag)) {
    const why = header.mode === 'aes-256-gcm' ? 'tampered with' : 'tampered with (or the data key is wrong)';
    throw new ArchiveFormatError('header-tampered', `${object}: header failed authentication: it was ${why}`);
  }
  yield { kind: 'header', header };

  const chunkKeys: ChunkKeys = { chunkKey, noncePrefix: Buffer.from(header.noncePrefix, 'base64url'), aad: tag };
  let plaintextBytes = 0;
  for (let counter = 0; ; counter++) {
    const prefix = await reader.read(CHUNK_PREFIX_BYTES);
    if (prefix.length === 0) {
      throw new ArchiveFormatError(
        'truncated',
        `${object}: truncated after ${counter} chunks: the final chunk is missing`,
      );
    }
    if (prefix.length < CHUNK_PREFIX_BYTES) {
      throw new ArchiveFormatError('truncated', `${object}: truncated inside chunk ${counter}`);
    }
    const flags = prefix.readUInt8(0);
    const length = prefix.readUInt32BE(1);
    if ((flags & ~FLAG_FINAL) !== 0) {
      throw new ArchiveFormatError('chunk-tampered', `${object}: chunk ${counter} has unknown flags ${flags}`);
    }
    const limit = flags & FLAG_FINAL ? Math.max(header.chunkSize, MAX_TRAILER_BYTES) : header.chunkSize;
    if (length > limit) {
      throw new ArchiveFormatError(
        'chunk-too-large',
        `${object}: chunk ${counter} claims ${length} bytes, over the limit ${limit} (tampered?)`,
      );
    }
    const body = await reader.read(length + TAG_BYTES);
    if (body.length < length + TAG_BYTES) {
      throw new ArchiveFormatError('truncated', `${object}: truncated inside chunk ${counter}`);
    }
    const final = (flags & FLAG_FINAL) !== 0;
    const plain = openChunk(chunkKeys, counter, final, body.subarray(0, length), body.subarray(length), object);
    if (!final) {
      plaintextBytes += plain.length;
      yield { kind: 'data', bytes: plain };
      continue;
    }
    if (!(await reader.atEnd())) {
      throw new ArchiveFormatError('trailing-data', `${object}: bytes follow the final chunk (appended or spliced)`);
    }
    const trailer = parseTrailer(plain, object);
    if (trailer.plaintextBytes !== plaintextBytes) {
      throw new ArchiveFormatError(
        'truncated',
        `${object}: holds ${plaintextBytes} bytes, the trailer says ${trailer.plaintextBytes}`,
      );
    }
    yield { kind: 'end', trailer };
    return;
  }
}

async function secretFor(header: ArchiveHeader, keys: ReadKeys, object: string): Promise<Buffer> {
  if (header.mode === 'envelope') return unwrapDataKey(header.recipients ?? [], keys.privateKeys ?? [], object);
  const keyId = header.keyId ?? '';
  const key = keys.keyring?.get(keyId);
  if (!key) {
    const have = [...(keys.keyring?.keys() ?? [])].join(', ') || 'none';
    throw new ArchiveFormatError(
      'unknown-key-id',
      `${object}: written with key id "${keyId}", not in the keyring (have: ${have})`,
    );
  }
  if (keyFingerprint(key) !== header.keyFingerprint) {
    throw new ArchiveFormatError(
      'wrong-key',
      `${object}: wrong key: the keyring's key "${keyId}" is not the key this object was written with`,
    );
  }
  return key;
}

/** Decrypts a whole object in memory: for tests and small objects. */
export async function decryptToBuffer(
  source: AsyncIterable<Uint8Array>,
  keys: ReadKeys,
  object: string,
): Promise<{ header: ArchiveHeader; plaintext: Buffer; trailer: ArchiveTrailer }> {
  let header: ArchiveHeader | undefined;
  let trailer: ArchiveTrailer | undefined;
  const parts: Buffer[] = [];
  for await (const e of decryptObject(source, keys, object)) {
    if (e.kind === 'header') header = e.header;
    else if (e.kind === 'data') parts.push(e.bytes);
    else trailer = e.trailer;
  }
  if (!header || !trailer) throw new ArchiveFormatError('truncated', `${object}: ended early`);
  return { header, plaintext: Buffer.concat(parts), trailer };
}

import { CHUNK_PREFIX_BYTES, TAG_BYTES } from './chunk.ts';
import { decryptToBuffer } from './decrypt.ts';
import { ObjectEncryptor, type WriteKey } from './encrypt.ts';
import { FIXED_PREAMBLE_BYTES, HEADER_TAG_BYTES, MAGIC } from './header.ts';
import type { ReadKeys } from './keys.ts';

export const SOURCE = { topic: 'transactions', partition: 3, firstOffset: 1000, windowStart: 0, windowEnd: 3_600_000 };

/** Encrypts `plaintext`, writing it in the given piece sizes (cycled). */
export async function encryptWhole(
  plaintext: Buffer,
  key: WriteKey,
  chunkSize: number,
  pieces: readonly number[] = [plaintext.length || 1],
): Promise<Buffer> {
  const enc = await ObjectEncryptor.open({ source: SOURCE, columns: ['a'], key, chunkSize });
  const out = [enc.preamble];
  let at = 0;
  for (let i = 0; at < plaintext.length; i++) {
    const size = Math.max(1, pieces[i % pieces.length]!);
    out.push(...enc.write(plaintext.subarray(at, at + size)));
    at += size;
  }
  out.push(...enc.finish({ lastOffset: 1009, records: 10 }));
  return Buffer.concat(out);
}

/** The object delivered in pieces of the given sizes (cycled), as a network read would. */
export async function* pieces(object: Buffer, sizes: readonly number[] = [object.length]) {
  let at = 0;
  for (let i = 0; at < object.length; i++) {
    const size = Math.max(1, sizes[i % sizes.length]!);
    yield object.subarray(at, at + size);
    at += size;
  }
}

export const decrypt = (object: Buffer, keys: ReadKeys, sizes?: number[]) =>
  decryptToBuffer(pieces(object, sizes), keys, 'obj-1');

/** Splits an object into its preamble and its chunk records, for tampering. */
export function splitObject(object: Buffer): { preamble: Buffer; chunks: Buffer[] } {
  if (!object.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error('not an object');
  const headerLength = object.readUInt32BE(MAGIC.length + 1);
  const preambleEnd = FIXED_PREAMBLE_BYTES + headerLength + HEADER_TAG_BYTES;
  const chunks: Buffer[] = [];
  for (let at = preambleEnd; at < object.length; ) {
    const length = object.readUInt32BE(at + 1);
    const end = at + CHUNK_PREFIX_BYTES + length + TAG_BYTES;
    chunks.push(object.subarray(at, end));
    at = end;
  }
  return { preamble: object.subarray(0, preambleEnd), chunks };
}

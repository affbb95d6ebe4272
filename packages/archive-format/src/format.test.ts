import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WriteKey } from './encrypt.ts';
import { ArchiveFormatError } from './errors.ts';
import { generateRecipientKeyPair, generateSymmetricKey } from './keygen.ts';
import { decrypt, encryptWhole, SOURCE, splitObject } from './test-helpers.ts';

const k1 = generateSymmetricKey('k1').key;
const k2 = generateSymmetricKey('k2').key;
const aes: WriteKey = { mode: 'aes-256-gcm', key: k1 };
const ring = { keyring: new Map([[k1.keyId, k1.key]]) };
const text = Buffer.from('offset,txId\n1000,a\n1001,b\n1002,c\n'.repeat(40));

async function refusal(p: Promise<unknown>): Promise<ArchiveFormatError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ArchiveFormatError) return err;
    throw err;
  }
  throw new Error('the object was accepted');
}

describe('aes-256-gcm objects', () => {
  it('round-trips, with the header and trailer', async () => {
    const object = await encryptWhole(text, aes, 100, [7, 300, 1]);
    const { header, plaintext, trailer } = await decrypt(object, ring, [3, 1000]);
    expect(plaintext.equals(text)).toBe(true);
    expect(header).toMatchObject({ ...SOURCE, mode: 'aes-256-gcm', keyId: 'k1', chunkSize: 100 });
    expect(trailer).toEqual({ lastOffset: 1009, records: 10, plaintextBytes: text.length });
    expect(object.includes(Buffer.from('txId'))).toBe(false);
  });

  it('round-trips an empty body', async () => {
    const { plaintext } = await decrypt(await encryptWhole(Buffer.alloc(0), aes, 64), ring);
    expect(plaintext.length).toBe(0);
  });

  it('reads old objects after rotation: the keyring holds retired keys by id', async () => {
    const old = await encryptWhole(text, aes, 128);
    const fresh = await encryptWhole(text, { mode: 'aes-256-gcm', key: k2 }, 128);
    const rotated = {
      keyring: new Map([
        [k1.keyId, k1.key],
        [k2.keyId, k2.key],
      ]),
    };
    expect((await decrypt(old, rotated)).header.keyId).toBe('k1');
    expect((await decrypt(fresh, rotated)).header.keyId).toBe('k2');
  });

  it('refuses a truncated object: the final chunk missing, or cut inside a chunk', async () => {
    const object = await encryptWhole(text, aes, 100);
    const { preamble, chunks } = splitObject(object);
    const noFinal = Buffer.concat([preamble, ...chunks.slice(0, -1)]);
    expect(await refusal(decrypt(noFinal, ring))).toMatchObject({
      code: 'truncated',
      message: expect.stringMatching(/^obj-1: .*final chunk is missing/),
    });
    expect((await refusal(decrypt(object.subarray(0, object.length - 3), ring))).code).toBe('truncated');
    expect((await refusal(decrypt(object.subarray(0, 20), ring))).code).toBe('truncated');
  });

  it('refuses reordered chunks, naming the chunk', async () => {
    const { preamble, chunks } = splitObject(await encryptWhole(text, aes, 100));
    const swapped = Buffer.concat([preamble, chunks[1]!, chunks[0]!, ...chunks.slice(2)]);
    const err = await refusal(decrypt(swapped, ring));
    expect(err.code).toBe('chunk-tampered');
    expect(err.message).toMatch(/obj-1: chunk 0 failed authentication/);
  });

  it('refuses a chunk dropped from the middle, and a chunk spliced from another object', async () => {
    const { preamble, chunks } = splitObject(await encryptWhole(text, aes, 100));
    const dropped = Buffer.concat([preamble, chunks[0]!, ...chunks.slice(2)]);
    expect((await refusal(decrypt(dropped, ring))).code).toBe('chunk-tampered');
    const other = splitObject(await encryptWhole(text, aes, 100));
    const spliced = Buffer.concat([preamble, other.chunks[0]!, ...chunks.slice(1)]);
    expect((await refusal(decrypt(spliced, ring))).message).toMatch(/chunk 0 failed authentication/);
  });

  it('refuses a tampered chunk byte and a flipped final flag', async () => {
    const object = await encryptWhole(text, aes, 100);
    const { preamble, chunks } = splitObject(object);
    const bad = Buffer.from(object);
    bad[preamble.length + chunks[0]!.length + 10]! ^= 0x01;
    expect(await refusal(decrypt(bad, ring))).toMatchObject({
      code: 'chunk-tampered',
      message: expect.stringMatching(/chunk 1 failed/),
    });
    const early = Buffer.from(object);
    early[preamble.length]! |= 0x01;
    expect((await refusal(decrypt(early, ring))).code).toBe('chunk-tampered');
  });

  it('refuses a tampered header field even when the JSON stays valid', async () => {
    const object = await encryptWhole(text, aes, 100);
    const s = object.toString('latin1').replace('"firstOffset":1000', '"firstOffset":2000');
    const err = await refusal(decrypt(Buffer.from(s, 'latin1'), ring));
    expect(err).toMatchObject({
      code: 'header-tampered',
      message: expect.stringMatching(/^obj-1: header failed authentication/),
    });
    const garbled = Buffer.from(object);
    garbled[12]! ^= 0xff;
    expect((await refusal(decrypt(garbled, ring))).code).toBe('corrupt-header');
  });

  it('refuses bytes appended after the final chunk', async () => {
    const object = await encryptWhole(text, aes, 100);
    expect((await refusal(decrypt(Buffer.concat([object, Buffer.from('x')]), ring))).code).toBe('trailing-data');
  });

  it('tells a wrong key and an unknown key id apart, never printing the key', async () => {
    const object = await encryptWhole(text, aes, 100);
    const wrong = await refusal(decrypt(object, { keyring: new Map([['k1', k2.key]]) }));
    expect(wrong).toMatchObject({
      code: 'wrong-key',
      message: expect.stringMatching(/wrong key: the keyring's key "k1"/),
    });
    expect(wrong.message).not.toContain(k2.key.toString('base64'));
    const unknown = await refusal(decrypt(object, { keyring: new Map([['k2', k2.key]]) }));
    expect(unknown).toMatchObject({
      code: 'unknown-key-id',
      message: expect.stringMatching(/key id "k1", not in the keyring \(have: k2\)/),
    });
  });

  it('refuses what is not an archive', async () => {
    expect((await refusal(decrypt(Buffer.from('offset,txId\n1,a\n'), ring))).code).toBe('not-an-archive');
  });
});

describe('envelope objects', () => {
  it('round-trips for each of several recipients (RSA-OAEP-256 and ECDH-ES+A256KW), and refuses others', async () => {
    const rsa = await generateRecipientKeyPair('rsa', 'ops-rsa');
    const ec = await generateRecipientKeyPair('ec', 'ops-ec');
    const stranger = await generateRecipientKeyPair('ec', 'stranger');
    const object = await encryptWhole(text, { mode: 'envelope', recipients: [rsa.publicJwk, ec.publicJwk] }, 256);
    for (const holder of [rsa, ec]) {
      const { header, plaintext } = await decrypt(object, { privateKeys: [holder.privateJwk] });
      expect(plaintext.equals(text)).toBe(true);
      expect(header.recipients?.map((r) => [r.kid, r.alg])).toEqual([
        ['ops-rsa', 'RSA-OAEP-256'],
        ['ops-ec', 'ECDH-ES+A256KW'],
      ]);
    }
    const err = await refusal(decrypt(object, { privateKeys: [stranger.privateJwk] }));
    expect(err).toMatchObject({
      code: 'not-a-recipient',
      message: expect.stringMatching(/\(stranger\) opens.*ops-rsa, ops-ec/),
    });
    const sameKid = { ...stranger.privateJwk, kid: 'ops-ec' };
    expect((await refusal(decrypt(object, { privateKeys: [sameKid] }))).code).toBe('not-a-recipient');
    expect((await refusal(decrypt(object, ring))).code).toBe('not-a-recipient');
  });

  it('refuses a private key given as a recipient: the archiver gets public keys only', async () => {
    const ec = await generateRecipientKeyPair('ec', 'ops-ec');
    await expect(encryptWhole(text, { mode: 'envelope', recipients: [ec.privateJwk] }, 64)).rejects.toThrow(
      /is a private key/,
    );
  });
});

describe('chunk boundaries (property)', () => {
  it('any chunk size, write cuts and read cuts round-trip', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 0, maxLength: 3000 }),
        fc.integer({ min: 1, max: 600 }),
        fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 5 }),
        fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 5 }),
        async (bytes, chunkSize, writeCuts, readCuts) => {
          const plain = Buffer.from(bytes);
          const object = await encryptWhole(plain, aes, chunkSize, writeCuts);
          const { plaintext, trailer } = await decrypt(object, ring, readCuts);
          expect(plaintext.equals(plain)).toBe(true);
          expect(trailer.plaintextBytes).toBe(plain.length);
          const { chunks } = splitObject(object);
          expect(chunks.length).toBe(Math.ceil(plain.length / chunkSize) + 1);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('any flipped bit and any truncation is refused', async () => {
    const plain = randomBytes(1500);
    const object = await encryptWhole(plain, aes, 200);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: object.length - 1 }),
        fc.integer({ min: 0, max: 7 }),
        async (at, bit) => {
          const bad = Buffer.from(object);
          bad[at]! ^= 1 << bit;
          await expect(decrypt(bad, ring)).rejects.toBeInstanceOf(ArchiveFormatError);
          await expect(decrypt(object.subarray(0, at), ring)).rejects.toBeInstanceOf(ArchiveFormatError);
        },
      ),
      { numRuns: 300 },
    );
  });
});

import { createHmac, randomBytes } from 'node:crypto';
import { type ChunkKeys, sealChunk } from './chunk.ts';
import {
  type ArchiveHeader,
  type ArchiveSource,
  type ArchiveTrailer,
  DEFAULT_CHUNK_SIZE,
  encodePreamble,
  MAX_CHUNK_SIZE,
  NONCE_PREFIX_BYTES,
  SALT_BYTES,
} from './header.ts';
import {
  checkRecipient,
  checkSymmetricKey,
  deriveObjectKeys,
  KEY_BYTES,
  keyFingerprint,
  type RecipientKey,
  type SymmetricKey,
  wrapDataKey,
} from './keys.ts';

/** How the archiver encrypts: with a symmetric key from a Secret, or for recipients' public keys only. */
export type WriteKey =
  | { mode: 'aes-256-gcm'; key: SymmetricKey }
  | { mode: 'envelope'; recipients: readonly RecipientKey[] };

export interface EncryptOptions {
  source: ArchiveSource;
  columns: readonly string[];
  key: WriteKey;
  chunkSize?: number;
  now?: Date;
}

/**
 * Streams plaintext into the chunked format in bounded memory (at most one chunk of plaintext is held).
 * `open` returns the preamble (header + tag); `write` returns sealed chunks as they fill; `finish` seals the rest
 * and the final chunk, which carries the trailer.
 */
export class ObjectEncryptor {
  readonly header: ArchiveHeader;
  readonly preamble: Buffer;
  private readonly keys: ChunkKeys;
  private readonly chunkSize: number;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private counter = 0;
  private plaintextBytes = 0;
  private finished = false;

  private constructor(header: ArchiveHeader, preamble: Buffer, keys: ChunkKeys) {
    this.header = header;
    this.preamble = preamble;
    this.keys = keys;
    this.chunkSize = header.chunkSize;
  }

  static async open(options: EncryptOptions): Promise<ObjectEncryptor> {
    const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
    if (!Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE) {
      throw new Error(`chunkSize ${chunkSize} must be an integer in 1..${MAX_CHUNK_SIZE}`);
    }
    const salt = randomBytes(SALT_BYTES);
    const noncePrefix = randomBytes(NONCE_PREFIX_BYTES);
    let secret: Buffer;
    let keyFields: Pick<ArchiveHeader, 'keyId' | 'keyFingerprint' | 'recipients'>;
    if (options.key.mode === 'aes-256-gcm') {
      checkSymmetricKey(options.key.key);
      secret = options.key.key.key;
      keyFields = { keyId: options.key.key.keyId, keyFingerprint: keyFingerprint(secret) };
    } else {
      if (options.key.recipients.length === 0) throw new Error('envelope mode needs at least one recipient');
      const recipients = options.key.recipients.map(checkRecipient);
      secret = randomBytes(KEY_BYTES);
      keyFields = { recipients: await wrapDataKey(secret, recipients) };
    }
    const header: ArchiveHeader = {
      mode: options.key.mode,
      ...keyFields,
      ...options.source,
      salt: salt.toString('base64url'),
      noncePrefix: noncePrefix.toString('base64url'),
      chunkSize,
      columns: [...options.columns],
      createdAt: (options.now ?? new Date()).toISOString(),
    };
    const body = encodePreamble(header);
    const { chunkKey, headerKey } = deriveObjectKeys(secret, salt);
    const tag = createHmac('sha256', headerKey).update(body).digest();
    return new ObjectEncryptor(header, Buffer.concat([body, tag]), { chunkKey, noncePrefix, aad: tag });
  }

  /** Plaintext bytes written so far. */
  get bytesIn(): number {
    return this.plaintextBytes;
  }

  write(plaintext: Buffer): Buffer[] {
    if (this.finished) throw new Error('write after finish');
    this.plaintextBytes += plaintext.length;
    this.pending.push(plaintext);
    this.pendingBytes += plaintext.length;
    const sealed: Buffer[] = [];
    while (this.pendingBytes >= this.chunkSize) {
      const all = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
      let at = 0;
      while (all.length - at >= this.chunkSize) {
        sealed.push(sealChunk(this.keys, this.counter++, false, all.subarray(at, at + this.chunkSize)));
        at += this.chunkSize;
      }
      const rest = all.subarray(at);
      this.pending = rest.length > 0 ? [Buffer.from(rest)] : [];
      this.pendingBytes = rest.length;
    }
    return sealed;
  }

  finish(end: Omit<ArchiveTrailer, 'plaintextBytes'>): Buffer[] {
    if (this.finished) throw new Error('finish called twice');
    this.finished = true;
    const sealed: Buffer[] = [];
    if (this.pendingBytes > 0) {
      sealed.push(sealChunk(this.keys, this.counter++, false, Buffer.concat(this.pending, this.pendingBytes)));
      this.pending = [];
      this.pendingBytes = 0;
    }
    const trailer: ArchiveTrailer = { ...end, plaintextBytes: this.plaintextBytes };
    sealed.push(sealChunk(this.keys, this.counter++, true, Buffer.from(JSON.stringify(trailer), 'utf8')));
    return sealed;
  }
}

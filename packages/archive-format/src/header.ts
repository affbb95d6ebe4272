import { ArchiveFormatError } from './errors.ts';

/** "FRAR": fraud archive. */
export const MAGIC = Buffer.from('FRAR', 'ascii');
export const FORMAT_VERSION = 1;
export const MAX_HEADER_BYTES = 64 * 1024;
export const HEADER_TAG_BYTES = 32;
export const SALT_BYTES = 32;
export const NONCE_PREFIX_BYTES = 7;
export const MIN_CHUNK_SIZE = 1;
export const MAX_CHUNK_SIZE = 16 * 1024 * 1024;
/** The final chunk holds only the trailer, which may exceed a tiny chunk size. */
export const MAX_TRAILER_BYTES = 4096;
export const DEFAULT_CHUNK_SIZE = 256 * 1024;

export type ArchiveMode = 'aes-256-gcm' | 'envelope';

export interface WrappedKey {
  /** The recipient's key id (the `kid` of its public JWK). */
  kid: string;
  /** JWE key-management algorithm: RSA-OAEP-256 or ECDH-ES+A256KW. */
  alg: string;
  /** The object's data key, as a compact JWE (enc A256GCM) for this recipient. */
  jwe: string;
}

/** Which Kafka records and which event-time window the object holds. The range's end is in the trailer. */
export interface ArchiveSource {
  topic: string;
  partition: number;
  firstOffset: number;
  /** Window start and end, epoch ms UTC, end exclusive. */
  windowStart: number;
  windowEnd: number;
}

export interface ArchiveHeader extends ArchiveSource {
  mode: ArchiveMode;
  /** aes-256-gcm: the id of the key in the keyring, and a fingerprint that tells a wrong key from tampering. */
  keyId?: string;
  keyFingerprint?: string;
  /** envelope: the data key wrapped for each recipient. */
  recipients?: WrappedKey[];
  /** base64url, SALT_BYTES: the per-object HKDF salt. */
  salt: string;
  /** base64url, NONCE_PREFIX_BYTES: the per-object nonce prefix. */
  noncePrefix: string;
  /** Largest plaintext bytes in one chunk. */
  chunkSize: number;
  /** The CSV's column names, as in its first line. */
  columns: string[];
  createdAt: string;
}

/** Authenticated as the final chunk: where the range ends and how much the object holds. */
export interface ArchiveTrailer {
  lastOffset: number;
  records: number;
  plaintextBytes: number;
}

/** magic | version u8 | header length u32 BE | header JSON. The header tag follows it. */
export function encodePreamble(header: ArchiveHeader): Buffer {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  if (json.length > MAX_HEADER_BYTES) {
    throw new ArchiveFormatError('corrupt-header', `header is ${json.length} bytes, over ${MAX_HEADER_BYTES}`);
  }
  const fixed = Buffer.alloc(MAGIC.length + 5);
  MAGIC.copy(fixed, 0);
  fixed.writeUInt8(FORMAT_VERSION, MAGIC.length);
  fixed.writeUInt32BE(json.length, MAGIC.length + 1);
  return Buffer.concat([fixed, json]);
}

export const FIXED_PREAMBLE_BYTES = MAGIC.length + 5;

/** Reads the fixed part: checks magic and version, returns the header JSON's length. */
export function decodeFixedPreamble(fixed: Buffer, object: string): number {
  if (fixed.length < FIXED_PREAMBLE_BYTES || !fixed.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new ArchiveFormatError('not-an-archive', `${object}: not an archive object (no FRAR magic)`);
  }
  const version = fixed.readUInt8(MAGIC.length);
  if (version !== FORMAT_VERSION) {
    throw new ArchiveFormatError(
      'unsupported-version',
      `${object}: format version ${version}, expected ${FORMAT_VERSION}`,
    );
  }
  const length = fixed.readUInt32BE(MAGIC.length + 1);
  if (length === 0 || length > MAX_HEADER_BYTES) {
    throw new ArchiveFormatError('corrupt-header', `${object}: header length ${length} is out of range`);
  }
  return length;
}

export function parseHeader(json: Buffer, object: string): ArchiveHeader {
  let value: unknown;
  try {
    value = JSON.parse(json.toString('utf8'));
  } catch (cause) {
    throw new ArchiveFormatError('corrupt-header', `${object}: header is not valid JSON (tampered?)`, { cause });
  }
  const problem = headerProblem(value);
  if (problem) throw new ArchiveFormatError('corrupt-header', `${object}: header ${problem} (tampered?)`);
  return value as ArchiveHeader;
}

function headerProblem(v: unknown): string | undefined {
  if (typeof v !== 'object' || v === null) return 'is not an object';
  const h = v as Record<string, unknown>;
  if (h.mode !== 'aes-256-gcm' && h.mode !== 'envelope') return `has unknown mode ${String(h.mode)}`;
  for (const field of ['topic', 'salt', 'noncePrefix', 'createdAt'] as const) {
    if (typeof h[field] !== 'string') return `lacks ${field}`;
  }
  for (const field of ['partition', 'firstOffset', 'windowStart', 'windowEnd', 'chunkSize'] as const) {
    if (!Number.isSafeInteger(h[field])) return `lacks integer ${field}`;
  }
  const chunkSize = h.chunkSize as number;
  if (chunkSize < MIN_CHUNK_SIZE || chunkSize > MAX_CHUNK_SIZE) return `has chunkSize ${chunkSize} out of range`;
  if (Buffer.from(h.salt as string, 'base64url').length !== SALT_BYTES) return 'has a bad salt';
  if (Buffer.from(h.noncePrefix as string, 'base64url').length !== NONCE_PREFIX_BYTES) return 'has a bad noncePrefix';
  if (!Array.isArray(h.columns)) return 'lacks columns';
  if (h.mode === 'aes-256-gcm' && (typeof h.keyId !== 'string' || typeof h.keyFingerprint !== 'string')) {
    return 'lacks keyId or keyFingerprint';
  }
  if (h.mode === 'envelope') {
    if (!Array.isArray(h.recipients) || h.recipients.length === 0) return 'lacks recipients';
    for (const r of h.recipients as unknown[]) {
      const w = r as Record<string, unknown>;
      if (typeof w?.kid !== 'string' || typeof w.alg !== 'string' || typeof w.jwe !== 'string') {
        return 'has a malformed recipient';
      }
    }
  }
  return undefined;
}

export function parseTrailer(json: Buffer, object: string): ArchiveTrailer {
  let v: Record<string, unknown>;
  try {
    v = JSON.parse(json.toString('utf8')) as Record<string, unknown>;
  } catch (cause) {
    throw new ArchiveFormatError('corrupt-header', `${object}: trailer is not valid JSON`, { cause });
  }
  for (const field of ['lastOffset', 'records', 'plaintextBytes'] as const) {
    if (!Number.isSafeInteger(v[field])) {
      throw new ArchiveFormatError('corrupt-header', `${object}: trailer lacks integer ${field}`);
    }
  }
  return v as unknown as ArchiveTrailer;
}

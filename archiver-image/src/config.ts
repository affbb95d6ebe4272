import type { RecipientKey, SymmetricKey, WriteKey } from '@fraud-operator/archive-format';
import { checkRecipient, parseSymmetricKey } from '@fraud-operator/archive-format';
import { parseDuration, parseSize } from './units.ts';

export const MAX_WINDOW_MS = 7 * 86_400_000;
export const MIN_PART_BYTES = 5 * 1024 * 1024;
export const MAX_OBJECT_BYTES = 4 * 1024 ** 4;

export interface ArchiverConfig {
  kafka: {
    brokers: string[];
    topic: string;
    groupId: string;
    clientId: string;
    fromBeginning: boolean;
    sessionTimeoutMs: number;
  };
  s3: {
    endpoint?: string;
    region: string;
    bucket: string;
    prefix: string;
    credentials?: { accessKeyId: string; secretAccessKey: string };
  };
  /** Holds key material: never log it; log `describeConfig` instead. */
  key: WriteKey;
  windowMs: number;
  objectMaxBytes: number;
  objectMaxAgeMs: number;
  chunkSize: number;
  minPartBytes: number;
  http: { host: string; port: number };
  logLevel: string;
}

type Env = Record<string, string | undefined>;

/** Reads and checks the config; throws one error listing every problem, naming the variables. */
export function parseConfig(env: Env, readFile: (path: string) => string): ArchiverConfig {
  const problems: string[] = [];
  const need = (name: string): string => {
    const v = env[name]?.trim();
    if (!v) problems.push(`${name} is required`);
    return v ?? '';
  };
  const attempt = <T>(fn: () => T, fallback: T): T => {
    try {
      return fn();
    } catch (err) {
      problems.push((err as Error).message);
      return fallback;
    }
  };
  const brokers = need('KAFKA_BROKERS')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  const bucket = need('S3_BUCKET');
  const windowMs = attempt(() => parseDuration(env.ARCHIVE_WINDOW ?? '1d', 'ARCHIVE_WINDOW'), 86_400_000);
  if (windowMs <= 0 || windowMs > MAX_WINDOW_MS) problems.push(`ARCHIVE_WINDOW must be >0 and at most 7d`);
  const objectMaxBytes = attempt(
    () => parseSize(env.ARCHIVE_OBJECT_MAX_BYTES ?? '256MiB', 'ARCHIVE_OBJECT_MAX_BYTES'),
    0,
  );
  if (objectMaxBytes < 1 || objectMaxBytes > MAX_OBJECT_BYTES) {
    problems.push('ARCHIVE_OBJECT_MAX_BYTES must be 1 byte .. 4TiB (S3 objects stop at 5 TiB)');
  }
  const objectMaxAgeMs = attempt(() => parseDuration(env.ARCHIVE_OBJECT_MAX_AGE ?? '15m', 'ARCHIVE_OBJECT_MAX_AGE'), 0);
  if (objectMaxAgeMs < 1000) problems.push('ARCHIVE_OBJECT_MAX_AGE must be at least 1s');
  const chunkSize = attempt(() => parseSize(env.ARCHIVE_CHUNK_SIZE ?? '256KiB', 'ARCHIVE_CHUNK_SIZE'), 0);
  if (chunkSize < 1024 || chunkSize > 16 * 1024 * 1024) problems.push('ARCHIVE_CHUNK_SIZE must be 1KiB..16MiB');
  const minPartBytes = attempt(() => parseSize(env.S3_PART_SIZE ?? '8MiB', 'S3_PART_SIZE'), 0);
  if (minPartBytes < MIN_PART_BYTES) problems.push('S3_PART_SIZE must be at least 5MiB (the S3 minimum)');
  const sessionTimeoutMs = attempt(
    () => parseDuration(env.KAFKA_SESSION_TIMEOUT ?? '30s', 'KAFKA_SESSION_TIMEOUT'),
    30_000,
  );
  if (sessionTimeoutMs < 6000 || sessionTimeoutMs > 300_000) problems.push('KAFKA_SESSION_TIMEOUT must be 6s..300s');
  const port = Number(env.HTTP_PORT ?? '8080');
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push(`HTTP_PORT="${env.HTTP_PORT}" is not a port`);
  const key = attempt(() => writeKey(env, readFile), undefined);
  const accessKeyId = env.S3_ACCESS_KEY_ID?.trim();
  const secretAccessKey = env.S3_SECRET_ACCESS_KEY?.trim();
  if (Boolean(accessKeyId) !== Boolean(secretAccessKey)) {
    problems.push('S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together');
  }
  if (problems.length > 0 || !key) throw new Error(`bad archiver config:\n  - ${problems.join('\n  - ')}`);
  return {
    kafka: {
      brokers,
      topic: env.ARCHIVE_TOPIC?.trim() || 'transactions',
      groupId: env.ARCHIVE_GROUP_ID?.trim() || 'fraud-archiver',
      clientId: env.KAFKA_CLIENT_ID?.trim() || 'fraud-archiver',
      fromBeginning: (env.ARCHIVE_FROM_BEGINNING ?? 'true') === 'true',
      sessionTimeoutMs,
    },
    s3: {
      ...(env.S3_ENDPOINT?.trim() ? { endpoint: env.S3_ENDPOINT.trim() } : {}),
      region: env.S3_REGION?.trim() || 'us-east-1',
      bucket,
      prefix: env.ARCHIVE_PREFIX ?? 'archive',
      ...(accessKeyId && secretAccessKey ? { credentials: { accessKeyId, secretAccessKey } } : {}),
    },
    key,
    windowMs,
    objectMaxBytes,
    objectMaxAgeMs,
    chunkSize,
    minPartBytes,
    http: { host: env.HTTP_HOST?.trim() || '0.0.0.0', port },
    logLevel: env.LOG_LEVEL?.trim() || 'info',
  };
}

function writeKey(env: Env, readFile: (path: string) => string): WriteKey {
  const mode = env.ARCHIVE_MODE?.trim() || 'aes-256-gcm';
  if (mode === 'aes-256-gcm') return { mode, key: symmetricKey(env, readFile) };
  if (mode === 'envelope') return { mode, recipients: recipients(env, readFile) };
  throw new Error(`ARCHIVE_MODE="${mode}" must be aes-256-gcm or envelope`);
}

function symmetricKey(env: Env, readFile: (path: string) => string): SymmetricKey {
  const file = env.ARCHIVE_KEY_FILE?.trim();
  const text = file ? readFile(file) : env.ARCHIVE_KEY;
  if (!text) throw new Error('aes-256-gcm needs ARCHIVE_KEY_FILE (a Secret mounted as a file) or ARCHIVE_KEY');
  try {
    return parseSymmetricKey(text.trim());
  } catch (err) {
    throw new Error(`${file ? `ARCHIVE_KEY_FILE ${file}` : 'ARCHIVE_KEY'}: ${(err as Error).message}`);
  }
}

/** ARCHIVE_RECIPIENTS_FILE: a JWKS (`{"keys": [...]}`) or an array of public JWKs, each with a kid. */
function recipients(env: Env, readFile: (path: string) => string): RecipientKey[] {
  const file = env.ARCHIVE_RECIPIENTS_FILE?.trim();
  if (!file) throw new Error('envelope needs ARCHIVE_RECIPIENTS_FILE (public JWKs of the readers)');
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFile(file));
  } catch (err) {
    throw new Error(`ARCHIVE_RECIPIENTS_FILE ${file}: ${(err as Error).message}`);
  }
  const list = Array.isArray(parsed) ? parsed : (parsed as { keys?: unknown })?.keys;
  if (!Array.isArray(list) || list.length === 0) throw new Error(`ARCHIVE_RECIPIENTS_FILE ${file}: holds no keys`);
  return list.map((jwk) => checkRecipient(jwk));
}

/** What may be logged about the config: everything but key material. */
export function describeConfig(c: ArchiverConfig): Record<string, unknown> {
  const keyInfo =
    c.key.mode === 'aes-256-gcm' ? { keyId: c.key.key.keyId } : { recipients: c.key.recipients.map((r) => r.kid) };
  return {
    topic: c.kafka.topic,
    groupId: c.kafka.groupId,
    bucket: c.s3.bucket,
    prefix: c.s3.prefix,
    mode: c.key.mode,
    ...keyInfo,
    windowMs: c.windowMs,
    objectMaxBytes: c.objectMaxBytes,
    objectMaxAgeMs: c.objectMaxAgeMs,
  };
}

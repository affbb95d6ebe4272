/**
 * Where an object lives: `<prefix><topic>/partition=<p>/window=<start>/offset=<first, 20 digits>.csv.frar`.
 * The key holds the first offset and not the last, so a re-run after a crash, which restarts at the committed
 * offset (always an object's first offset), rewrites the same key whatever its cut point turns out to be.
 */
export interface ObjectKeyParts {
  topic: string;
  partition: number;
  /** Window start, epoch ms UTC. */
  windowStart: number;
  firstOffset: number;
}

const SUFFIX = '.csv.frar';
const KEY_PATTERN = /^(.*?)([^/]+)\/partition=(\d+)\/window=(\d{8}T\d{6}Z)\/offset=(\d{20})\.csv\.frar$/;

export function compactIso(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
}

function fromCompactIso(s: string): number {
  const iso = `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}Z`;
  return Date.parse(iso);
}

/** Normalises a key prefix: empty, or ending in one slash. */
export function normalizePrefix(prefix: string): string {
  const trimmed = prefix.replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? '' : `${trimmed}/`;
}

export function objectKey(prefix: string, parts: ObjectKeyParts): string {
  if (parts.topic.includes('/')) throw new Error(`topic "${parts.topic}" must not contain a slash`);
  const partition = String(parts.partition).padStart(4, '0');
  const offset = String(parts.firstOffset).padStart(20, '0');
  return `${normalizePrefix(prefix)}${parts.topic}/partition=${partition}/window=${compactIso(parts.windowStart)}/offset=${offset}${SUFFIX}`;
}

/** The key's parts, or undefined for a key that is not an archive object. */
export function parseObjectKey(key: string): (ObjectKeyParts & { prefix: string }) | undefined {
  const m = KEY_PATTERN.exec(key);
  if (!m || !Number.isSafeInteger(Number(m[5]))) return undefined;
  return {
    prefix: m[1]!,
    topic: m[2]!,
    partition: Number(m[3]),
    windowStart: fromCompactIso(m[4]!),
    firstOffset: Number(m[5]),
  };
}

/** The listing prefix for one topic. */
export function topicPrefix(prefix: string, topic: string): string {
  return `${normalizePrefix(prefix)}${topic}/`;
}

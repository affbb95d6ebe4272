import { StringDecoder } from 'node:string_decoder';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { continuityProblems, describeProblem, RowOffsetChecker, type VerifiedObject } from './continuity.ts';
import { CSV_HEADER_LINE, LineSplitter } from './csv.ts';
import { decryptObject } from './decrypt.ts';
import { ArchiveFormatError } from './errors.ts';
import type { ArchiveHeader } from './header.ts';
import type { ReadKeys } from './keys.ts';
import { type ObjectKeyParts, parseObjectKey, topicPrefix } from './object-key.ts';

export interface ArchiveLocation {
  s3: S3Client;
  bucket: string;
  prefix: string;
  topic: string;
}

/** Windows whose start lies in [from, to), epoch ms. */
export interface TimeRange {
  from?: number;
  to?: number;
}

export type ListedObject = ObjectKeyParts & { key: string; size: number };

/** Every archive object of the topic whose window starts in the range, by partition then first offset. */
export async function listArchiveObjects(loc: ArchiveLocation, range: TimeRange = {}): Promise<ListedObject[]> {
  const found: ListedObject[] = [];
  let ContinuationToken: string | undefined;
  do {
    const page = await loc.s3.send(
      new ListObjectsV2Command({ Bucket: loc.bucket, Prefix: topicPrefix(loc.prefix, loc.topic), ContinuationToken }),
    );
    for (const item of page.Contents ?? []) {
      const parts = item.Key ? parseObjectKey(item.Key) : undefined;
      if (!parts || parts.topic !== loc.topic) continue;
      if (range.from !== undefined && parts.windowStart < range.from) continue;
      if (range.to !== undefined && parts.windowStart >= range.to) continue;
      found.push({ ...parts, key: item.Key!, size: item.Size ?? 0 });
    }
    ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (ContinuationToken);
  return found.sort((a, b) => a.partition - b.partition || a.firstOffset - b.firstOffset);
}

async function* objectBody(loc: ArchiveLocation, key: string): AsyncGenerator<Uint8Array> {
  const got = await loc.s3.send(new GetObjectCommand({ Bucket: loc.bucket, Key: key }));
  if (!got.Body) throw new Error(`${key}: S3 returned no body`);
  yield* got.Body as AsyncIterable<Uint8Array>;
}

/** The header must say what the key says: an object copied or renamed to another key is refused. */
function keyMismatch(key: string, parts: ObjectKeyParts, header: ArchiveHeader): string | undefined {
  for (const field of ['topic', 'partition', 'firstOffset', 'windowStart'] as const) {
    if (header[field] !== parts[field])
      return `${key}: the key says ${field}=${parts[field]}, the header says ${header[field]}`;
  }
  return undefined;
}

export interface VerifyReport {
  objects: number;
  records: number;
  /** Offset ranges per partition that the range covers. */
  partitions: { partition: number; firstOffset: number; lastOffset: number; objects: number }[];
  /** Every problem, each naming the object(s); empty when the archive is sound. */
  problems: string[];
}

/** Authenticates every object in the range, checks each row's offset, and that objects tile the offsets. */
export async function verifyArchive(
  loc: ArchiveLocation,
  keys: ReadKeys,
  range: TimeRange = {},
): Promise<VerifyReport> {
  const listed = await listArchiveObjects(loc, range);
  const good: VerifiedObject[] = [];
  const problems: string[] = [];
  for (const item of listed) {
    try {
      const checked = await verifyObject(loc, item, keys);
      if (checked.problem) problems.push(checked.problem);
      else good.push(checked.object);
    } catch (err) {
      problems.push(err instanceof ArchiveFormatError ? err.message : `${item.key}: ${(err as Error).message}`);
    }
  }
  problems.push(...continuityProblems(good).map(describeProblem));
  const partitions = new Map<number, { partition: number; firstOffset: number; lastOffset: number; objects: number }>();
  for (const o of good) {
    const p = partitions.get(o.partition) ?? {
      partition: o.partition,
      firstOffset: o.firstOffset,
      lastOffset: o.lastOffset,
      objects: 0,
    };
    p.firstOffset = Math.min(p.firstOffset, o.firstOffset);
    p.lastOffset = Math.max(p.lastOffset, o.lastOffset);
    p.objects++;
    partitions.set(o.partition, p);
  }
  return {
    objects: listed.length,
    records: good.reduce((n, o) => n + o.records, 0),
    partitions: [...partitions.values()].sort((a, b) => a.partition - b.partition),
    problems,
  };
}

async function verifyObject(
  loc: ArchiveLocation,
  item: ListedObject,
  keys: ReadKeys,
): Promise<{ object: VerifiedObject; problem?: string }> {
  const rows = new RowOffsetChecker(item.key, item.firstOffset);
  const lines = new LineSplitter();
  const text = new StringDecoder('utf8');
  let sawHeaderLine = false;
  let problem: string | undefined;
  const onLine = (line: string) => {
    if (!sawHeaderLine) {
      sawHeaderLine = true;
      if (`${line}\n` !== CSV_HEADER_LINE) problem ??= `${item.key}: CSV header line is "${line}"`;
      return;
    }
    rows.row(Number(line.slice(0, line.indexOf(','))));
  };
  for await (const e of decryptObject(objectBody(loc, item.key), keys, item.key)) {
    if (e.kind === 'header') problem ??= keyMismatch(item.key, item, e.header);
    else if (e.kind === 'data') for (const line of lines.push(text.write(e.bytes))) onLine(line);
    else {
      for (const line of lines.push(text.end())) onLine(line);
      if (lines.rest() !== '') problem ??= `${item.key}: the CSV does not end with a newline`;
      problem ??= rows.end(e.trailer.lastOffset, e.trailer.records);
      const object = {
        key: item.key,
        partition: item.partition,
        firstOffset: item.firstOffset,
        lastOffset: e.trailer.lastOffset,
        records: e.trailer.records,
      };
      return problem ? { object, problem } : { object };
    }
  }
  throw new ArchiveFormatError('truncated', `${item.key}: ended early`);
}

/**
 * Writes the CSV of the objects in the range, one header line then every row, in partition and offset order.
 * Throws at the first object that does not authenticate, naming it; rows already written came from authenticated
 * chunks, so a caller writing to a file should write to a temporary name and rename it on success.
 */
export async function decryptArchive(
  loc: ArchiveLocation,
  keys: ReadKeys,
  range: TimeRange,
  write: (text: string) => Promise<void> | void,
  onlyKey?: string,
): Promise<{ objects: number; records: number }> {
  const listed = onlyKey
    ? (await listArchiveObjects(loc)).filter((o) => o.key === onlyKey)
    : await listArchiveObjects(loc, range);
  if (onlyKey && listed.length === 0) throw new Error(`${onlyKey}: no such archive object for topic ${loc.topic}`);
  let records = 0;
  for (const [i, item] of listed.entries()) {
    const text = new StringDecoder('utf8');
    let skip = i === 0 ? 0 : CSV_HEADER_LINE.length;
    for await (const e of decryptObject(objectBody(loc, item.key), keys, item.key)) {
      if (e.kind === 'header') {
        const bad = keyMismatch(item.key, item, e.header);
        if (bad) throw new ArchiveFormatError('header-tampered', bad);
      } else if (e.kind === 'data') {
        let chunk = text.write(e.bytes);
        if (skip > 0) {
          const cut = Math.min(skip, chunk.length);
          chunk = chunk.slice(cut);
          skip -= cut;
        }
        if (chunk) await write(chunk);
      } else {
        records += e.trailer.records;
      }
    }
  }
  return { objects: listed.length, records };
}

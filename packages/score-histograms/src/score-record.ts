import { fnv1a } from '@fraud-operator/transactions/fnv1a';
import { binOf } from './bins.ts';

/** Event time is bucketed by the hour: a histogram hash and a score log per version and hour. */
export const HOUR_MS = 3_600_000;
export const hourOf = (ts: number): number => Math.floor(ts / HOUR_MS);

/** Bytes of one score-log record: an 8-byte transaction id hash, then (bin << 1 | at-or-above-threshold) in 2. */
export const RECORD_BYTES = 10;

/** 64 bits of the transaction id (two FNV-1a hashes with different bases): what the score log is searched by. */
export function txHash(txId: string): Buffer {
  const out = Buffer.allocUnsafe(8);
  out.writeUInt32BE(fnv1a(txId, 0x811c9dc5), 0);
  out.writeUInt32BE(fnv1a(txId, 0x050c5d1f), 4);
  return out;
}

export function scoreRecord(txId: string, score: number, threshold: number): Buffer {
  const out = Buffer.allocUnsafe(RECORD_BYTES);
  txHash(txId).copy(out, 0);
  out.writeUInt16BE((binOf(score) << 1) | (score >= threshold ? 1 : 0), 8);
  return out;
}

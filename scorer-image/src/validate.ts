import type { LabelMessage, TransactionMessage } from '@fraud-operator/transactions/wire';

export type Validation = { ok: true; tx: TransactionMessage } | { ok: false; reason: string };

/** Event times outside this range are absurd for card payments (2000-01-01 .. 2100-01-01). */
const MIN_TS = 946_684_800_000;
const MAX_TS = 4_102_444_800_000;
const MAX_AMOUNT = 1_000_000_000;
const MAX_ID_LENGTH = 256;

function idReason(value: unknown, field: string): string | null {
  if (typeof value !== 'string') return `${field} must be a string, got ${typeof value}`;
  if (value.length === 0 || value.length > MAX_ID_LENGTH)
    return `${field} length ${value.length} outside 1..${MAX_ID_LENGTH}`;
  // The feature state separates terminal ids with NUL (packages/features/src/redis-state.ts).
  if (value.includes('\0')) return `${field} contains NUL`;
  return null;
}

/** The JSON object in a message value with its three ids checked, or why not. */
function parseWithIds(
  raw: Uint8Array | null,
): { ok: true; m: Record<string, unknown> } | { ok: false; reason: string } {
  if (raw === null) return { ok: false, reason: 'empty message value' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
  } catch (err) {
    return { ok: false, reason: `bad JSON: ${(err as Error).message}` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { ok: false, reason: 'value is not a JSON object' };
  }
  const m = parsed as Record<string, unknown>;
  for (const field of ['txId', 'customerId', 'terminalId'] as const) {
    const reason = idReason(m[field], field);
    if (reason !== null) return { ok: false, reason };
  }
  return { ok: true, m };
}

/** Decides whether raw bytes from `transactions` are a scoreable transaction; never throws. */
export function validateTransaction(raw: Uint8Array | null): Validation {
  const parsed = parseWithIds(raw);
  if (!parsed.ok) return parsed;
  const m = parsed.m;
  if (typeof m.ts !== 'number' || !Number.isInteger(m.ts))
    return { ok: false, reason: 'ts must be an integer (epoch ms)' };
  if (m.ts < MIN_TS || m.ts > MAX_TS) return { ok: false, reason: `ts ${m.ts} outside ${MIN_TS}..${MAX_TS}` };
  if (typeof m.amount !== 'number' || !Number.isFinite(m.amount))
    return { ok: false, reason: 'amount must be a finite number' };
  if (m.amount < 0 || m.amount > MAX_AMOUNT)
    return { ok: false, reason: `amount ${m.amount} outside 0..${MAX_AMOUNT}` };
  return {
    ok: true,
    tx: {
      txId: m.txId as string,
      ts: m.ts,
      customerId: m.customerId as string,
      terminalId: m.terminalId as string,
      amount: m.amount,
    },
  };
}

export type LabelValidation = { ok: true; label: LabelMessage } | { ok: false; reason: string };

/**
 * Decides whether raw bytes from `labels` are a usable label (ids, the transaction's event time, when the label
 * became known, fraud or not: no amount); never throws. A bad one is skipped and counted.
 */
export function validateLabel(raw: Uint8Array | null): LabelValidation {
  const parsed = parseWithIds(raw);
  if (!parsed.ok) return parsed;
  const m = parsed.m;
  if (typeof m.fraud !== 'boolean') return { ok: false, reason: 'fraud must be a boolean' };
  for (const field of ['txTs', 'ts'] as const) {
    const v = m[field];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < MIN_TS || v > MAX_TS)
      return { ok: false, reason: `${field} must be an integer epoch ms in ${MIN_TS}..${MAX_TS}` };
  }
  if ((m.ts as number) < (m.txTs as number)) return { ok: false, reason: 'ts (known at) is before txTs' };
  return {
    ok: true,
    label: {
      txId: m.txId as string,
      customerId: m.customerId as string,
      terminalId: m.terminalId as string,
      txTs: m.txTs as number,
      ts: m.ts as number,
      fraud: m.fraud,
    },
  };
}

// Accepting a transaction exactly once per client-chosen txId: a lease in Redis (`SET txreq:{txId} NX`) decides which
// request publishes; retries get the same 202 without a second Kafka message, even when they race each other.
import { createHash } from 'node:crypto';
import type { TransactionMessage } from '@fraud-operator/transactions/wire';
import type { Redis } from 'ioredis';
import { ApiError } from './problem.ts';
import type { TransactionBody } from './schemas.ts';

export const requestKey = (txId: string): string => `txreq:${txId}`;

export interface RequestRecord {
  /** Fingerprint of what the client sent: a retry must send the same. */
  fp: string;
  state: 'pending' | 'accepted';
  ts: number;
}

export interface Submitted {
  txId: string;
  ts: number;
  replayed: boolean;
}

/** The fingerprint ignores key order: the same transaction sent twice matches. */
export function fingerprint(body: TransactionBody): string {
  const canonical = JSON.stringify([body.txId, body.customerId, body.terminalId, body.amount, body.ts ?? null]);
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 22);
}

export type ReplayDecision = { kind: 'replay'; ts: number } | { kind: 'conflict' } | { kind: 'in-progress' };

/** What to answer when another request already holds this txId. Pure. */
export function decideReplay(existing: RequestRecord, fp: string): ReplayDecision {
  if (existing.fp !== fp) return { kind: 'conflict' };
  if (existing.state === 'pending') return { kind: 'in-progress' };
  return { kind: 'replay', ts: existing.ts };
}

export function parseRecord(json: string): RequestRecord {
  const r = JSON.parse(json) as RequestRecord;
  if (typeof r?.fp !== 'string' || (r.state !== 'pending' && r.state !== 'accepted') || typeof r.ts !== 'number') {
    throw new Error(`malformed idempotency record: ${json.slice(0, 80)}`);
  }
  return r;
}

export interface SubmissionDeps {
  redis: Redis;
  publish(message: TransactionMessage): Promise<void>;
  ttlSeconds: number;
  leaseSeconds: number;
  now?: () => number;
}

export interface Submitter {
  submit(body: TransactionBody): Promise<Submitted>;
}

export function createSubmitter(deps: SubmissionDeps): Submitter {
  const now = deps.now ?? Date.now;
  // Retries racing into this same replica share one attempt instead of being told to come back.
  const inFlight = new Map<string, Promise<Submitted>>();

  const attempt = async (body: TransactionBody, fp: string): Promise<Submitted> => {
    const key = requestKey(body.txId);
    for (let tries = 0; tries < 2; tries++) {
      const ts = body.ts ?? now();
      const pending: RequestRecord = { fp, state: 'pending', ts };
      const won = await deps.redis.set(key, JSON.stringify(pending), 'EX', deps.leaseSeconds, 'NX');
      if (won === 'OK') {
        try {
          await deps.publish({
            txId: body.txId,
            ts,
            customerId: body.customerId,
            terminalId: body.terminalId,
            amount: body.amount,
          });
        } catch (err) {
          // Not published: free the id so the client's retry can try again.
          await deps.redis.del(key).catch(() => {});
          throw err;
        }
        const accepted: RequestRecord = { fp, state: 'accepted', ts };
        await deps.redis.set(key, JSON.stringify(accepted), 'EX', deps.ttlSeconds);
        return { txId: body.txId, ts, replayed: false };
      }
      const existing = await deps.redis.get(key);
      if (existing === null) continue; // The holder's lease ran out between our SET and GET: try to take it.
      const decision = decideReplay(parseRecord(existing), fp);
      if (decision.kind === 'replay') return { txId: body.txId, ts: decision.ts, replayed: true };
      if (decision.kind === 'conflict') {
        throw new ApiError(422, 'txid-reused', `txId ${body.txId} was already used for a different transaction`);
      }
      throw new ApiError(409, 'in-progress', `txId ${body.txId} is being accepted by another request; retry`, {
        retriable: true,
        headers: { 'retry-after': '1' },
      });
    }
    throw new ApiError(409, 'in-progress', `txId ${body.txId} is contended; retry`, {
      retriable: true,
      headers: { 'retry-after': '1' },
    });
  };

  return {
    async submit(body) {
      const fp = fingerprint(body);
      const key = `${body.txId}\u0000${fp}`;
      const running = inFlight.get(key);
      if (running) return { ...(await running), replayed: true };
      const p = attempt(body, fp).finally(() => inFlight.delete(key));
      inFlight.set(key, p);
      return p;
    },
  };
}

import { randomUUID } from 'node:crypto';
import { openConsumer } from '@fraud-operator/kafka/consumer';
import { parseScoreRecord } from './paired-join.ts';

export interface FrontierProbeOptions {
  brokers: string[];
  /** The group is `<clientId>.<uuid>`, used once. */
  clientId: string;
  topic: string;
  /** How far back (wall clock) the stream's records are read: the fleet's latest scores are among them. */
  lookbackMs?: number;
  timeoutMs?: number;
}

/**
 * Where a fleet has got to: the greatest event time among its score stream's records of the last `lookbackMs`, or
 * null when there are none (no traffic); what was read by `timeoutMs` otherwise. The gate reads the stable fleet's
 * before the shadow starts, so that the first schedule the stable fleet gets already carries coverage.
 */
export async function probeFrontier(options: FrontierProbeOptions): Promise<number | null> {
  let frontier: number | null = null;
  const consumer = await openConsumer({
    brokers: options.brokers,
    clientId: options.clientId,
    groupId: `${options.clientId}.${randomUUID()}`,
    topics: [options.topic],
    startAt: { [options.topic]: Date.now() - (options.lookbackMs ?? 30_000) },
    catchUp: [options.topic],
    maxWaitTimeInMs: 100,
    async onBatch(batch) {
      for (const m of batch.messages) {
        const record = parseScoreRecord(m.value);
        if (typeof record !== 'string' && (frontier === null || record.ts > frontier)) frontier = record.ts;
      }
    },
  });
  try {
    // A partial read (timed out) still gives a frontier the fleet has reached: coverage from it is only shorter.
    await consumer.caughtUp(options.timeoutMs ?? 5_000);
    return frontier;
  } finally {
    await consumer.close();
  }
}

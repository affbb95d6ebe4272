import type { AddressInfo } from 'node:net';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import type { Logger } from 'pino';
import { type ArchiverConfig, describeConfig } from './config.ts';
import { createProbeServer, listen } from './http.ts';
import { KafkaSource } from './kafka-source.ts';
import { createMetrics } from './metrics.ts';
import { type ObjectSink, OpenObject } from './open-object.ts';
import { PartitionArchiver } from './partition-archiver.ts';
import { retry } from './retry.ts';

export interface Archiver {
  /** Joins the group and starts archiving; resolves once the probe server listens. */
  start(): Promise<AddressInfo>;
  /** Graceful: stop fetching, complete every open object, commit, leave the group. */
  close(): Promise<void>;
  readonly metrics: ReturnType<typeof createMetrics>;
}

export interface ArchiverDeps {
  log: Logger;
  /** Called when the archiver cannot go on (the process should exit non-zero and be restarted). */
  onFatal?: (err: unknown) => void;
  now?: () => number;
}

/** Builds the archiver; nothing happens until `start`. */
export function buildArchiver(config: ArchiverConfig, deps: ArchiverDeps): Archiver {
  const { log } = deps;
  const now = deps.now ?? Date.now;
  const metrics = createMetrics();
  const s3 = new S3Client({
    region: config.s3.region,
    forcePathStyle: true,
    // Retries are ours (backoff, heartbeat, metrics); a hung connection must fail rather than stall the partition.
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 60_000 },
    ...(config.s3.endpoint ? { endpoint: config.s3.endpoint } : {}),
    ...(config.s3.credentials ? { credentials: config.s3.credentials } : {}),
  });
  const source = new KafkaSource({ ...config.kafka, log });
  const partitions = new Map<number, PartitionArchiver>();
  let owned = new Set<number>();
  let generation = 0;
  let stopping = false;
  let closed: Promise<void> | undefined;
  let ticker: NodeJS.Timeout | undefined;
  /** Set 20 s into a shutdown: S3 retries then give up, the open objects stay uncommitted, Kafka keeps them. */
  let shutdownGaveUp = false;
  const server = createProbeServer({
    live: () => true,
    ready: () => source.isJoined && !stopping,
    registry: metrics.registry,
  });

  const sink: ObjectSink = {
    client: s3,
    bucket: config.s3.bucket,
    prefix: config.s3.prefix,
    key: config.key,
    chunkSize: config.chunkSize,
    minPartBytes: config.minPartBytes,
    stopped: () => stopping && shutdownGaveUp,
    onRetry: async (what, attempt, delayMs, err) => {
      metrics.s3Retries.inc();
      log.warn({ what, attempt, delayMs, err: errorSummary(err) }, 's3 call failed: backing off');
      await source.heartbeat();
    },
  };
  const fatal = (err: unknown) => {
    log.error({ err: errorSummary(err) }, 'archiver cannot continue');
    deps.onFatal?.(err);
  };

  const partition = (p: number): PartitionArchiver => {
    let archiver = partitions.get(p);
    if (!archiver) {
      archiver = new PartitionArchiver({
        topic: config.kafka.topic,
        partition: p,
        windowMs: config.windowMs,
        objectMaxBytes: config.objectMaxBytes,
        objectMaxAgeMs: config.objectMaxAgeMs,
        now,
        openObject: (start) => OpenObject.open(sink, start, now()),
        commit: (nextOffset) => source.commit(p, nextOffset),
        owned: () => owned.has(p),
        generation: () => generation,
        fatal,
        log: log.child({ partition: p }),
        metrics,
      });
      partitions.set(p, archiver);
    }
    return archiver;
  };

  const openBytes = () => {
    let total = 0;
    for (const p of partitions.values()) total += p.openObjectBytes;
    metrics.openBytes.set(total);
  };

  return {
    metrics,
    async start() {
      await checkBucket(s3, config.s3.bucket);
      const address = await listen(server, config.http.host, config.http.port);
      log.info({ config: describeConfig(config), port: address.port }, 'archiver starting');
      await source.start({
        onBatch: async (p, records, stillOwned) => {
          if (stopping || !stillOwned()) return false;
          const archiver = partition(p);
          await archiver.run(() => archiver.append(records));
          openBytes();
          return true;
        },
        onAssignment: async (assigned) => {
          owned = new Set(assigned);
          generation++;
          log.info({ partitions: assigned }, 'partitions assigned');
          for (const [p, archiver] of partitions) {
            // Reassigned or not, kafkajs resumes from the committed offset: open objects start over.
            await archiver.run(() => archiver.discard());
            if (!owned.has(p)) partitions.delete(p);
          }
        },
        onFatal: fatal,
      });
      const ticking = new Set<PartitionArchiver>();
      ticker = setInterval(() => {
        for (const archiver of partitions.values()) {
          // One pending tick per partition: a long S3 outage must not pile them up.
          if (ticking.has(archiver)) continue;
          ticking.add(archiver);
          archiver
            .run(() => archiver.completeIfDue())
            .catch((err) => log.warn({ err: errorSummary(err) }, 'timed completion failed'))
            .finally(() => ticking.delete(archiver));
        }
        openBytes();
      }, 1000);
      ticker.unref();
      return address;
    },
    close() {
      closed ??= (async () => {
        stopping = true;
        if (ticker) clearInterval(ticker);
        log.info('archiver stopping: completing open objects');
        source.pause();
        const giveUp = setTimeout(() => {
          shutdownGaveUp = true;
        }, 20_000);
        for (const archiver of partitions.values()) {
          await archiver
            .run(() => archiver.flush('shutdown'))
            .catch((err) => log.warn({ err: errorSummary(err) }, 'flush at shutdown failed'));
        }
        clearTimeout(giveUp);
        await source.close().catch((err) => log.warn({ err: errorSummary(err) }, 'kafka disconnect failed'));
        s3.destroy();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        log.info('archiver stopped');
      })();
      return closed;
    },
  };
}

/** Fails fast, naming the bucket, when it is missing or forbidden; waits out a transient failure (bounded). */
async function checkBucket(s3: S3Client, bucket: string): Promise<void> {
  try {
    await retry(() => s3.send(new HeadBucketCommand({ Bucket: bucket })), {
      what: `head bucket ${bucket}`,
      attempts: 8,
    });
  } catch (err) {
    const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    const why =
      status === 404
        ? 'does not exist'
        : status === 403
          ? 'is not accessible with these credentials'
          : 'is unreachable';
    throw new Error(`S3 bucket "${bucket}" ${why}${status ? ` (HTTP ${status})` : ''}`, { cause: err });
  }
}

/** An error as it may be logged: its name, code and message only (S3 errors carry request details). */
export function errorSummary(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { message: String(err) };
  const e = err as Error & { code?: unknown; $metadata?: { httpStatusCode?: number } };
  return { name: e.name, message: e.message, code: e.code, status: e.$metadata?.httpStatusCode };
}

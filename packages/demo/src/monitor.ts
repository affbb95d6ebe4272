import type { DecisionRow, Sample } from '@fraud-operator/report';
import { type Admin, type Consumer, Kafka, logLevel } from 'kafkajs';

/** The parts of a FraudModel's status the demo reads. */
export interface ModelStatus {
  stableVersion?: string | null;
  canaryVersion?: string | null;
  canaryWeight?: number;
  phase?: string;
  rollout?: { phase: string; version: string; reason?: string } | null;
  metrics?: { stable?: { prAuc: number }; canary?: { prAuc: number } } | null;
  fleets?: { version: string; readyReplicas?: number }[];
  history?: DecisionRow[];
}

export interface MonitorOptions {
  verdictsTopic: string;
  inputTopic: string;
  /** The consumer group of a version's scorer fleet. */
  groupOf: (version: string) => string;
}

const quantile = (sorted: number[], q: number): number | null =>
  sorted.length === 0 ? null : (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number);

/**
 * Counts the authoritative verdicts (each txId, how many times), measures their produce→verdict latency and the
 * fleets' consumer lag, and samples it all with the FraudModel's status every few seconds.
 */
export class Monitor {
  readonly verdicts = new Map<string, number>();
  readonly samples: Sample[] = [];
  duplicates = 0;
  transactions = 0;
  labels = 0;
  private readonly kafka: Kafka;
  private consumer: Consumer | undefined;
  private admin: Admin | undefined;
  private latencies: number[] = [];
  private verdictsSinceSample = 0;
  private txAtLastSample = 0;
  private lastSampleAt = Date.now();

  private readonly o: MonitorOptions;

  constructor(brokers: string[], o: MonitorOptions) {
    this.o = o;
    this.kafka = new Kafka({ clientId: 'fraud-demo', brokers, logLevel: logLevel.NOTHING });
  }

  async start(groupId: string): Promise<void> {
    this.admin = this.kafka.admin();
    await this.admin.connect();
    this.consumer = this.kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.o.verdictsTopic, fromBeginning: true });
    await this.consumer.run({
      eachBatch: async ({ batch }) => {
        for (const m of batch.messages) {
          const v = JSON.parse(m.value?.toString() ?? '{}') as { txId?: string; latencyMs?: number };
          if (typeof v.txId !== 'string') continue;
          const seen = (this.verdicts.get(v.txId) ?? 0) + 1;
          this.verdicts.set(v.txId, seen);
          if (seen === 2) this.duplicates += 1;
          this.verdictsSinceSample += 1;
          if (typeof v.latencyMs === 'number') this.latencies.push(v.latencyMs);
        }
      },
    });
  }

  private async lag(versions: string[]): Promise<Record<string, number | null>> {
    const out: Record<string, number | null> = {};
    if (!this.admin || versions.length === 0) return out;
    const ends = await this.admin.fetchTopicOffsets(this.o.inputTopic).catch(() => []);
    const end = new Map(ends.map((p) => [p.partition, Number(p.high)]));
    for (const version of versions) {
      const committed = await this.admin
        .fetchOffsets({ groupId: this.o.groupOf(version), topics: [this.o.inputTopic] })
        .catch(() => []);
      const parts = committed[0]?.partitions ?? [];
      out[version] =
        parts.length === 0
          ? null
          : parts.reduce((sum, p) => sum + Math.max(0, (end.get(p.partition) ?? 0) - Math.max(0, Number(p.offset))), 0);
    }
    return out;
  }

  /** One sample of traffic, latency, lag and the rollout; kept for the report. */
  async sample(status: ModelStatus | undefined): Promise<Sample> {
    const now = Date.now();
    const seconds = Math.max(0.001, (now - this.lastSampleAt) / 1000);
    const sorted = this.latencies.sort((a, b) => a - b);
    const canary = status?.rollout && !['Promoted', 'RolledBack', 'Refused'].includes(status.rollout.phase);
    const s: Sample = {
      time: new Date(now).toISOString(),
      txPerSec: (this.transactions - this.txAtLastSample) / seconds,
      verdictsPerSec: this.verdictsSinceSample / seconds,
      latencyP50Ms: quantile(sorted, 0.5),
      latencyP99Ms: quantile(sorted, 0.99),
      lag: await this.lag((status?.fleets ?? []).map((f) => f.version)),
      canaryWeight: canary ? (status?.canaryWeight ?? 0) : null,
      stableVersion: status?.stableVersion ?? null,
      canaryVersion: canary ? (status?.rollout?.version ?? null) : null,
      stablePrAuc: canary ? (status?.metrics?.stable?.prAuc ?? null) : null,
      canaryPrAuc: canary ? (status?.metrics?.canary?.prAuc ?? null) : null,
    };
    this.samples.push(s);
    this.latencies = [];
    this.verdictsSinceSample = 0;
    this.txAtLastSample = this.transactions;
    this.lastSampleAt = now;
    return s;
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect().catch(() => undefined);
    await this.admin?.disconnect().catch(() => undefined);
  }
}

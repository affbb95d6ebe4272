import { createTopicsAndWait } from '@fraud-operator/kafka/topics';
import { type Admin, Kafka, logLevel } from 'kafkajs';
import type { Logger } from 'pino';
import { type TopicPlan, topicPlan, type WantedTopic } from './topic-plan.ts';

/** Creates and validates topics through the Kafka admin API; one connected admin client, reopened after errors. */
export class TopicAdmin {
  private admin: Admin | undefined;
  private readonly kafka: Kafka;

  private readonly log: Logger;
  private readonly replicationFactor: number;

  constructor(brokers: string[], log: Logger, replicationFactor = 1) {
    this.log = log;
    this.replicationFactor = replicationFactor;
    this.kafka = new Kafka({ clientId: 'fraud-operator', brokers, logLevel: logLevel.NOTHING, retry: { retries: 2 } });
  }

  private async client(): Promise<Admin> {
    if (this.admin) return this.admin;
    const admin = this.kafka.admin();
    await admin.connect();
    this.admin = admin;
    return admin;
  }

  private async guarded<T>(fn: (admin: Admin) => Promise<T>): Promise<T> {
    try {
      return await fn(await this.client());
    } catch (err) {
      const admin = this.admin;
      this.admin = undefined;
      await admin?.disconnect().catch(() => undefined);
      throw err;
    }
  }

  /** Partition counts of those of `topics` that exist. */
  async partitions(topics: readonly string[]): Promise<Map<string, number>> {
    return this.guarded(async (admin) => {
      const all = new Set(await admin.listTopics());
      const present = topics.filter((t) => all.has(t));
      const found = new Map<string, number>();
      if (present.length === 0) return found;
      const meta = await admin.fetchTopicMetadata({ topics: present });
      for (const t of meta.topics) found.set(t.name, t.partitions.length);
      return found;
    });
  }

  /** Creates what is missing and reports what does not fit. */
  async ensure(wanted: readonly WantedTopic[]): Promise<TopicPlan> {
    const plan = topicPlan(wanted, await this.partitions(wanted.map((w) => w.topic)));
    if (plan.create.length > 0) {
      await this.guarded((admin) =>
        createTopicsAndWait(admin, {
          topics: plan.create.map((w) => ({
            topic: w.topic,
            numPartitions: w.partitions,
            replicationFactor: this.replicationFactor,
          })),
        }),
      );
      this.log.info({ topics: plan.create.map((w) => w.topic) }, 'created topics');
    }
    return plan;
  }

  /**
   * Starts a consumer group that has never committed where another one is: a canary fleet scores from the stable
   * fleet's position instead of from the topic's beginning (days of retention to catch up on before its first
   * paired window). False when `to` has offsets already or `from` has none.
   */
  async seedGroup(topic: string, from: string, to: string): Promise<boolean> {
    return this.guarded(async (admin) => {
      const [target] = await admin.fetchOffsets({ groupId: to, topics: [topic] });
      if (target?.partitions.some((p) => Number(p.offset) >= 0)) return false;
      const [source] = await admin.fetchOffsets({ groupId: from, topics: [topic] });
      const partitions = (source?.partitions ?? [])
        .filter((p) => Number(p.offset) >= 0)
        .map((p) => ({ partition: p.partition, offset: p.offset }));
      if (partitions.length === 0) return false;
      await admin.setOffsets({ groupId: to, topic, partitions });
      return true;
    });
  }

  async delete(topics: readonly string[]): Promise<string[]> {
    const existing = [...(await this.partitions(topics)).keys()];
    if (existing.length > 0) await this.guarded((admin) => admin.deleteTopics({ topics: existing }));
    return existing;
  }

  async close(): Promise<void> {
    await this.admin?.disconnect().catch(() => undefined);
    this.admin = undefined;
  }
}

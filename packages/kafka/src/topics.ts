import type { Admin, ITopicConfig } from 'kafkajs';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Errors a broker answers while a new topic's metadata and leaders settle. */
const SETTLING = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE', 'NOT_LEADER_FOR_PARTITION']);

function isSettling(err: unknown): boolean {
  for (let e = err as { type?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e)
    if (e.type !== undefined && SETTLING.has(e.type)) return true;
  return false;
}

/**
 * Creates the topics that do not exist and waits until every partition of every one of them has a leader that serves
 * it. kafkajs's own `waitForLeaders` retries LEADER_NOT_AVAILABLE only, and throws the UNKNOWN_TOPIC_OR_PARTITION that
 * a broker answers for a moment after the controller has created the topic (seen in CI). Metadata naming a leader is
 * not enough either: the broker publishes it before its replica manager leads the partition, and a produce in between
 * is refused with NOT_LEADER (seen in CI: a non-idempotent producer's retry then wrote the batch twice). So it waits
 * until metadata names every leader and each leader answers a ListOffsets for its partitions, which takes the
 * produce path's leader check; all of these are waited out, up to `timeoutMs`. True when it created any.
 */
export async function createTopicsAndWait(
  admin: Admin,
  { topics, timeoutMs = 30_000 }: { topics: ITopicConfig[]; timeoutMs?: number },
): Promise<boolean> {
  const created = await admin.createTopics({ topics, waitForLeaders: false });
  const deadline = Date.now() + timeoutMs;
  const names = topics.map((t) => t.topic);
  for (let delay = 50; ; delay = Math.min(delay * 2, 1_000)) {
    try {
      const meta = await admin.fetchTopicMetadata({ topics: names });
      const ready = topics.every((t) => {
        const found = meta.topics.find((m) => m.name === t.topic);
        const partitions = found?.partitions ?? [];
        return partitions.length >= (t.numPartitions ?? 1) && partitions.every((p) => p.leader >= 0);
      });
      if (ready) {
        for (const name of names) await admin.fetchTopicOffsets(name);
        return created;
      }
    } catch (err) {
      if (!isSettling(err) || Date.now() > deadline) throw err;
    }
    if (Date.now() > deadline)
      throw new Error(`topics ${names.join(', ')}: no leader for every partition after ${timeoutMs} ms`);
    await sleep(delay);
  }
}

import type { FraudModelSpec } from '../api/v1alpha1/index.ts';
import { scoreTopic } from '../children/names.ts';

export interface WantedTopic {
  topic: string;
  partitions: number;
  /** What the topic is for, in messages. */
  role: 'input' | 'verdicts' | 'labels' | 'deadLetters' | 'scores';
  /** The operator made it for this FraudModel alone, so a deletion policy may remove it. */
  ownedByModel: boolean;
}

/** The topics a FraudModel needs: its four shared topics and one score stream per version in play. */
export function wantedTopics(spec: FraudModelSpec, versions: readonly string[]): WantedTopic[] {
  const p = spec.kafka.partitions;
  const t = spec.kafka.topics;
  const shared: WantedTopic[] = [
    { topic: t.input, partitions: p, role: 'input', ownedByModel: false },
    { topic: t.verdicts, partitions: p, role: 'verdicts', ownedByModel: false },
    { topic: t.labels, partitions: p, role: 'labels', ownedByModel: false },
    { topic: t.deadLetters, partitions: p, role: 'deadLetters', ownedByModel: false },
  ];
  const scores = [...new Set(versions)].map(
    (v): WantedTopic => ({
      topic: scoreTopic(t.scoresPrefix ?? 'scores', v),
      partitions: p,
      role: 'scores',
      ownedByModel: true,
    }),
  );
  const byTopic = new Map<string, WantedTopic>();
  for (const w of [...shared, ...scores]) if (!byTopic.has(w.topic)) byTopic.set(w.topic, w);
  return [...byTopic.values()];
}

export interface TopicPlan {
  create: WantedTopic[];
  /** Existing topics that do not fit, with why (the operator never repartitions data it did not create). */
  mismatches: string[];
}

/**
 * What to do about the topics: create the missing ones; an existing input topic must have exactly
 * spec.kafka.partitions (the replica cap rests on it), the others at least that many.
 */
export function topicPlan(wanted: readonly WantedTopic[], existing: ReadonlyMap<string, number>): TopicPlan {
  const create: WantedTopic[] = [];
  const mismatches: string[] = [];
  for (const w of wanted) {
    const have = existing.get(w.topic);
    if (have === undefined) create.push(w);
    else if (w.role === 'input' && have !== w.partitions)
      mismatches.push(`input topic ${w.topic} has ${have} partitions; spec.kafka.partitions is ${w.partitions}`);
    else if (have < w.partitions)
      mismatches.push(
        `${w.role} topic ${w.topic} has ${have} partitions, fewer than spec.kafka.partitions ${w.partitions}`,
      );
  }
  return { create, mismatches };
}

export type DeletionPolicy = NonNullable<FraudModelSpec['deletionPolicy']>;

/** The topics a deletion removes under the policy. */
export function topicsToDelete(wanted: readonly WantedTopic[], policy: DeletionPolicy): string[] {
  if (policy === 'Retain') return [];
  if (policy === 'DeleteAllTopics') return wanted.map((w) => w.topic);
  return wanted.filter((w) => w.ownedByModel).map((w) => w.topic);
}

import { describe, expect, it } from 'vitest';
import type { FraudModelSpec } from '../api/v1alpha1/index.ts';
import { topicPlan, topicsToDelete, wantedTopics } from './topic-plan.ts';

const spec = {
  kafka: {
    bootstrapSecret: 'b',
    partitions: 6,
    topics: { input: 'tx', verdicts: 'v', labels: 'l', deadLetters: 'dlq', scoresPrefix: 'sc' },
  },
} as FraudModelSpec;

describe('wantedTopics', () => {
  it('names the four shared topics and one score stream per version', () => {
    expect(wantedTopics(spec, ['v1', 'v2', 'v1']).map((w) => [w.topic, w.ownedByModel])).toEqual([
      ['tx', false],
      ['v', false],
      ['l', false],
      ['dlq', false],
      ['sc.v1', true],
      ['sc.v2', true],
    ]);
  });
});

describe('topicPlan', () => {
  const wanted = wantedTopics(spec, ['v1']);
  it.each([
    ['nothing exists', {}, ['tx', 'v', 'l', 'dlq', 'sc.v1'], []],
    ['everything exists as wanted', { tx: 6, v: 6, l: 6, dlq: 6, 'sc.v1': 6 }, [], []],
    ['more partitions on an output topic is fine', { tx: 6, v: 12, l: 6, dlq: 6, 'sc.v1': 6 }, [], []],
    ['the input topic with other partitions', { tx: 12, v: 6, l: 6, dlq: 6 }, ['sc.v1'], [/input topic tx has 12/]],
    ['too few partitions on labels', { tx: 6, v: 6, l: 2, dlq: 6, 'sc.v1': 6 }, [], [/labels topic l has 2/]],
  ])('%s', (_name, existing, create, mismatches) => {
    const plan = topicPlan(wanted, new Map(Object.entries(existing)));
    expect(plan.create.map((w) => w.topic)).toEqual(create);
    expect(plan.mismatches).toHaveLength(mismatches.length);
    for (const [i, m] of mismatches.entries()) expect(plan.mismatches[i]).toMatch(m);
  });
});

describe('topicsToDelete', () => {
  const wanted = wantedTopics(spec, ['v1', 'v2']);
  it.each([
    ['Retain', []],
    ['DeleteScoreStreams', ['sc.v1', 'sc.v2']],
    ['DeleteAllTopics', ['tx', 'v', 'l', 'dlq', 'sc.v1', 'sc.v2']],
  ] as const)('%s', (policy, expected) => {
    expect(topicsToDelete(wanted, policy)).toEqual(expected);
  });
});

import type { ModelCard } from '@fraud-operator/training';
import type { DemoSettings } from './settings.ts';

export interface PublishedModel {
  /** baseline, best or degraded: what the pipeline meant this version to be. */
  role: string;
  version: string;
  uri: string;
  card: ModelCard;
}

export interface DemoTopics {
  input: string;
  verdicts: string;
  labels: string;
  deadLetters: string;
  scoresPrefix: string;
}

export const topicsFor = (run: string): DemoTopics => ({
  input: `${run}.transactions`,
  verdicts: `${run}.verdicts`,
  labels: `${run}.labels`,
  deadLetters: `${run}.dlq`,
  scoresPrefix: `${run}.scores`,
});

export interface FraudModelOptions {
  name: string;
  node: string;
  topics: DemoTopics;
  settings: DemoSettings;
  /** The chart's Secrets: Kafka bootstrap and the scorers' runtime settings. */
  bootstrapSecret: string;
  runtimeSecret: string;
  /** Labelled history the gate replays, or none (then live shadow traffic is the first judge). */
  replay?: { uri: string; maxTransactions: number };
}

/** The `spec.model` of a published version, from its model card. */
export const modelSpec = (m: PublishedModel) => ({
  uri: m.uri,
  version: m.version,
  sha256: m.card.sha256,
  threshold: Number(m.card.threshold.threshold.toFixed(6)),
  featureCount: m.card.features.length,
  inputName: m.card.input.name,
});

/** The FraudModel the demo applies: scorers on the real node, a two-step canary judged on a day of event time. */
export function demoFraudModel(model: PublishedModel, o: FraudModelOptions) {
  return {
    apiVersion: 'fraud.payments.dev/v1alpha1',
    kind: 'FraudModel',
    metadata: { name: o.name },
    spec: {
      model: modelSpec(model),
      deletionPolicy: 'DeleteAllTopics',
      kafka: { bootstrapSecret: o.bootstrapSecret, partitions: o.settings.partitions, topics: o.topics },
      scaling: { minReplicas: 1, maxReplicas: 1 },
      scorer: {
        runtimeSecret: o.runtimeSecret,
        nodeSelector: { 'kubernetes.io/hostname': o.node },
        imagePullPolicy: 'Never',
        cpuRequest: '100m',
        memoryLimit: '768Mi',
      },
      rollout: {
        steps: [25, 100],
        analysisWindowMinutes: 24 * 60,
        minLabelledFrauds: 30,
        maxPrAucLoss: 0.02,
        maxFailedChecks: 2,
        stepDeadlineMinutes: 10,
        ...(o.replay ? { replay: o.replay } : {}),
      },
    },
  };
}

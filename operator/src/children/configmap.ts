import { parseScorerConfig, type ScorerConfig } from '@fraud-operator/scorer-config';
import type { V1ConfigMap } from '@kubernetes/client-node';
import type { Fleet } from './fleet.ts';
import { CONFIG_FILE, fleetLabels, fleetName, scoreTopic } from './names.ts';
import { controllerRef } from './owner.ts';

/** The scorer config of one fleet, exactly as the scorer will parse it. */
export function scorerConfig(fleet: Fleet): ScorerConfig {
  const { spec } = fleet.owner;
  const topics = spec.kafka.topics;
  const config: ScorerConfig = {
    mode: fleet.mode,
    model: {
      uri: fleet.model.uri,
      version: fleet.model.version,
      sha256: fleet.model.sha256,
      threshold: fleet.model.threshold,
      inputName: fleet.model.inputName ?? 'input',
      featureCount: fleet.model.featureCount ?? 15,
    },
    topics: {
      transactions: topics.input,
      labels: topics.labels,
      verdicts: topics.verdicts,
      deadLetters: topics.deadLetters,
      scores: scoreTopic(topics.scoresPrefix ?? 'scores', fleet.model.version),
    },
    verdictTtlSeconds: 86_400,
  };
  if (fleet.authority) config.authority = fleet.authority;
  return config;
}

export function configMapFor(fleet: Fleet): V1ConfigMap {
  const owner = fleet.owner.metadata!;
  const text = `${JSON.stringify(scorerConfig(fleet), null, 2)}\n`;
  // The scorer's own parser is the contract: a config it would refuse is never written.
  parseScorerConfig(text);
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: `${fleetName(owner.name!, fleet.model.version)}-config`,
      namespace: owner.namespace!,
      labels: fleetLabels(owner.name!, fleet.model.version),
      ownerReferences: [controllerRef(fleet.owner)],
    },
    data: { [CONFIG_FILE]: text },
  };
}

import type { KubernetesObject } from '@kubernetes/client-node';
import { configMapFor } from './configmap.ts';
import { deploymentFor } from './deployment.ts';
import type { Fleet, ScorerDefaults } from './fleet.ts';
import { hpaFor } from './hpa.ts';
import { serviceFor } from './service.ts';

/** The four children of one fleet, in apply order (the config before the pods that mount it). */
export function childrenOf(fleet: Fleet, defaults: ScorerDefaults): KubernetesObject[] {
  return [configMapFor(fleet), serviceFor(fleet), deploymentFor(fleet, defaults), hpaFor(fleet)];
}

export type { Fleet, ModelCard, ScorerDefaults } from './fleet.ts';

import type { V1OwnerReference } from '@kubernetes/client-node';
import type { FraudModel } from '../api/v1alpha1/index.ts';
import { KINDS } from '../kube/paths.ts';

/** The controller reference every child carries, so garbage collection removes it with its FraudModel. */
export function controllerRef(owner: FraudModel): V1OwnerReference {
  const { name, uid } = owner.metadata ?? {};
  if (!name || !uid) throw new Error('FraudModel without metadata.name or metadata.uid cannot own children');
  return {
    apiVersion: KINDS.FraudModel.apiVersion,
    kind: KINDS.FraudModel.kind,
    name,
    uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

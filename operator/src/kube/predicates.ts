import type { KubernetesObject } from '@kubernetes/client-node';

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * Whether a FraudModel event asks for a reconcile: its spec (generation), annotations (pause, abort), labels,
 * finalizers or deletion changed. A status-only change is the operator's own write and is skipped, or every status
 * write would trigger the next reconcile (controller-runtime's GenerationChanged + AnnotationChanged predicates).
 */
export function fraudModelChanged(old: KubernetesObject | undefined, obj: KubernetesObject): boolean {
  if (old === undefined) return true;
  const a = old.metadata ?? {};
  const b = obj.metadata ?? {};
  return (
    a.generation !== b.generation ||
    a.deletionTimestamp !== b.deletionTimestamp ||
    !same(a.annotations, b.annotations) ||
    !same(a.labels, b.labels) ||
    !same(a.finalizers, b.finalizers)
  );
}

/**
 * Whether a child's modification came from someone other than `manager`: any managedFields entry of another
 * manager changed (a hand edit, the HPA or the Deployment controller writing status), or the child is being
 * deleted. The operator's own applies are skipped, so they cannot feed back into reconciles.
 */
export function childChangedByOthers(
  old: KubernetesObject | undefined,
  obj: KubernetesObject,
  manager: string,
): boolean {
  if (old === undefined) return true;
  if (obj.metadata?.deletionTimestamp) return true;
  const others = (o: KubernetesObject) =>
    (o.metadata?.managedFields ?? [])
      .filter((f) => f.manager !== manager)
      .map((f) => JSON.stringify([f.manager, f.operation, f.subresource, f.time, f.fieldsV1]))
      .sort();
  return !same(others(old), others(obj));
}

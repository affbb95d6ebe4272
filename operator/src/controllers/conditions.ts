import type { FraudModelStatusConditionsItem } from '../api/v1alpha1/index.ts';

export type Condition = FraudModelStatusConditionsItem;

/**
 * Sets one condition in a list, keeping `lastTransitionTime` unless the status flips (cert-manager's rule), and
 * returns a new list. `reason`, `message` and `observedGeneration` always take the new values.
 */
export function setCondition(
  conditions: readonly Condition[] | undefined,
  next: Omit<Condition, 'lastTransitionTime'>,
  now: Date,
): Condition[] {
  const list = [...(conditions ?? [])];
  const i = list.findIndex((c) => c.type === next.type);
  const previous = i >= 0 ? list[i] : undefined;
  const lastTransitionTime =
    previous && previous.status === next.status && previous.lastTransitionTime
      ? previous.lastTransitionTime
      : now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const merged: Condition = { ...next, lastTransitionTime };
  if (i >= 0) list[i] = merged;
  else list.push(merged);
  return list;
}

export const conditionOf = (conditions: readonly Condition[] | undefined, type: string): Condition | undefined =>
  conditions?.find((c) => c.type === type);

/** The conditions that changed status or reason between two lists: each is an Event. */
export function conditionTransitions(
  before: readonly Condition[] | undefined,
  after: readonly Condition[],
): { condition: Condition; previous: Condition | undefined }[] {
  return after
    .map((condition) => ({ condition, previous: conditionOf(before, condition.type) }))
    .filter(
      ({ condition, previous }) => previous?.status !== condition.status || previous?.reason !== condition.reason,
    );
}

import type { RolloutStatus, WeightStep } from './types.ts';

/** The scorer's `authority` config (scorer-image/src/config.ts AuthoritySchedule), the same for both fleets. */
export interface AuthoritySchedule {
  stableVersion: string;
  canaryVersion: string;
  steps: WeightStep[];
  coveredUntil: number;
}

export interface FleetPlan {
  version: string;
  sha256: string;
  /** `canary` fleets both read `authority`; a `primary` fleet is authoritative for everything. */
  mode: 'primary' | 'canary';
  role: 'stable' | 'canary';
}

/**
 * The event-time weight schedule both fleets must apply, or null when only the stable fleet runs (primary).
 * From Shadow until the retiring fleet has drained, BOTH fleets run in `canary` mode with this schedule: shadow is
 * weight 0 from event time 0, so the canary never scores ahead of a weight change it has not seen.
 */
export function authoritySchedule(status: RolloutStatus): AuthoritySchedule | null {
  const r = status.rollout;
  if (r === null || status.stableVersion === null) return null;
  if (r.phase !== 'Shadow' && r.phase !== 'Steps' && r.phase !== 'Promoting' && r.phase !== 'RollingBack') return null;
  return {
    stableVersion: status.stableVersion,
    canaryVersion: r.version,
    steps: r.schedule.map((s) => ({ ...s })),
    coveredUntil: r.coveredUntil,
  };
}

/** The scorer fleets that should exist now, with their modes. */
export function fleetPlan(status: RolloutStatus): FleetPlan[] {
  if (status.stableVersion === null || status.stableSha256 === null) return [];
  const stable = { version: status.stableVersion, sha256: status.stableSha256, role: 'stable' } as const;
  const schedule = authoritySchedule(status);
  const r = status.rollout;
  if (schedule === null || r === null) return [{ ...stable, mode: 'primary' }];
  return [
    { ...stable, mode: 'canary' },
    { version: r.version, sha256: r.sha256, role: 'canary', mode: 'canary' },
  ];
}

/** The weight in force at an event time under a schedule (0 before its first step). */
export function weightAt(steps: readonly WeightStep[], eventTime: number): number {
  let weight = 0;
  for (const step of steps) if (step.from <= eventTime) weight = step.weight;
  return weight;
}

export { advanceRollout, isTerminal } from './advance-rollout.ts';
export { checkWindow, fraudsForLook, type WindowCheck, type WindowCheckInput } from './check-window.ts';
export { ABORT_ANNOTATION, PAUSE_ANNOTATION, type RolloutControl, rolloutControl } from './control.ts';
export { comparePaired, type PairedComparison } from './paired-comparison.ts';
export { DEFAULT_POLICY } from './policy.ts';
export { seededRandom } from './seeded-random.ts';
export type * from './types.ts';
export { type AuthoritySchedule, authoritySchedule, type FleetPlan, fleetPlan, weightAt } from './weight-schedule.ts';

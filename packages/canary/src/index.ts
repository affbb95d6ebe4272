export type { CanaryStepDecision, CanaryStepInput, ScoredLabels } from './decide-step.ts';
export { decideCanaryStep } from './decide-step.ts';
export { pairedBootstrapApDifference } from './paired-bootstrap.ts';
export { seededRandom } from './seeded-random.ts';

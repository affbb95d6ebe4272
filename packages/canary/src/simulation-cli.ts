/**
 * False-promotion and false-rollback rates of the whole rollout over synthetic canaries:
 *   npx node packages/canary/src/simulation-cli.ts [rollouts=200] [minLabelledFrauds=30] [maxPrAucLoss=0.05] [scenarios=all]
 * (scenarios: comma-separated names, e.g. equal,worse). A rollout costs about 0.5–1.5 s of one core.
 * Prints one JSON line per scenario.
 */
import { simulateRollouts } from './simulate-rollouts.ts';
import type { FraudModelRolloutSpec } from './types.ts';

const [rollouts = 200, minLabelledFrauds = 30, maxPrAucLoss = 0.05] = process.argv.slice(2, 5).map(Number);
const only = process.argv[5]?.split(',');
const spec: FraudModelRolloutSpec = {
  model: { version: 'v2', sha256: '2'.repeat(64) },
  rollout: {
    steps: [10, 50],
    analysisWindowMinutes: 1,
    minLabelledFrauds,
    maxPrAucLoss,
    maxFailedChecks: 2,
    stepDeadlineMinutes: 600,
  },
};
const base = {
  stableSkill: 2.5,
  correlation: 0.6,
  fraudRate: 0.002,
  fraudsPerCall: Math.max(5, minLabelledFrauds / 3),
};
const scenarios = [
  { ...base, name: 'better', canarySkill: 2.8 },
  { ...base, name: 'equal', canarySkill: 2.5 },
  { ...base, name: 'slightly worse', canarySkill: 2.35 },
  { ...base, name: 'worse', canarySkill: 2.2 },
  { ...base, name: 'clearly worse', canarySkill: 1.8 },
];
for (const scenario of scenarios.filter((x) => only === undefined || only.includes(x.name))) {
  const started = performance.now();
  const result = simulateRollouts(scenario, spec, rollouts, {
    resamples: 400,
    leadMs: 1_000,
    horizonMs: 5_000,
    drainMarginMs: 2_000,
  });
  console.log(
    JSON.stringify({
      ...result,
      minLabelledFrauds,
      maxPrAucLoss,
      fraudRate: scenario.fraudRate,
      seconds: Math.round((performance.now() - started) / 100) / 10,
    }),
  );
}

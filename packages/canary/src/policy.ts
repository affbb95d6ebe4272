import type { RolloutPolicy } from './types.ts';

export const DEFAULT_POLICY: RolloutPolicy = {
  resamples: 2000,
  alpha: 0.05,
  maxLooks: 0,
  leadMs: 30_000,
  horizonMs: 120_000,
  drainMarginMs: 30_000,
  stepDeadlineMinutes: 24 * 60,
  seed: 1,
};

export function resolvePolicy(policy: Partial<RolloutPolicy> | undefined, steps: number): RolloutPolicy {
  const resolved = { ...DEFAULT_POLICY, ...policy };
  if (resolved.maxLooks === 0) resolved.maxLooks = steps + 3;
  const check = (ok: boolean, field: string, value: number, want: string) => {
    if (!ok) throw new Error(`rollout policy: ${field} is ${value}, must be ${want}`);
  };
  check(Number.isInteger(resolved.resamples) && resolved.resamples >= 100, 'resamples', resolved.resamples, '≥ 100');
  check(resolved.alpha > 0 && resolved.alpha < 0.5, 'alpha', resolved.alpha, 'in (0, 0.5)');
  check(Number.isInteger(resolved.maxLooks) && resolved.maxLooks >= 0, 'maxLooks', resolved.maxLooks, '≥ 0');
  for (const key of ['leadMs', 'horizonMs', 'drainMarginMs', 'stepDeadlineMinutes'] as const) {
    check(resolved[key] >= 0, key, resolved[key], '≥ 0');
  }
  check(resolved.horizonMs >= resolved.leadMs, 'horizonMs', resolved.horizonMs, '≥ leadMs');
  return resolved;
}

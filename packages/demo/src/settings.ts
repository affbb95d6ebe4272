/**
 * The demo's compressed clock and rollout settings, in one place. Every window and delay downstream is event time,
 * so compressing the clock changes nothing but the wall-clock wait: a simulated day every 5 s makes the 7-day label
 * delay 35 s.
 */
export const DAY_MS = 86_400_000;

export interface DemoSettings {
  /** Simulated days per wall-clock minute. */
  speed: number;
  /** Upper bound on transactions per wall-clock second. */
  rate: number;
  /** The live population: half the Handbook's, with its density of customers per terminal. */
  customers: number;
  terminals: number;
  labelDelayMs: number;
  partitions: number;
  seed: number;
}

export const DEFAULT_SETTINGS: DemoSettings = {
  speed: 12,
  rate: 1500,
  customers: 2500,
  terminals: 5000,
  labelDelayMs: 7 * DAY_MS,
  partitions: 4,
  seed: 42,
};

/** Wall-clock milliseconds that one simulated millisecond takes under `speed`. */
export const wallPerEventMs = (speed: number): number => 60_000 / (speed * DAY_MS);

/**
 * The operator's ROLLOUT_POLICY for a compressed clock: a weight change is scheduled at least 15 s of wall clock
 * ahead of the fastest scorer (the stack's kubelet refreshes ConfigMap volumes every 5 s), coverage twice that.
 */
export function rolloutPolicy(speed: number): { leadMs: number; horizonMs: number; drainMarginMs: number } {
  const eventMsPerWallS = 1000 / wallPerEventMs(speed);
  return {
    leadMs: Math.round(15 * eventMsPerWallS),
    horizonMs: Math.round(30 * eventMsPerWallS),
    drainMarginMs: Math.round(5 * eventMsPerWallS),
  };
}

/** Validates user overrides by name, as fraudctl does. */
export function resolveSettings(overrides: Partial<Record<keyof DemoSettings, string>>): DemoSettings {
  const out = { ...DEFAULT_SETTINGS };
  for (const [key, raw] of Object.entries(overrides)) {
    if (raw === undefined) continue;
    if (!Object.hasOwn(DEFAULT_SETTINGS, key)) throw new Error(`demo: unknown setting --${key}`);
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0)
      throw new Error(`demo: --${key} must be a positive number, got "${raw}"`);
    (out as Record<string, number>)[key] = value;
  }
  if (out.speed > 60)
    throw new Error(`demo: --speed ${out.speed} days/min leaves the operator no time to react (≤ 60)`);
  return out;
}

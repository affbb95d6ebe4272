/** The parts of a coordination.k8s.io/v1 Lease spec the election reads. */
export interface LeaseSpec {
  holderIdentity?: string | null;
  leaseDurationSeconds?: number | null;
  renewTime?: string | null;
  acquireTime?: string | null;
  leaseTransitions?: number | null;
}

export type LeaseDecision =
  | { action: 'renew' }
  | { action: 'acquire'; transitions: number }
  | { action: 'wait'; holder: string; expiresInMs: number };

/**
 * Whether `identity` may take or keep the lease at `now`: it renews its own lease, takes a free or expired one
 * (counting a transition when it changes hands), and otherwise waits for the holder's lease to expire.
 */
export function leaseDecision(spec: LeaseSpec | undefined, identity: string, now: number): LeaseDecision {
  const holder = spec?.holderIdentity ?? '';
  const transitions = spec?.leaseTransitions ?? 0;
  if (holder === identity) return { action: 'renew' };
  if (holder === '') return { action: 'acquire', transitions: transitions + (spec?.renewTime ? 1 : 0) };
  const renewed = spec?.renewTime ? Date.parse(spec.renewTime) : Number.NaN;
  const durationMs = (spec?.leaseDurationSeconds ?? 0) * 1000;
  const expiresInMs = Number.isNaN(renewed) ? 0 : renewed + durationMs - now;
  if (expiresInMs <= 0) return { action: 'acquire', transitions: transitions + 1 };
  return { action: 'wait', holder, expiresInMs };
}

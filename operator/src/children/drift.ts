/**
 * Where a live child differs from what the operator wants: the first path at which a field the operator sets has
 * another value (or is missing), or null when the child is as wanted. Fields the API server or others add (defaults,
 * status, clusterIP, replicas set by the HPA) are not the operator's and are ignored; arrays must match item by item.
 */
export function driftOf(desired: unknown, live: unknown, path = ''): string | null {
  if (desired === undefined) return null;
  if (desired === null || typeof desired !== 'object') {
    return Object.is(desired, live) ? null : path || '.';
  }
  if (Array.isArray(desired)) {
    if (!Array.isArray(live) || live.length !== desired.length) return path || '.';
    for (let i = 0; i < desired.length; i++) {
      const at = driftOf(desired[i], live[i], `${path}[${i}]`);
      if (at !== null) return at;
    }
    return null;
  }
  if (live === null || typeof live !== 'object' || Array.isArray(live)) return path || '.';
  for (const [key, value] of Object.entries(desired)) {
    const at = driftOf(value, (live as Record<string, unknown>)[key], `${path}.${key}`);
    if (at !== null) return at;
  }
  return null;
}

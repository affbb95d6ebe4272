export interface FleetReplicaBounds {
  version: string;
  minReplicas: number;
  maxReplicas: number;
}

/**
 * Replica bounds per fleet so that all versions together never exceed the partition count (a consumer beyond the
 * partitions of its group idles, and each version is its own group, but the cap keeps the cluster's cost bounded as
 * the design asks). The stable fleet (first) keeps spec's bounds when alone; with a canary, the partitions are split
 * in proportion to the canary weight, each fleet getting at least one replica.
 */
export function replicaBounds(
  fleets: readonly { version: string; weight: number }[],
  scaling: { minReplicas: number; maxReplicas: number },
  partitions: number,
): FleetReplicaBounds[] {
  if (fleets.length === 0) return [];
  if (!(partitions >= fleets.length)) {
    throw new Error(`kafka.partitions is ${partitions}: at least ${fleets.length} needed for ${fleets.length} fleets`);
  }
  if (scaling.minReplicas > scaling.maxReplicas) {
    throw new Error(`scaling.minReplicas ${scaling.minReplicas} exceeds scaling.maxReplicas ${scaling.maxReplicas}`);
  }
  const budget = Math.min(partitions, scaling.maxReplicas * fleets.length);
  const totalWeight = fleets.reduce((sum, f) => sum + Math.max(0, f.weight), 0);
  // Largest-remainder split of the budget by weight (equal shares when every weight is 0), at least 1 each.
  const raw = fleets.map((f) =>
    totalWeight === 0 ? budget / fleets.length : (budget * Math.max(0, f.weight)) / totalWeight,
  );
  const shares = raw.map((r) => Math.max(1, Math.floor(r)));
  let left = budget - shares.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => ({ i, rem: r - Math.floor(r) })).sort((a, b) => b.rem - a.rem || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    shares[i] = (shares[i] as number) + 1;
    left -= 1;
  }
  // Taking the minimum of 1 may have overspent: take back from the largest shares.
  while (left < 0) {
    const largest = shares.indexOf(Math.max(...shares));
    shares[largest] = (shares[largest] as number) - 1;
    left += 1;
  }
  return fleets.map((f, i) => {
    const maxReplicas = Math.max(1, Math.min(scaling.maxReplicas, shares[i] as number));
    return { version: f.version, minReplicas: Math.min(scaling.minReplicas, maxReplicas), maxReplicas };
  });
}

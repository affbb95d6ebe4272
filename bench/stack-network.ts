import { spawnSync } from 'node:child_process';
import { netnsPath } from '@fraud-operator/stack/node/topology';
import { readState } from '@fraud-operator/stack/state';

export type BenchNetwork = 'pod' | 'host relays';

/**
 * Where a data-plane bench runs: in the stack's network namespace beside Kafka and Redis, as a scorer pod reaches
 * them (`pod`), or on the host through the relays (`host relays`: two socat processes a connection, there only for
 * host tools). With a real node in the stack the bench re-runs itself in the namespace (nsenter, root) and this
 * returns in the re-run; `BENCH_VIA_RELAYS=1` keeps it on the host.
 */
export function benchNetwork(): BenchNetwork {
  const inside = process.env.FRAUD_BENCH_NETWORK;
  if (inside === 'pod') return 'pod';
  const node = readState()?.node;
  if (!node || process.env.BENCH_VIA_RELAYS) return 'host relays';
  const r = spawnSync(
    'nsenter',
    [`--net=${netnsPath(node)}`, '--', process.execPath, ...process.execArgv, ...process.argv.slice(1)],
    { stdio: 'inherit', env: { ...process.env, FRAUD_BENCH_NETWORK: 'pod' } },
  );
  if (r.error) throw new Error(`bench: cannot enter the stack's network namespace (${r.error.message})`);
  process.exit(r.status ?? 1);
}

import { join } from 'node:path';
import { ARTIFACTS } from '../artifacts.ts';
import { run } from '../process.ts';
import type { NodeTopology } from './topology.ts';

/** ctr against the node's containerd, in the CRI's namespace (where the kubelet's pods and images live). */
export const ctr = (t: NodeTopology, ...args: string[]) =>
  run(join(ARTIFACTS.containerd.dir, 'ctr'), ['--address', t.containerdSocket, '-n', 'k8s.io', ...args]);

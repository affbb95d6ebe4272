import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { STACK_DIR, stackPaths } from '../paths.ts';

/**
 * Where the real node lives. Every name and path derives from the stack folder, so two stacks on one machine (the
 * main one and a developer's FRAUD_STACK_DIR) never share a namespace, a cgroup, a socket or a folder.
 */
export interface NodeTopology {
  /** `ip netns` name; the namespace holds the control plane, Kafka, Redis, S3, containerd, the kubelet and pods. */
  netns: string;
  /** The node's own address, a /32 on the namespace's loopback: what pods use to reach the stack's servers. */
  address: string;
  /** The pods' bridge subnet inside the namespace (CNI bridge + host-local IPAM). */
  podSubnet: string;
  nodeName: string;
  /** cgroup parent of every pod, under each controller's hierarchy. */
  cgroupRoot: string;
  dirs: {
    root: string;
    containerdRoot: string;
    containerdState: string;
    cniConf: string;
    cniState: string;
    kubelet: string;
    podLogs: string;
    sysctls: string;
    relays: string;
  };
  containerdSocket: string;
}

export function stackId(stackDir = STACK_DIR): string {
  return createHash('sha256').update(stackDir).digest('hex').slice(0, 8);
}

export function nodeTopology(stackDir = STACK_DIR): NodeTopology {
  const id = stackId(stackDir);
  const root = join(stackPaths.data, 'node');
  return {
    netns: `fraud-stack-${id}`,
    address: '10.87.0.1',
    podSubnet: '10.88.0.0/16',
    nodeName: 'fraud-node-0',
    cgroupRoot: `/fraud-stack-${id}`,
    dirs: {
      root,
      containerdRoot: join(root, 'containerd'),
      containerdState: join(root, 'containerd-state'),
      cniConf: join(root, 'cni-conf'),
      cniState: join(root, 'cni-state'),
      kubelet: join(root, 'kubelet'),
      podLogs: join(root, 'pod-logs'),
      sysctls: join(root, 'sysctls'),
      relays: join(stackDir, 'relays'),
    },
    containerdSocket: join(root, 'containerd.sock'),
  };
}

export const netnsPath = (t: Pick<NodeTopology, 'netns'>) => `/run/netns/${t.netns}`;

import type { NodeTopology } from './topology.ts';

/** Pure: the node's configuration files, from its topology. */

/** containerd 2.x: private root, state and socket; runc under cgroupfs; the local pause image; no NRI. */
export function containerdConfig(t: NodeTopology, pauseImage: string): string {
  const q = (s: string) => `'${s}'`;
  return `version = 3
root = ${q(t.dirs.containerdRoot)}
state = ${q(t.dirs.containerdState)}

[grpc]
  address = ${q(t.containerdSocket)}

[plugins]
  [plugins.'io.containerd.cri.v1.images']
    snapshotter = 'overlayfs'
    [plugins.'io.containerd.cri.v1.images'.pinned_images]
      sandbox = ${q(pauseImage)}

  [plugins.'io.containerd.cri.v1.runtime']
    # Without it every pod fails ("can't get final child's PID from pipe"): these sandboxes lack CAP_SYS_RESOURCE,
    # so a container cannot be given a lower OOM score than containerd's own.
    restrict_oom_score_adj = true
    # Pod network namespaces are mounted under the state folder, not the host's /run/netns.
    netns_mounts_under_state_dir = true
    enable_cdi = false
    [plugins.'io.containerd.cri.v1.runtime'.containerd]
      default_runtime_name = 'runc'
      [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc]
        runtime_type = 'io.containerd.runc.v2'
        [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]
          BinaryName = '/usr/sbin/runc'
          SystemdCgroup = false
    [plugins.'io.containerd.cri.v1.runtime'.cni]
      bin_dirs = ['/usr/lib/cni']
      conf_dir = ${q(t.dirs.cniConf)}

  [plugins.'io.containerd.grpc.v1.cri']
    # exec, attach and port-forward streams: loopback of the node's namespace; the kubelet proxies them.
    stream_server_address = '127.0.0.1'
    stream_server_port = '0'

  [plugins.'io.containerd.internal.v1.opt']
    path = ${q(`${t.dirs.root}/opt`)}

  [plugins.'io.containerd.nri.v1.nri']
    disable = true
`;
}

/** A bridge inside the node's namespace; pods get addresses from its subnet and a default route to the node. */
export function cniConfig(t: NodeTopology): string {
  return `${JSON.stringify(
    {
      cniVersion: '1.0.0',
      name: 'fraud-pods',
      plugins: [
        {
          type: 'bridge',
          bridge: 'cni0',
          isGateway: true,
          ipMasq: false,
          hairpinMode: true,
          ipam: {
            type: 'host-local',
            ranges: [[{ subnet: t.podSubnet }]],
            routes: [{ dst: '0.0.0.0/0' }],
            dataDir: t.dirs.cniState,
          },
        },
      ],
    },
    null,
    2,
  )}\n`;
}

export function kubeletConfig(t: NodeTopology, clientCaFile: string): string {
  return `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: ${t.address}
port: 10250
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
authentication:
  anonymous: { enabled: false }
  webhook: { enabled: true }
  x509: { clientCAFile: ${clientCaFile} }
authorization:
  mode: Webhook
containerRuntimeEndpoint: unix://${t.containerdSocket}
# cgroup v1 (hybrid) machines: 1.35+ refuse it unless told; cgroupfs, as there is no systemd.
failCgroupV1: false
cgroupDriver: cgroupfs
cgroupRoot: ${t.cgroupRoot}
cgroupsPerQOS: true
enforceNodeAllocatable: [pods]
failSwapOn: false
makeIPTablesUtilChains: false
protectKernelDefaults: false
podLogsDir: ${t.dirs.podLogs}
serializeImagePulls: false
maxPods: 50
# ConfigMap volumes refresh on a pod's periodic sync: 5 s instead of 1 min, so a scorer sees its new config (the
# canary's weight schedule) within seconds; the operator's leads in compressed demo time depend on it.
syncFrequency: 5s
# A dev machine's disk is often fuller than a cluster node's: evict only when it is really out of room.
evictionHard: { memory.available: 100Mi, nodefs.available: 1%, imagefs.available: 1%, nodefs.inodesFree: 1% }
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
`;
}

/** Every part of the local stack, pinned. Bumping one here rebuilds just that part into a new cache folder. */
export const VERSIONS = {
  kubernetes: 'v1.36.3',
  etcd: 'v3.6.8',
  kwok: 'v0.8.0',
  versitygw: 'v1.8.0',
  kafka: '4.1.1',
  helm: 'v4.3.1',
  k6: 'v1.8.1',
  containerd: 'v2.2.1',
  /** The Debian suite of the local `node:24-bookworm-slim` equivalent (debootstrap minbase + the repo's Node 24). */
  debian: 'bookworm',
} as const;

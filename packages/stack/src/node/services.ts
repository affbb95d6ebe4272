import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACTS } from '../artifacts.ts';
import { kubeRequest } from '../kube-rest.ts';
import { stackPaths } from '../paths.ts';
import type { Service, StackContext } from '../services.ts';
import { VERSIONS } from '../versions.ts';
import { BASE_IMAGES } from './base-images.ts';
import { cniConfig, containerdConfig, kubeletConfig } from './config.ts';
import { ctr } from './ctr.ts';
import { importImages, type ProjectImage } from './images.ts';
import { createCgroups } from './teardown.ts';
import { type NodeTopology, netnsPath } from './topology.ts';

/** The kubelet's three host sysctls: it writes them and exits if it cannot; it gets stand-in files instead. */
const HOST_SYSCTLS = ['vm/overcommit_memory', 'kernel/panic', 'kernel/panic_on_oops'];
const node = (ctx: StackContext): NodeTopology => {
  if (!ctx.node) throw new Error('the node services need the stack to run with a node');
  return ctx.node;
};
const readyMarker = (t: NodeTopology) => join(t.dirs.root, 'namespace.ready');

/**
 * Holds the node's private mount namespace (inside its network namespace) for containerd and the kubelet: a tmpfs
 * over /run (shim sockets, runc state, xtables lock stay private and vanish with it) and the sysctl stand-ins.
 */
const namespaceHolder: Service = {
  name: 'node-namespace',
  version: 'util-linux',
  origin: 'unshare --mount in the network namespace',
  after: [],
  ports: [],
  startTimeoutMs: 10_000,
  prepare: async (ctx) => {
    const t = node(ctx);
    mkdirSync(t.dirs.sysctls, { recursive: true });
    for (const s of HOST_SYSCTLS) {
      writeFileSync(join(t.dirs.sysctls, s.replace('/', '.')), readFileSync(`/proc/sys/${s}`, 'utf8'));
    }
  },
  command: (ctx) => {
    const t = node(ctx);
    const script = [
      'set -e',
      'mount -t tmpfs -o mode=0755 node-run /run',
      ...HOST_SYSCTLS.map((s) => `mount --bind ${join(t.dirs.sysctls, s.replace('/', '.'))} /proc/sys/${s}`),
      `touch ${readyMarker(t)}`,
      'exec sleep infinity',
    ].join('\n');
    return { cmd: 'unshare', args: ['--mount', '--propagation', 'private', '--', 'sh', '-c', script] };
  },
  ready: async (ctx) => existsSync(readyMarker(node(ctx))),
  address: (ctx) => `netns ${node(ctx).netns}`,
};

/** Host loopback port → unix socket → the same port on the namespace's loopback, for every port host tools use. */
export function relays(relayed: () => string[]): Service {
  const socket = (t: NodeTopology, port: number) => join(t.dirs.relays, `${port}.sock`);
  return {
    name: 'relays',
    version: 'socat',
    origin: "Debian's socat",
    after: [],
    ports: [],
    namespace: 'host',
    startTimeoutMs: 10_000,
    prepare: async (ctx) => {
      mkdirSync(node(ctx).dirs.relays, { recursive: true });
    },
    command: (ctx) => {
      const t = node(ctx);
      const lines = relayed().flatMap((name) => {
        const port = ctx.ports[name]!;
        return [
          `nsenter --net=${netnsPath(t)} -- socat UNIX-LISTEN:${socket(t, port)},fork,unlink-early,mode=600 TCP:127.0.0.1:${port},nodelay &`,
          `socat TCP-LISTEN:${port},bind=${ctx.host},fork,reuseaddr,nodelay UNIX-CONNECT:${socket(t, port)} &`,
        ];
      });
      return { cmd: 'sh', args: ['-c', [...lines, 'wait'].join('\n')] };
    },
    ready: async (ctx) => relayed().every((name) => existsSync(socket(node(ctx), ctx.ports[name]!))),
    address: (ctx) => `${ctx.host} ⇄ ${node(ctx).netns}`,
  };
}

export function containerd(images: () => ProjectImage[]): Service {
  return {
    name: 'containerd',
    version: VERSIONS.containerd,
    origin: ARTIFACTS.containerd.origin,
    after: ['node-namespace'],
    ports: [],
    namespace: 'node',
    startTimeoutMs: 30_000,
    prepare: async (ctx) => {
      const t = node(ctx);
      for (const d of Object.values(t.dirs)) mkdirSync(d, { recursive: true });
      writeFileSync(join(t.dirs.root, 'containerd.toml'), containerdConfig(t, BASE_IMAGES.pause.ref));
      writeFileSync(join(t.dirs.cniConf, '10-fraud-pods.conflist'), cniConfig(t));
    },
    command: (ctx) => ({
      cmd: join(ARTIFACTS.containerd.dir, 'containerd'),
      args: ['--config', join(node(ctx).dirs.root, 'containerd.toml')],
      // containerd finds its shim on PATH.
      env: { ...process.env, PATH: `${ARTIFACTS.containerd.dir}:${process.env.PATH}` },
    }),
    ready: (ctx) =>
      ctr(node(ctx), 'version').then(
        () => true,
        () => false,
      ),
    afterReady: async (ctx) => {
      await importImages(node(ctx), [{ ref: BASE_IMAGES.pause.ref, archive: BASE_IMAGES.pause.archive }, ...images()]);
    },
    address: (ctx) => `unix://${node(ctx).containerdSocket}`,
  };
}

async function nodeReady(ctx: StackContext): Promise<boolean> {
  const t = node(ctx);
  const res = await kubeRequest(
    `https://${ctx.host}:${ctx.ports.apiserver}`,
    ctx.pki,
    'GET',
    `/api/v1/nodes/${t.nodeName}`,
  );
  if (res.status !== 200) return false;
  const conditions = (JSON.parse(res.body) as { status?: { conditions?: { type: string; status: string }[] } }).status
    ?.conditions;
  return conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

const kubelet: Service = {
  name: 'kubelet',
  version: VERSIONS.kubernetes,
  origin: ARTIFACTS.kubelet.origin,
  after: ['containerd', 'kube-apiserver'],
  ports: [],
  namespace: 'node',
  startTimeoutMs: 60_000,
  prepare: async (ctx) => {
    createCgroups(node(ctx));
    writeFileSync(join(node(ctx).dirs.root, 'kubelet.yaml'), kubeletConfig(node(ctx), ctx.pki.caCert));
  },
  command: (ctx) => {
    const t = node(ctx);
    return {
      cmd: join(ARTIFACTS.kubelet.dir, 'kubelet'),
      args: [
        `--config=${join(t.dirs.root, 'kubelet.yaml')}`,
        // The apiserver listens on every address of the namespace, so the admin kubeconfig's loopback URL works.
        `--kubeconfig=${stackPaths.kubeconfig}`,
        `--root-dir=${t.dirs.kubelet}`,
        `--node-ip=${t.address}`,
        `--hostname-override=${t.nodeName}`,
      ],
    };
  },
  ready: (ctx) => nodeReady(ctx).catch(() => false),
  address: (ctx) => `https://${node(ctx).address}:10250 (node ${node(ctx).nodeName})`,
  exports: (ctx) => ({ STACK_NODE: node(ctx).nodeName, STACK_NETNS: node(ctx).netns, NODE_ADDRESS: node(ctx).address }),
};

/** The real node's parts, in start order. The relays come first: every probe from the host goes through them. */
export function nodeServices(relayed: () => string[], images: () => ProjectImage[]): Service[] {
  return [relays(relayed), namespaceHolder, containerd(images), kubelet];
}

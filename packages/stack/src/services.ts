import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACTS } from './artifacts.ts';
import { kubeRequest } from './kube-rest.ts';
import type { NodeTopology } from './node/topology.ts';
import { dataDir, stackPaths } from './paths.ts';
import type { Pki } from './pki.ts';
import { httpOk, kafkaAnswers, redisAnswers } from './probes.ts';
import { run } from './process.ts';
import { VERSIONS } from './versions.ts';

export interface StackContext {
  /** The address host tools use: loopback, directly or through the relays into the node's namespace. */
  host: string;
  ports: Record<string, number>;
  pki: Pki;
  secrets: Record<string, string>;
  /** Set when the stack runs in its own network namespace with a real node (node/topology.ts). */
  node?: NodeTopology;
  /** The pid of each part started so far. */
  pids: Record<string, number>;
}

/** A long-running server of the stack: how to configure, start, probe and advertise it. */
export interface Service {
  name: string;
  version: string;
  origin: string;
  after: string[];
  ports: string[];
  /** Ports used only inside the stack (peers, pods): no relay from the host. */
  internalPorts?: string[];
  /**
   * Where it runs when the stack has a node: in its network namespace (the default), also in the node's private mount
   * namespace (containerd, kubelet), or on the host.
   */
  namespace?: 'net' | 'host' | 'node';
  startTimeoutMs: number;
  prepare?(ctx: StackContext): Promise<void>;
  command(ctx: StackContext): { cmd: string; args: string[]; env?: NodeJS.ProcessEnv };
  ready(ctx: StackContext): Promise<boolean>;
  address(ctx: StackContext): string;
  exports?(ctx: StackContext): Record<string, string>;
  afterReady?(ctx: StackContext): Promise<void>;
}

const bin = (artifact: { dir: string }, name: string) => join(artifact.dir, name);
const k8s = ARTIFACTS.kubernetes;
const apiserverUrl = (ctx: StackContext) => `https://${ctx.host}:${ctx.ports.apiserver}`;
const adminTls = (ctx: StackContext) => ({
  ca: readFileSync(ctx.pki.caCert),
  cert: readFileSync(ctx.pki.adminCert),
  key: readFileSync(ctx.pki.adminKey),
});
/** Where a server listens: in the node's namespace on every address (contained there), else on the host's. */
const bindHost = (ctx: StackContext) => (ctx.node ? '0.0.0.0' : ctx.host);
/** The address pods use to reach a server: the node's. */
const podHost = (ctx: StackContext) => ctx.node?.address ?? ctx.host;
const componentHealthy = (ctx: StackContext, port: string) =>
  httpOk(`https://${ctx.host}:${ctx.ports[port]}/healthz`, { insecure: true });

const etcd: Service = {
  name: 'etcd',
  version: VERSIONS.etcd,
  origin: ARTIFACTS.etcd.origin,
  after: [],
  ports: ['etcd', 'etcdPeer'],
  internalPorts: ['etcdPeer'],
  startTimeoutMs: 30_000,
  command: (ctx) => {
    const client = `http://${ctx.host}:${ctx.ports.etcd}`;
    const peer = `http://${ctx.host}:${ctx.ports.etcdPeer}`;
    return {
      cmd: bin(ARTIFACTS.etcd, 'etcd'),
      args: [
        '--name=default',
        `--data-dir=${dataDir('etcd')}`,
        `--listen-client-urls=${client}`,
        `--advertise-client-urls=${client}`,
        `--listen-peer-urls=${peer}`,
        `--initial-advertise-peer-urls=${peer}`,
        `--initial-cluster=default=${peer}`,
        '--unsafe-no-fsync',
        '--log-level=warn',
      ],
    };
  },
  ready: (ctx) => httpOk(`http://${ctx.host}:${ctx.ports.etcd}/health`),
  address: (ctx) => `http://${ctx.host}:${ctx.ports.etcd}`,
};

const apiserver: Service = {
  name: 'kube-apiserver',
  version: VERSIONS.kubernetes,
  origin: k8s.origin,
  after: ['etcd'],
  ports: ['apiserver'],
  startTimeoutMs: 90_000,
  command: (ctx) => ({
    cmd: bin(k8s, 'kube-apiserver'),
    args: [
      `--etcd-servers=http://${ctx.host}:${ctx.ports.etcd}`,
      `--secure-port=${ctx.ports.apiserver}`,
      `--bind-address=${bindHost(ctx)}`,
      `--advertise-address=${podHost(ctx)}`,
      '--endpoint-reconciler-type=none',
      `--tls-cert-file=${ctx.pki.servingCert}`,
      `--tls-private-key-file=${ctx.pki.servingKey}`,
      `--client-ca-file=${ctx.pki.caCert}`,
      '--service-cluster-ip-range=10.0.0.0/24',
      '--authorization-mode=Node,RBAC',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${ctx.pki.saPub}`,
      `--service-account-signing-key-file=${ctx.pki.saKey}`,
      '--allow-privileged=true',
      `--cert-dir=${dataDir('kube-apiserver')}`,
      '--kubelet-preferred-address-types=InternalIP,Hostname',
      // For logs and exec on the real node: the kubelet trusts our CA and asks us whether admin may.
      `--kubelet-client-certificate=${ctx.pki.adminCert}`,
      `--kubelet-client-key=${ctx.pki.adminKey}`,
    ],
  }),
  ready: (ctx) => httpOk(`${apiserverUrl(ctx)}/readyz`, adminTls(ctx)),
  address: apiserverUrl,
  exports: (ctx) => ({ KUBE_APISERVER: apiserverUrl(ctx), KUBECONFIG: stackPaths.kubeconfig }),
};

const componentKubeconfigArgs = ['kubeconfig', 'authentication-kubeconfig', 'authorization-kubeconfig'].map(
  (flag) => `--${flag}=${stackPaths.kubeconfig}`,
);

const controllerManager: Service = {
  name: 'kube-controller-manager',
  version: VERSIONS.kubernetes,
  origin: k8s.origin,
  after: ['kube-apiserver'],
  ports: ['controllerManager'],
  startTimeoutMs: 60_000,
  command: (ctx) => ({
    cmd: bin(k8s, 'kube-controller-manager'),
    args: [
      ...componentKubeconfigArgs,
      '--leader-elect=false',
      '--controllers=*',
      `--service-account-private-key-file=${ctx.pki.saKey}`,
      `--root-ca-file=${ctx.pki.caCert}`,
      `--cluster-signing-cert-file=${ctx.pki.caCert}`,
      `--cluster-signing-key-file=${ctx.pki.caKey}`,
      '--use-service-account-credentials',
      '--service-cluster-ip-range=10.0.0.0/24',
      `--secure-port=${ctx.ports.controllerManager}`,
      `--bind-address=${ctx.host}`,
      `--cert-dir=${dataDir('kube-controller-manager')}`,
    ],
  }),
  ready: (ctx) => componentHealthy(ctx, 'controllerManager'),
  address: (ctx) => `https://${ctx.host}:${ctx.ports.controllerManager}/healthz`,
};

const scheduler: Service = {
  name: 'kube-scheduler',
  version: VERSIONS.kubernetes,
  origin: k8s.origin,
  after: ['kube-apiserver'],
  ports: ['scheduler'],
  startTimeoutMs: 60_000,
  command: (ctx) => ({
    cmd: bin(k8s, 'kube-scheduler'),
    args: [
      ...componentKubeconfigArgs,
      '--leader-elect=false',
      `--secure-port=${ctx.ports.scheduler}`,
      `--bind-address=${ctx.host}`,
      `--cert-dir=${dataDir('kube-scheduler')}`,
    ],
  }),
  ready: (ctx) => componentHealthy(ctx, 'scheduler'),
  address: (ctx) => `https://${ctx.host}:${ctx.ports.scheduler}/healthz`,
};

export const KWOK_NODE = 'kwok-node-0';

const kwok: Service = {
  name: 'kwok',
  version: VERSIONS.kwok,
  origin: ARTIFACTS.kwok.origin,
  after: ['kube-apiserver'],
  ports: ['kwok'],
  startTimeoutMs: 60_000,
  command: (ctx) => ({
    cmd: bin(ARTIFACTS.kwok, 'kwok'),
    args: [
      `--kubeconfig=${stackPaths.kubeconfig}`,
      `--config=${join(ARTIFACTS.kwok.dir, 'stages.yaml')}`,
      '--manage-all-nodes=false',
      '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
      '--node-lease-duration-seconds=40',
      '--cidr=10.244.0.0/16',
      '--node-ip=10.244.0.1',
      `--server-address=${ctx.host}:${ctx.ports.kwok}`,
    ],
  }),
  ready: (ctx) => httpOk(`http://${ctx.host}:${ctx.ports.kwok}/healthz`),
  address: (ctx) => `http://${ctx.host}:${ctx.ports.kwok}`,
  exports: () => ({ KWOK_NODE }),
  afterReady: async (ctx) => {
    const node = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: KWOK_NODE,
        annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
        labels: {
          'kubernetes.io/hostname': KWOK_NODE,
          'kubernetes.io/os': 'linux',
          'kubernetes.io/arch': 'amd64',
          type: 'kwok',
        },
      },
      spec: { taints: [{ key: 'kwok.x-k8s.io/node', value: 'fake', effect: 'NoSchedule' }] },
    };
    const res = await kubeRequest(apiserverUrl(ctx), ctx.pki, 'POST', '/api/v1/nodes', node);
    if (res.status !== 201 && res.status !== 409) throw new Error(`creating the kwok node: ${res.status} ${res.body}`);
  },
};

const kafkaCp = () => `${join(ARTIFACTS.kafka.dir, 'libs')}/*`;
const kafkaProps = () => join(stackPaths.config, 'kafka.properties');
/** A Kafka JVM: C1 only for the one-shot tools (they start faster), both compilers for the broker (below). */
const java = (main: string, ...args: string[]) => ({
  cmd: 'java',
  args: [
    '-Xmx512m',
    '-Xms128m',
    '-XX:+UseSerialGC',
    ...(main === 'kafka.Kafka' ? [] : ['-XX:TieredStopAtLevel=1']),
    '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=${join(ARTIFACTS.kafka.dir, 'log4j2.properties')}`,
    `-Dkafka.logs.dir=${dataDir('kafka-app-logs')}`,
    '-cp',
    kafkaCp(),
    main,
    ...args,
  ],
});

const kafka: Service = {
  name: 'kafka',
  version: VERSIONS.kafka,
  origin: ARTIFACTS.kafka.origin,
  after: [],
  ports: ['kafka', 'kafkaController', 'kafkaPods'],
  internalPorts: ['kafkaController', 'kafkaPods'],
  startTimeoutMs: 90_000,
  prepare: async (ctx) => {
    const h = ctx.host;
    // Kafka hands clients the addresses it advertises: host tools get loopback (the relay's port), pods the node's.
    const pods = ctx.node ? `${ctx.node.address}:${ctx.ports.kafkaPods}` : undefined;
    writeFileSync(
      kafkaProps(),
      [
        'process.roles=broker,controller',
        'node.id=1',
        `controller.quorum.bootstrap.servers=${h}:${ctx.ports.kafkaController}`,
        `listeners=PLAINTEXT://${h}:${ctx.ports.kafka},CONTROLLER://${h}:${ctx.ports.kafkaController}${pods ? `,PODS://${pods}` : ''}`,
        `advertised.listeners=PLAINTEXT://${h}:${ctx.ports.kafka}${pods ? `,PODS://${pods}` : ''}`,
        'controller.listener.names=CONTROLLER',
        'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,PODS:PLAINTEXT',
        'inter.broker.listener.name=PLAINTEXT',
        `log.dirs=${dataDir('kafka')}`,
        'num.partitions=1',
        'offsets.topic.replication.factor=1',
        'offsets.topic.num.partitions=10',
        'transaction.state.log.replication.factor=1',
        'transaction.state.log.min.isr=1',
        'share.coordinator.state.topic.replication.factor=1',
        'share.coordinator.state.topic.min.isr=1',
        'group.initial.rebalance.delay.ms=0',
        'log.flush.interval.messages=9223372036854775807',
        'delete.topic.enable=true',
        '',
      ].join('\n'),
    );
    // A base64url id may start with '-', which kafka-storage's argument parser takes for an option (1 in 64 formats
    // failed so); Kafka's own Uuid.randomUuid draws again in that case, and so does this.
    let clusterId = randomBytes(16).toString('base64url');
    while (clusterId.startsWith('-')) clusterId = randomBytes(16).toString('base64url');
    const { cmd, args } = java(
      'kafka.tools.StorageTool',
      'format',
      '--standalone',
      '-t',
      clusterId,
      '-c',
      kafkaProps(),
    );
    await run(cmd, args);
  },
  command: () => java('kafka.Kafka', kafkaProps()),
  ready: (ctx) => kafkaAnswers(ctx.host, ctx.ports.kafka!),
  address: (ctx) => `${ctx.host}:${ctx.ports.kafka}`,
  exports: (ctx) => ({
    KAFKA_BROKERS: `${ctx.host}:${ctx.ports.kafka}`,
    ...(ctx.node ? { POD_KAFKA_BROKERS: `${ctx.node.address}:${ctx.ports.kafkaPods}` } : {}),
  }),
};

/**
 * A Redis of the stack. Two run: the feature state's (`REDIS_URL`) and the verdicts' (`VERDICT_REDIS_URL`: verdicts,
 * requests, score logs and histograms), because one Redis thread is the scorer's ceiling (scorer-image/README.md).
 */
const redisServer = (name: string, port: string, envName: string): Service => ({
  name,
  version: 'debian',
  origin: "Debian's redis-server",
  after: [],
  ports: [port],
  startTimeoutMs: 20_000,
  command: (ctx) => ({
    cmd: 'redis-server',
    args: [
      '--port',
      String(ctx.ports[port]),
      '--bind',
      bindHost(ctx),
      '--save',
      '',
      '--appendonly',
      'no',
      '--daemonize',
      'no',
      '--dir',
      dataDir(name),
      '--protected-mode',
      'no',
    ],
  }),
  ready: (ctx) => redisAnswers(ctx.host, ctx.ports[port]!),
  address: (ctx) => `redis://${ctx.host}:${ctx.ports[port]}`,
  exports: (ctx) => ({
    [envName]: `redis://${ctx.host}:${ctx.ports[port]}`,
    ...(ctx.node ? { [`POD_${envName}`]: `redis://${ctx.node.address}:${ctx.ports[port]}` } : {}),
  }),
});
const redis = redisServer('redis', 'redis', 'REDIS_URL');
const verdictRedis = redisServer('redis-verdicts', 'redisVerdicts', 'VERDICT_REDIS_URL');

const s3: Service = {
  name: 's3',
  version: VERSIONS.versitygw,
  origin: ARTIFACTS.versitygw.origin,
  after: [],
  ports: ['s3'],
  startTimeoutMs: 30_000,
  command: (ctx) => ({
    cmd: bin(ARTIFACTS.versitygw, 'versitygw'),
    args: ['--port', `${ctx.node ? '' : ctx.host}:${ctx.ports.s3}`, '--quiet', 'posix', dataDir('s3')],
    env: { ...process.env, ROOT_ACCESS_KEY: ctx.secrets.s3Access, ROOT_SECRET_KEY: ctx.secrets.s3Secret },
  }),
  // An unsigned request is refused with 403: the server is up and checking signatures.
  ready: (ctx) => httpOk(`http://${ctx.host}:${ctx.ports.s3}/`, {}, (status) => status === 403),
  address: (ctx) => `http://${ctx.host}:${ctx.ports.s3}`,
  exports: (ctx) => ({
    S3_ENDPOINT: `http://${ctx.host}:${ctx.ports.s3}`,
    S3_ACCESS_KEY_ID: ctx.secrets.s3Access!,
    S3_SECRET_ACCESS_KEY: ctx.secrets.s3Secret!,
    S3_REGION: 'us-east-1',
    ...(ctx.node ? { POD_S3_ENDPOINT: `http://${ctx.node.address}:${ctx.ports.s3}` } : {}),
  }),
};

export const SERVICES: Service[] = [
  etcd,
  apiserver,
  controllerManager,
  scheduler,
  kwok,
  kafka,
  redis,
  verdictRedis,
  s3,
];

export function ensureDirs(): void {
  for (const d of [stackPaths.logs, stackPaths.data, stackPaths.config, stackPaths.bin])
    mkdirSync(d, { recursive: true });
  for (const s of SERVICES) mkdirSync(dataDir(s.name), { recursive: true });
}

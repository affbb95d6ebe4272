import { createServer, type Server } from 'node:http';
import { S3Client } from '@aws-sdk/client-s3';
import { KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { FraudModel } from './api/v1alpha1/index.ts';
import { startEvidenceCollector } from './canary/evidence-collector.ts';
import { probeFrontier } from './canary/frontier-probe.ts';
import { canaryMetrics } from './canary/metrics.ts';
import { FIELD_MANAGER, LABELS } from './children/names.ts';
import type { OperatorConfig } from './config.ts';
import { CHILD_KINDS, type ChildKind, FraudModelReconciler, type TopicEnsurer } from './controllers/fraudmodel.ts';
import { TopicAdmin } from './kafka/topic-admin.ts';
import { EventRecorder } from './kube/events.ts';
import { Informer } from './kube/informer.ts';
import { LeaderElector } from './kube/leader-election.ts';
import { collectionPath, KINDS } from './kube/paths.ts';
import { childChangedByOthers, fraudModelChanged } from './kube/predicates.ts';
import { KubeRest } from './kube/rest.ts';
import { WorkQueue } from './kube/work-queue.ts';
import { ArtifactGate } from './rollout/artifact-gate.ts';
import { CanaryDriver, type ReplaySource, replayFromSpec } from './rollout/canary-driver.ts';
import type { RolloutDriver } from './rollout/driver.ts';
import { ReplayRunner } from './rollout/replay.ts';

export interface Operator {
  readonly port: number;
  readonly isLeader: boolean;
  close(): Promise<void>;
}

export interface OperatorOptions {
  config: OperatorConfig;
  log: Logger;
  kubeConfig?: KubeConfig;
  /** Overrides for tests and for other evidence sources. */
  rollout?: RolloutDriver;
  topics?: TopicEnsurer & { close(): Promise<void> };
  replay?: ReplaySource;
  /** Called when leadership is lost; main exits so the Deployment starts a fresh candidate. */
  onLostLeadership?: () => void;
}

const ownerKey = (obj: KubernetesObject): string | undefined => {
  const ref = obj.metadata?.ownerReferences?.find((o) => o.controller && o.kind === KINDS.FraudModel.kind);
  return ref ? `${obj.metadata?.namespace}/${ref.name}` : undefined;
};

/** Builds the operator: informers, work queue, reconciler, leader election, health and metrics. No side effects until start. */
export async function startOperator(options: OperatorOptions): Promise<Operator> {
  const { config, log } = options;
  const kc = options.kubeConfig ?? new KubeConfig();
  if (!options.kubeConfig) kc.loadFromDefault();
  const rest = new KubeRest(kc);
  const ns = config.watchNamespace || undefined;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const metrics = canaryMetrics(registry);

  const models = new Informer<FraudModel>(
    rest,
    collectionPath(KINDS.FraudModel, ns),
    log.child({ informer: 'fraudmodels' }),
  );
  const selector = `${LABELS.managedBy}=fraud-operator`;
  const children = Object.fromEntries(
    CHILD_KINDS.map((kind) => [
      kind,
      new Informer<KubernetesObject>(rest, collectionPath(KINDS[kind], ns), log.child({ informer: kind }), {
        labelSelector: selector,
      }),
    ]),
  ) as Record<ChildKind, Informer<KubernetesObject>>;

  const topics = options.topics ?? new TopicAdmin(config.kafkaBrokers, log.child({ part: 'kafka' }));
  const s3 = new S3Client({
    endpoint: config.s3.endpoint,
    region: config.s3.region,
    forcePathStyle: true,
    credentials: { accessKeyId: config.s3.accessKeyId, secretAccessKey: config.s3.secretAccessKey },
  });
  const rollout =
    options.rollout ??
    new CanaryDriver({
      gate: new ArtifactGate(s3),
      replay: options.replay ?? replayFromSpec(new ReplayRunner(s3, log.child({ part: 'replay' }))),
      ...(config.rolloutPolicy ? { policy: config.rolloutPolicy } : {}),
      log: log.child({ part: 'rollout' }),
      probeFrontier: (topic) =>
        probeFrontier({ brokers: config.kafkaBrokers, clientId: 'fraud-operator.frontier', topic }),
      openWindow: ({ key, stableVersion, canaryVersion, topics: t, scoresSince }) =>
        startEvidenceCollector({
          brokers: config.kafkaBrokers,
          clientId: `fraud-operator.canary.${key.replace('/', '.')}`,
          stableVersion,
          canaryVersion,
          topics: t,
          labelDelayMs: config.labelDelayMs,
          scoresSince,
        }),
    });
  const reconciler = new FraudModelReconciler({
    rest,
    children,
    topics,
    rollout,
    events: new EventRecorder(rest, 'fraud.payments.dev/operator', config.identity, log.child({ part: 'events' })),
    defaults: { image: config.scorerImage, imagePullPolicy: config.scorerImagePullPolicy },
    log,
    rolloutPollMs: config.rolloutPollMs,
    onDecision: (owner, d) => metrics.recordDecision(owner, d),
  });

  let leading = false;
  const reconciles = new Counter({
    name: 'fraudmodel_reconcile_total',
    help: 'Reconciles of FraudModels, by result (ok or error).',
    labelNames: ['result'],
    registers: [registry],
  });
  const reconcileSeconds = new Histogram({
    name: 'fraudmodel_reconcile_duration_seconds',
    help: 'Time one reconcile took, from the read of the FraudModel to its status write.',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const queue = new WorkQueue({
    workers: config.workers,
    handler: async (key) => {
      const stop = reconcileSeconds.startTimer();
      try {
        const result = await reconciler.reconcile(key);
        reconciles.inc({ result: 'ok' });
        return result;
      } catch (err) {
        reconciles.inc({ result: 'error' });
        throw err;
      } finally {
        stop();
      }
    },
    onError: (key, err, retryInMs) => log.warn({ key, err, retryInMs }, 'reconcile failed'),
  });
  new Gauge({
    name: 'fraudmodel_workqueue_depth',
    help: 'Keys waiting in the work queue.',
    registers: [registry],
    collect() {
      this.set(queue.length);
    },
  });
  new Gauge({
    name: 'fraud_operator_leader',
    help: '1 while this replica holds the leader Lease.',
    registers: [registry],
    collect() {
      this.set(leading ? 1 : 0);
    },
  });
  const enqueue = (key: string | undefined) => {
    if (leading && key) queue.add(key);
  };
  models.on((event, obj, old) => {
    if (event !== 'modified' || fraudModelChanged(old, obj))
      enqueue(`${obj.metadata?.namespace}/${obj.metadata?.name}`);
  });
  for (const informer of Object.values(children))
    informer.on((event, obj, old) => {
      if (event !== 'modified' || childChangedByOthers(old, obj, FIELD_MANAGER)) enqueue(ownerKey(obj));
    });
  const enqueueAll = () => {
    for (const m of models.list()) enqueue(`${m.metadata?.namespace}/${m.metadata?.name}`);
  };
  const resync = setInterval(enqueueAll, config.resyncMs);
  resync.unref();

  const elector = new LeaderElector(
    rest,
    {
      namespace: config.leaseNamespace,
      name: config.leaseName,
      identity: config.identity,
      leaseDurationSeconds: config.leaseDurationSeconds,
      renewDeadlineMs: config.renewDeadlineMs,
      retryPeriodMs: config.retryPeriodMs,
    },
    log,
    {
      onStartedLeading: () => {
        void Promise.all([models.hasSynced(), ...Object.values(children).map((i) => i.hasSynced())]).then(() => {
          leading = true;
          enqueueAll();
        });
      },
      onStoppedLeading: () => {
        leading = false;
        options.onLostLeadership?.();
      },
    },
  );

  const server: Server = createServer((req, res) => {
    if (req.url === '/healthz') res.writeHead(200).end('ok');
    else if (req.url === '/readyz') res.writeHead(200).end(leading ? 'leader' : 'standby');
    else if (req.url === '/metrics') {
      void registry.metrics().then((text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text));
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(config.port, '0.0.0.0', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;

  models.start();
  for (const informer of Object.values(children)) informer.start();
  elector.start();
  log.info({ identity: config.identity, watchNamespace: config.watchNamespace || '(all)', port }, 'operator started');

  return {
    port,
    get isLeader() {
      return leading;
    },
    async close() {
      clearInterval(resync);
      leading = false;
      await queue.shutdown();
      await elector.release();
      models.stop();
      for (const informer of Object.values(children)) informer.stop();
      await rollout.close();
      await topics.close();
      s3.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

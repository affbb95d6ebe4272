// End to end on the real node: a FraudModel runs as real scorer pods; simulated transactions stream through Kafka
// in compressed time (a simulated day every 4 s) with their fraud labels 7 days of event time later. Changing the
// spec to a better model canaries it on that live traffic and promotes it; changing it to a degraded one rolls it
// back. Every transaction gets exactly one authoritative verdict throughout, counted on the verdicts topic.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FEATURE_SETS } from '@fraud-operator/features';
import { streamToKafka } from '@fraud-operator/fraudctl/stream-to-kafka';
import { openProducer, type Producer } from '@fraud-operator/kafka/producer';
import { HANDBOOK, resolveConfig, simulate } from '@fraud-operator/simulator';
import { writeTransactions } from '@fraud-operator/transactions';
import type { Consumer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FraudModel } from '../src/api/v1alpha1/index.ts';
import {
  admin,
  applyCrd,
  cleanUp,
  createNamespace,
  createScorerRuntimeSecret,
  deleteTopicsWithPrefix,
  env,
  eventually,
  fmPath,
  fraudModel,
  getModel,
  kafka,
  type OperatorProcess,
  putObject,
  removeBucket,
  spawnOperator,
  uid,
  uploadModel,
} from './helpers.ts';

const hasNode = Boolean(env.STACK_NODE && env.SCORER_IMAGE && env.POD_REDIS_URL && env.POD_S3_ENDPOINT);
const ns = uid('op-e2e');
const DAY = 86_400_000;
/** Simulated days per wall-clock minute: a day every 4 s, so the 7-day label delay is 28 s of wall clock. */
const SPEED = 15;
/**
 * Event-time leads for the compressed clock: a weight change is scheduled 3 simulated days (12 s) ahead of the
 * fastest scorer, longer than a ConfigMap takes to reach the pods (the stack's kubelet syncs every 5 s).
 */
const POLICY = { leadMs: 3 * DAY, horizonMs: 6 * DAY, drainMarginMs: DAY, resamples: 1000 };
const POPULATION = { customers: 1000, terminals: 2000 };

const names = FEATURE_SETS.handbook;
const linear = (weights: Record<string, number>) => names.map((n) => weights[n] ?? 0);
/** The baseline ranks by amount alone (the Handbook's scenario 1). */
const BASELINE = linear({ TX_AMOUNT: 0.01 });
/** The better model also sees compromised terminals through their delayed-label fraud risk. */
const BETTER = linear({
  TX_AMOUNT: 0.01,
  TERMINAL_ID_RISK_1DAY_WINDOW: 1,
  TERMINAL_ID_RISK_7DAY_WINDOW: 3,
  TERMINAL_ID_RISK_30DAY_WINDOW: 3,
  CUSTOMER_ID_AVG_AMOUNT_1DAY_WINDOW: 0.005,
  CUSTOMER_ID_AVG_AMOUNT_30DAY_WINDOW: -0.005,
});
/** The degraded one has the terminal risk the wrong way round, as a sign error in a feature pipeline would. */
const DEGRADED = linear({ TX_AMOUNT: 0.01, TERMINAL_ID_RISK_7DAY_WINDOW: -3, TERMINAL_ID_RISK_30DAY_WINDOW: -3 });

interface Verdict {
  txId: string;
  modelVersion: string;
}

let operator: OperatorProcess;
let producer: Producer;
let consumer: Consumer;
const verdicts = new Map<string, number>();
const byVersion = new Map<string, number>();
const stream = {
  controller: new AbortController(),
  sent: 0,
  labels: 0,
  done: undefined as Promise<unknown> | undefined,
};

const spec = (version: string, model: { uri: string; sha256: string; featureCount: number }, replay: boolean) =>
  fraudModel(
    'card-fraud',
    ns,
    { ...model, version },
    {
      scaling: { minReplicas: 1, maxReplicas: 1 },
      scorer: {
        nodeSelector: { 'kubernetes.io/hostname': env.STACK_NODE! },
        runtimeSecret: 'scorer-runtime',
        imagePullPolicy: 'Never',
        cpuRequest: '50m',
      },
      rollout: {
        steps: [50, 100],
        analysisWindowMinutes: 24 * 60,
        minLabelledFrauds: 30,
        maxPrAucLoss: 0.02,
        maxFailedChecks: 2,
        stepDeadlineMinutes: 10,
        ...(replay ? { replay: { uri: `s3://${ns}/history.arrow` } } : {}),
      },
    },
  ).spec;

async function until(what: string, ok: (fm: FraudModel) => boolean, ms: number): Promise<FraudModel> {
  return eventually(
    what,
    async () => {
      const fm = await getModel(ns, 'card-fraud');
      return ok(fm) ? fm : undefined;
    },
    ms,
  ).catch(async (err) => {
    const fm = await getModel(ns, 'card-fraud').catch(() => undefined);
    throw new Error(
      `${err}\nstatus: ${JSON.stringify(fm?.status?.rollout)}\nhistory: ${JSON.stringify(fm?.status?.history?.slice(-5))}\n${operator.logs().slice(-3000)}`,
    );
  });
}

const transcript = (fm: FraudModel, since: number) =>
  (fm.status?.history ?? [])
    .filter((h) => Date.parse(h.time) >= since && h.decision !== 'hold')
    .map((h) => {
      const ap =
        h.apCanary === undefined
          ? ''
          : ` AP canary ${h.apCanary.toFixed(3)} vs stable ${h.apStable?.toFixed(3)}, Δ CI [${h.ciLow?.toFixed(3)}, ${h.ciHigh?.toFixed(3)}], ${h.frauds}/${h.labelled} frauds`;
      return `  ${h.time} ${h.version} ${h.decision} ${h.reason} weight=${h.weight ?? '-'}${ap}`;
    })
    .join('\n');

describe.skipIf(!hasNode)('canary end to end on the real node, live traffic with delayed labels', () => {
  beforeAll(async () => {
    await applyCrd();
    await createNamespace(ns);
    await createScorerRuntimeSecret(ns);
    // Last quarter's labelled history for the gate's offline replay: same population, another seed.
    const dir = mkdtempSync(join(tmpdir(), 'op-e2e-'));
    const file = join(dir, 'history.arrow');
    await writeTransactions(file, [...simulate(resolveConfig(HANDBOOK, { ...POPULATION, days: 30 }), 3)]);
    await putObject(ns, 'history.arrow', readFileSync(file));
    rmSync(dir, { recursive: true, force: true });
    operator = spawnOperator({
      namespace: ns,
      identity: `${ns}-op`,
      // The default lease timings: the helpers' 3 s renew deadline makes a starved leader exit mid-rollout.
      extraEnv: {
        ROLLOUT_POLICY: JSON.stringify(POLICY),
        LEASE_DURATION_SECONDS: '15',
        LEASE_RENEW_DEADLINE_MS: '10000',
        LEASE_RETRY_PERIOD_MS: '2000',
      },
    });
    producer = await openProducer({ brokers: env.KAFKA_BROKERS.split(','), clientId: `${ns}-stream` });
  }, 120_000);

  afterAll(async () => {
    stream.controller.abort();
    await stream.done?.catch(() => undefined);
    await consumer?.disconnect().catch(() => undefined);
    await producer?.close().catch(() => undefined);
    await cleanUp(ns, [operator]);
    await deleteTopicsWithPrefix(ns);
    await removeBucket(ns, ['history.arrow', 'v1.onnx', 'v2.onnx', 'v3.onnx']);
  }, 120_000);

  it('runs the baseline on real scorer pods and scores the live stream', async () => {
    const v1 = await uploadModel(ns, 'v1.onnx', BASELINE);
    await admin.create(`/apis/fraud.payments.dev/v1alpha1/namespaces/${ns}/fraudmodels`, {
      ...fraudModel('card-fraud', ns, v1),
      spec: spec('v1', v1, true),
    });
    const fm = await until('v1 Ready', (m) => m.status?.fleets?.[0]?.readyReplicas === 1, 120_000);
    expect(fm.status?.stableVersion).toBe('v1');

    const topics = fm.spec.kafka.topics;
    consumer = kafka.consumer({ groupId: `${ns}-count` });
    await consumer.connect();
    await consumer.subscribe({ topic: topics.verdicts, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const v = JSON.parse(message.value!.toString()) as Verdict;
        verdicts.set(v.txId, (verdicts.get(v.txId) ?? 0) + 1);
        byVersion.set(v.modelVersion, (byVersion.get(v.modelVersion) ?? 0) + 1);
      },
    });
    const live = simulate(resolveConfig(HANDBOOK, { ...POPULATION, days: 365 }), 11);
    stream.done = streamToKafka(live, {
      producer,
      transactionsTopic: topics.input,
      labelsTopic: topics.labels,
      labelDelayMs: 7 * DAY,
      rate: 2000,
      speed: SPEED,
      signal: stream.controller.signal,
      onSent: ({ transactions, labels }) => {
        stream.sent = transactions;
        stream.labels = labels;
      },
    });
    await eventually('v1 verdicts', async () => ((byVersion.get('v1') ?? 0) > 1000 ? true : undefined), 60_000);
  }, 200_000);

  it('canaries the better model on live labelled traffic and promotes it', async () => {
    const v2 = await uploadModel(ns, 'v2.onnx', BETTER);
    const since = Date.now();
    await admin.mergePatch(fmPath(ns, 'card-fraud'), { spec: { model: spec('v2', v2, true).model } });
    const fm = await until(
      'v2 promoted',
      (m) => m.status?.stableVersion === 'v2' && m.status.rollout?.phase === 'Promoted',
      360_000,
    );
    console.log(`promotion of v2 (${Math.round((Date.now() - since) / 1000)} s):\n${transcript(fm, since)}`);
    const decided = (fm.status?.history ?? []).filter((h) => Date.parse(h.time) >= since).map((h) => h.decision);
    expect(decided).toContain('gate-passed');
    expect(decided.filter((d) => d === 'promote-step').length).toBeGreaterThanOrEqual(1);
    expect(decided).toContain('promoted');
    const check = fm.status?.history?.findLast((h) => h.decision === 'promote');
    expect(check?.apCanary).toBeGreaterThan(check?.apStable ?? 1);
    await until('the v1 fleet retired', (m) => m.status?.fleets?.length === 1, 120_000);
    expect(byVersion.get('v2') ?? 0).toBeGreaterThan(0);
  }, 520_000);

  it('rolls the degraded model back on live evidence, before it has any authority', async () => {
    const v3 = await uploadModel(ns, 'v3.onnx', DEGRADED);
    const since = Date.now();
    // No replay this time: the live shadow comparison is the only judge.
    await admin.mergePatch(fmPath(ns, 'card-fraud'), {
      spec: { model: spec('v3', v3, false).model, rollout: { replay: null } },
    });
    const fm = await until(
      'v3 rolled back',
      (m) => m.status?.rollout?.version === 'v3' && m.status.rollout.phase === 'RolledBack',
      360_000,
    );
    console.log(`rollback of v3 (${Math.round((Date.now() - since) / 1000)} s):\n${transcript(fm, since)}`);
    const history = (fm.status?.history ?? []).filter((h) => Date.parse(h.time) >= since);
    const failed = history.filter((h) => h.decision === 'failed-check');
    expect(failed.length).toBe(2);
    for (const f of failed) expect(f.ciHigh).toBeLessThan(-0.02);
    expect(fm.status?.stableVersion).toBe('v2');
    expect(fm.status?.conditions?.find((c) => c.type === 'Degraded')).toMatchObject({ reason: 'RolledBack' });
    await until('only the v2 fleet', (m) => m.status?.fleets?.length === 1, 120_000);
    expect(byVersion.get('v3') ?? 0).toBe(0);
  }, 520_000);

  it('gave every streamed transaction exactly one authoritative verdict', async () => {
    stream.controller.abort();
    await stream.done;
    const sent = stream.sent;
    await eventually(
      `verdicts for all ${sent} transactions`,
      async () => (verdicts.size >= sent ? true : undefined),
      120_000,
    );
    const duplicated = [...verdicts.values()].filter((n) => n > 1).length;
    console.log(
      `${sent} transactions, ${stream.labels} labels; verdicts by version: ${JSON.stringify(Object.fromEntries(byVersion))}`,
    );
    expect(duplicated).toBe(0);
    expect(verdicts.size).toBe(sent);
  }, 180_000);
});

#!/usr/bin/env node
// npm run demo: the whole system on real local parts. The stack with its real node, the images, the Helm chart,
// three trained model versions, one FraudModel, and simulated card traffic with delayed fraud labels in compressed
// time; the better version is canaried and promoted, the degraded one rolled back; then a report and a teardown.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { streamToKafka } from '@fraud-operator/fraudctl/stream-to-kafka';
import { openProducer } from '@fraud-operator/kafka/producer';
import { createTopicsAndWait } from '@fraud-operator/kafka/topics';
import { DEMO_RUN_FORMAT, type DemoRun, renderReport } from '@fraud-operator/report';
import { HANDBOOK, resolveConfig, simulate } from '@fraud-operator/simulator';
import { loadStackEnv, REPO_ROOT } from '@fraud-operator/stack/env';
import { CACHE_DIR } from '@fraud-operator/stack/paths';
import { s3FromEnvOrStack } from '@fraud-operator/training';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { demoFraudModel, modelSpec, topicsFor } from './fraud-model.ts';
import { holdoutCurves } from './holdout.ts';
import {
  ARCHIVE_BUCKET,
  demoValues,
  FULLNAME,
  installChart,
  NAMESPACE,
  RELEASE,
  removeDemo,
  tools,
} from './install.ts';
import { clearLiveQuality, liveQualityLines } from './live-quality.ts';
import { ensureModels, ensureReplayHistory } from './models.ts';
import { type ModelStatus, Monitor } from './monitor.ts';
import { renderFrame } from './screen.ts';
import { resolveSettings, rolloutPolicy } from './settings.ts';

const usage = `usage: npm run demo [-- --keep] [--out DIR] [--models DIR] [--speed DAYS_PER_MIN] [--rate TX_PER_S]

Brings up the local stack with its real node (building what is missing), builds the images, installs the Helm
chart, trains (once) or loads three model versions, applies a FraudModel and streams simulated transactions with
7-day-late fraud labels at --speed simulated days per minute (default 12). Live: kubectl get fraudmodels, throughput,
lag and the operator's decisions while the better version is canaried and promoted and the degraded one rolled back.
Writes DIR/report.html and DIR/run.json (default DIR: .demo), then removes what it installed and stops the stack it
started; --keep leaves everything up and prints the commands to look around.
  --models DIR   where the trained versions are kept (default: the cache, outside the repo)`;

const { values } = parseArgs({
  strict: true,
  options: {
    keep: { type: 'boolean' },
    out: { type: 'string' },
    models: { type: 'string' },
    speed: { type: 'string' },
    rate: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const settings = resolveSettings({ speed: values.speed, rate: values.rate });
const outDir = values.out ?? join(REPO_ROOT, '.demo');
/** Trained versions are kept per revision of what makes them: a change to the simulator, features or training retrains. */
const recipeRevision = (): string => {
  const trees = ['packages/simulator', 'packages/features', 'packages/training'].map(
    (p) => spawnSync('git', ['rev-parse', `HEAD:${p}`], { cwd: REPO_ROOT, encoding: 'utf8' }).stdout.trim() || p,
  );
  return createHash('sha256').update(trees.join('\n')).digest('hex').slice(0, 12);
};
const modelsDir = values.models ?? join(CACHE_DIR, 'demo-models', recipeRevision());
const started = Date.now();
const say = (m: string) => process.stderr.write(`[demo ${Math.round((Date.now() - started) / 1000)}s] ${m}\n`);
const stackCli = (...args: string[]) =>
  spawnSync(process.execPath, [join(REPO_ROOT, 'packages/stack/src/cli.ts'), ...args], { stdio: 'inherit' }).status;

const wasUp = spawnSync(process.execPath, [join(REPO_ROOT, 'packages/stack/src/cli.ts'), 'status'], {
  stdio: 'ignore',
}).status;
say('1/7 the stack with its real node: npm run stack -- up');
if (stackCli('up') !== 0) throw new Error('npm run stack -- up failed');
say('2/7 the images: npm run stack -- images');
if (stackCli('images') !== 0) throw new Error('npm run stack -- images failed');
const env = loadStackEnv();
const t = tools(env);
const s3 = s3FromEnvOrStack();

say('3/7 three model versions');
const models = await ensureModels(s3, modelsDir, say);
const [baseline, best, degraded] = models as [(typeof models)[0], (typeof models)[0], (typeof models)[0]];
const replayUri = await ensureReplayHistory(s3, modelsDir);
for (const m of models) say(`  ${m.version}: protocol AP ${m.card.metrics.ap.mean.toFixed(3)} (${m.role})`);

const run = `demo-${Date.now().toString(36)}`;
const topics = topicsFor(run);
const brokers = env.KAFKA_BROKERS.split(',');
const kafka = new Kafka({ clientId: 'fraud-demo', brokers, logLevel: logLevel.NOTHING });
const admin = kafka.admin();
let teardownNeeded = true;

async function teardown(): Promise<void> {
  say('teardown: the FraudModel (its topics go with it), the chart, the namespace');
  removeDemo(t, say);
  if (wasUp !== 0) {
    say('teardown: the stack was not up before the demo: npm run stack -- down');
    stackCli('down');
  }
}

// the score histograms, which the scorers keep beside the verdicts
const redis = new Redis(env.VERDICT_REDIS_URL, { lazyConnect: true });
const monitor = new Monitor(brokers, {
  verdictsTopic: topics.verdicts,
  inputTopic: topics.input,
  groupOf: (version) => `${NAMESPACE}.card-fraud.${version}`,
});
const stream = new AbortController();
let streaming: Promise<unknown> | undefined;
let stage = 'starting';
let firstEventTime: number | undefined;
let lastEventTime: number | undefined;
let status: ModelStatus | undefined;
let ui: NodeJS.Timeout | undefined;

try {
  say(`4/7 the chart (operator, API, archiver) into namespace ${NAMESPACE}, topics ${run}.*`);
  await admin.connect();
  await redis.connect();
  await clearLiveQuality(
    redis,
    models.map((m) => m.version),
  );
  await createTopicsAndWait(admin, {
    topics: [topics.input, topics.verdicts, topics.labels, topics.deadLetters].map((topic) => ({
      topic,
      numPartitions: settings.partitions,
    })),
  });
  await s3.send(new CreateBucketCommand({ Bucket: ARCHIVE_BUCKET })).catch(() => undefined);
  installChart(t, await demoValues(env, run, topics, rolloutPolicy(settings.speed)), say);

  say(`5/7 FraudModel card-fraud at ${baseline.version}`);
  const fmOptions = {
    name: 'card-fraud',
    node: env.STACK_NODE!,
    topics,
    settings,
    bootstrapSecret: `${FULLNAME}-kafka`,
    runtimeSecret: `${FULLNAME}-scorer-runtime`,
  };
  t.kubectl(['apply', '-n', NAMESPACE, '-f', '-'], JSON.stringify(demoFraudModel(baseline, fmOptions)));
  const readStatus = (): ModelStatus | undefined => {
    try {
      return JSON.parse(t.kubectl(['get', 'fraudmodel', 'card-fraud', '-n', NAMESPACE, '-o', 'json'])).status;
    } catch {
      return undefined;
    }
  };
  const waitFor = async (what: string, ok: (s: ModelStatus) => boolean, ms: number) => {
    const deadline = Date.now() + ms;
    for (;;) {
      status = readStatus();
      if (status && ok(status)) return status;
      if (Date.now() > deadline) throw new Error(`timed out after ${ms / 1000} s waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  };
  await waitFor(
    'the baseline scorer to be Ready',
    (s) => s.stableVersion === baseline.version && (s.fleets?.[0]?.readyReplicas ?? 0) >= 1,
    180_000,
  );

  say(`6/7 streaming: ${settings.speed} simulated days per minute, fraud labels 7 days late`);
  await monitor.start(`${run}.demo-count`);
  const producer = await openProducer({ brokers, clientId: `${run}-simulator` });
  const live = simulate(
    resolveConfig(HANDBOOK, { customers: settings.customers, terminals: settings.terminals, days: 365 }),
    settings.seed,
  );
  streaming = streamToKafka(live, {
    producer,
    transactionsTopic: topics.input,
    labelsTopic: topics.labels,
    labelDelayMs: settings.labelDelayMs,
    rate: settings.rate,
    speed: settings.speed,
    signal: stream.signal,
    onSent: ({ transactions, labels, eventTime }) => {
      firstEventTime ??= eventTime;
      lastEventTime = eventTime;
      monitor.transactions = transactions;
      monitor.labels = labels;
    },
  }).finally(() => producer.close());
  const tty = process.stdout.isTTY;
  let frames = 0;
  ui = setInterval(async () => {
    const sample = await monitor.sample(status).catch(() => null);
    frames += 1;
    if (!tty && frames % 5 !== 0) return;
    let table = '';
    try {
      table = t.kubectl(['get', 'fraudmodels', '-n', NAMESPACE]);
    } catch {}
    const frame = renderFrame(
      {
        elapsedMs: Date.now() - started,
        stage,
        fraudModels: table,
        sample,
        decisions: status?.history ?? [],
        totals: {
          transactions: monitor.transactions,
          labels: monitor.labels,
          verdicts: monitor.verdicts.size,
          duplicates: monitor.duplicates,
        },
      },
      process.stdout.columns ?? 120,
    );
    process.stdout.write(tty ? `\x1b[2J\x1b[H${frame}\n` : `${frame}\n\n`);
  }, 2000);

  const terminal = (version: string) => (s: ModelStatus) =>
    s.rollout?.version === version && ['Promoted', 'RolledBack', 'Refused'].includes(s.rollout.phase);
  stage = `${baseline.version} alone; ${best.version} comes in 20 s`;
  await new Promise((r) => setTimeout(r, 20_000));
  stage = `canarying ${best.version} against ${baseline.version} (gate replays labelled history first)`;
  const patch = (spec: object) =>
    t.kubectl(['patch', 'fraudmodel', 'card-fraud', '-n', NAMESPACE, '--type=merge', '-p', JSON.stringify({ spec })]);
  patch({ model: modelSpec(best), rollout: { replay: { uri: replayUri, maxTransactions: 300_000 } } });
  const afterBest = await waitFor(`the rollout of ${best.version} to end`, terminal(best.version), 15 * 60_000);
  stage = `${best.version}: ${afterBest.rollout?.phase}; ${degraded.version} comes in 10 s`;
  await new Promise((r) => setTimeout(r, 10_000));
  stage = `canarying ${degraded.version} against ${afterBest.stableVersion} (no replay: live shadow traffic judges)`;
  patch({ model: modelSpec(degraded), rollout: { replay: null } });
  const afterDegraded = await waitFor(
    `the rollout of ${degraded.version} to end`,
    terminal(degraded.version),
    10 * 60_000,
  );
  stage = `${degraded.version}: ${afterDegraded.rollout?.phase}; draining the stream`;
  stream.abort();
  await streaming;
  const sent = monitor.transactions;
  const deadline = Date.now() + 90_000;
  while (monitor.verdicts.size < sent && Date.now() < deadline) await new Promise((r) => setTimeout(r, 1000));
  clearInterval(ui);
  ui = undefined;
  await monitor.sample(readStatus()).catch(() => undefined);

  say('7/7 the report: every version on one labelled hold-out, then the run');
  const versions = await holdoutCurves(models, modelsDir);
  const final = readStatus();
  const record: DemoRun = {
    format: DEMO_RUN_FORMAT,
    title: 'fraud-operator demo',
    startedAt: new Date(started).toISOString(),
    endedAt: new Date().toISOString(),
    model: { namespace: NAMESPACE, name: 'card-fraud' },
    versions,
    samples: monitor.samples,
    decisions: final?.history ?? [],
  };
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'run.json'), `${JSON.stringify(record, null, 1)}\n`);
  writeFileSync(join(outDir, 'report.html.tmp'), renderReport(record));
  renameSync(join(outDir, 'report.html.tmp'), join(outDir, 'report.html'));

  const missing = sent - [...monitor.verdicts.keys()].length;
  const summary = [
    '',
    `fraud-operator demo: ${Math.round((Date.now() - started) / 1000)} s`,
    `  ${best.version}: ${afterBest.rollout?.phase} (${afterBest.history?.findLast((h) => h.version === best.version && h.decision !== 'hold')?.message ?? ''})`,
    `  ${degraded.version}: ${afterDegraded.rollout?.phase} (${afterDegraded.history?.findLast((h) => h.version === degraded.version && h.decision !== 'hold')?.message ?? ''})`,
    `  ${sent.toLocaleString('en-US')} transactions, ${monitor.labels.toLocaleString('en-US')} fraud labels; verdicts: ${monitor.verdicts.size.toLocaleString('en-US')}, ${monitor.duplicates} duplicated, ${missing} missing`,
    ...versions.map((v) => `  hold-out AP ${v.ap.toFixed(3)}  ${v.version} (${v.role})`),
    ...(firstEventTime !== undefined && lastEventTime !== undefined
      ? await liveQualityLines(redis, models, {
          fromTs: firstEventTime,
          toTs: lastEventTime - settings.labelDelayMs,
        })
      : []),
    `  report: ${join(outDir, 'report.html')}`,
  ];
  console.log(summary.join('\n'));
  if (values.keep) {
    teardownNeeded = false;
    console.log(
      [
        '',
        'left up (--keep). Look around:',
        `  export $(cat ${join(REPO_ROOT, '.stack/env')})`,
        `  kubectl get fraudmodels,deploy,hpa,pods -n ${NAMESPACE}`,
        `  kubectl describe fraudmodel card-fraud -n ${NAMESPACE}`,
        '  npm run stack -- shell      # inside the node: pod IPs, crictl',
        `  helm uninstall ${RELEASE} -n ${NAMESPACE}; npm run stack -- down      # when done`,
      ].join('\n'),
    );
  }
  process.exitCode = afterBest.rollout?.phase === 'Promoted' && afterDegraded.rollout?.phase !== 'Promoted' ? 0 : 1;
} catch (err) {
  say(`failed: ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  if (ui) clearInterval(ui);
  stream.abort();
  await streaming?.catch(() => undefined);
  await monitor.stop();
  await admin.disconnect().catch(() => undefined);
  redis.disconnect();
  if (teardownNeeded && !values.keep) await teardown();
  s3.destroy();
}

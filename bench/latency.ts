/**
 * Latency at the customer's load, 2,000 tx/s, through the real parts: a scorer process (scorer-image/src/main.ts)
 * and an API process (api-image/src/main.ts) against the stack's Kafka and Redis.
 * 1. Kafka → verdict: transactions produced at a steady 2,000 tx/s; latency from the send to the verdict's PUBLISH
 *    arriving (the API's own signal). The first seconds after the scorer's start (BENCH_WARMUP_SECONDS, default 3) are
 *    reported apart: its code is still being compiled and the queue that builds then takes ~0.5 s to drain, which
 *    alone made the p99 of 20 s. Also the scorer's peak RSS.
 * 2. `POST /v1/score` at a constant arrival rate of 2,000 req/s (an open model), each a new transaction: submit,
 *    Kafka, scorer, Redis, answer. Also the API's CPU and its own view of the latency. Last line: JSON.
 * With the real node in the stack, every process of the bench runs in the stack's network namespace, as pods reach
 * Kafka and Redis (`stack-network.ts`); `BENCH_VIA_RELAYS=1` keeps them on the host, through the relays.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { freePort } from '@fraud-operator/stack/ports';
import { deleteKeys } from '@fraud-operator/stack/redis-keys';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { generateSigningKey, mintToken, publicJwks } from '../api-image/src/token.ts';
import { createWorld, writeConfig } from '../scorer-image/test/harness.ts';
import { benchNetwork } from './stack-network.ts';

const RATE = Number(process.env.BENCH_RATE ?? 2000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const root = join(import.meta.dirname, '..');
const network = benchNetwork();
const world = await createWorld('bench-latency', 4);
// Verdicts in the stack's second Redis, as the chart can deploy them; BENCH_ONE_REDIS=1 keeps them beside the features.
const env = process.env.BENCH_ONE_REDIS ? { ...world.env, VERDICT_REDIS_URL: world.env.REDIS_URL } : world.env;
const children: ChildProcess[] = [];

function start(main: string, extra: NodeJS.ProcessEnv, nodeArgs: string[] = []): ChildProcess {
  const child = spawn(process.execPath, [...nodeArgs, join(root, main)], {
    env: { ...process.env, ...env, LOG_LEVEL: 'warn', ...extra },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  return child;
}

async function until(what: string, check: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`bench latency: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** CPU seconds (user + system) a process has used so far. */
const cpuSeconds = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
};
const rssMb = (pid: number) =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
const round = (x: number) => Math.round(x * 100) / 100;

const scorerPort = await freePort('127.0.0.1');
// The scorer runs with its image's node flags: the Dockerfile's ENTRYPOINT between `node` and the script.
const entrypoint = /^ENTRYPOINT (\[.*\])$/m.exec(readFileSync(join(root, 'scorer-image/Dockerfile'), 'utf8'))?.[1];
if (entrypoint === undefined) throw new Error('bench latency: no ENTRYPOINT in scorer-image/Dockerfile');
const scorerNodeFlags = (JSON.parse(entrypoint) as string[]).slice(1, -1);
const scorer = start(
  'scorer-image/src/main.ts',
  {
    SCORER_CONFIG: writeConfig(world, 'v1', 'primary'),
    SCORER_GROUP_ID: `${world.id}-scorer`,
    FEATURE_KEY_PREFIX: `${world.id}:features:`,
    HOST: '127.0.0.1',
    PORT: String(scorerPort),
  },
  scorerNodeFlags,
);
await until('the scorer to be ready', async () => (await fetch(`http://127.0.0.1:${scorerPort}/readyz`)).ok);
let peakScorerRss = 0;
const sampler = setInterval(() => {
  peakScorerRss = Math.max(peakScorerRss, rssMb(scorer.pid!));
}, 500);

// 1. Kafka → verdict at a steady rate, sent in 10 ms ticks.
const sub = new Redis(env.VERDICT_REDIS_URL);
const sentAt = new Map<string, number>();
const warmupTotal = RATE * WARMUP_SECONDS;
const warmupLatencies: number[] = [];
const latencies: number[] = [];
await sub.psubscribe(`verdicts:${world.id}-k-*`);
sub.on('pmessage', (_p, channel: string) => {
  const txId = channel.slice('verdicts:'.length);
  const sent = sentAt.get(txId);
  if (sent === undefined) return;
  const n = Number(txId.slice(txId.lastIndexOf('-') + 1));
  (n < warmupTotal ? warmupLatencies : latencies).push(performance.now() - sent);
});
const kafka = new Kafka({ clientId: world.id, brokers: env.KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING });
const producer = kafka.producer();
await producer.connect();
const perTick = RATE / 100;
const total = RATE * SECONDS;
const t0 = performance.now();
let measuredFrom: number | undefined;
for (let i = 0; i < warmupTotal + total; i += perTick) {
  if (i >= warmupTotal) measuredFrom ??= performance.now();
  const due = t0 + (i / RATE) * 1000;
  const wait = due - performance.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  const batch = Array.from({ length: perTick }, (_, k) => {
    const n = i + k;
    return {
      txId: `${world.id}-k-${n}`,
      ts: Date.UTC(2026, 0, 1) + n,
      customerId: `c${n % 997}`,
      terminalId: `t${n % 101}`,
      amount: (n % 500) + 0.5,
    };
  });
  const now = performance.now();
  for (const tx of batch) sentAt.set(tx.txId, now);
  void producer.send({
    topic: world.topics.transactions,
    messages: batch.map((tx) => ({ key: tx.customerId, value: JSON.stringify(tx) })),
  });
}
const achievedRate = Math.round(total / ((performance.now() - (measuredFrom ?? t0)) / 1000));
await until(
  `${warmupTotal + total} verdicts`,
  async () => warmupLatencies.length + latencies.length >= warmupTotal + total,
  60_000,
).catch(() => undefined);
const kafkaLost = warmupTotal + total - warmupLatencies.length - latencies.length;
latencies.sort((a, b) => a - b);
warmupLatencies.sort((a, b) => a - b);
await sub.quit();
await producer.disconnect();
// Where the scorer's time went per batch (its scorer_stage_ms histogram): mean ms per step, and the mean batch size.
const scorerMetrics = await (await fetch(`http://127.0.0.1:${scorerPort}/metrics`)).text();
const meanOf = (series: string) => {
  const value = (suffix: string) =>
    Number(
      new RegExp(`^${series.replace('{', `${suffix}{`).replace(/[{}]/g, '\\$&')} (\\S+)$`, 'm').exec(
        scorerMetrics,
      )?.[1],
    );
  return round(value('_sum') / value('_count'));
};
const gauge = (series: string) =>
  Number(new RegExp(`^${series.replace(/[{}]/g, '\\$&')} (\\S+)$`, 'm').exec(scorerMetrics)?.[1]);
// the scorer's event loop and GC over the run (the default metrics since it started)
const kafkaScorerLoop = {
  loop_delay_p99_ms: round(1000 * gauge('nodejs_eventloop_lag_p99_seconds{model_version="v1"}')),
  loop_delay_max_ms: round(1000 * gauge('nodejs_eventloop_lag_max_seconds{model_version="v1"}')),
  major_gc_ms: round(1000 * gauge('nodejs_gc_duration_seconds_sum{model_version="v1",kind="major"}')),
  major_gcs: gauge('nodejs_gc_duration_seconds_count{model_version="v1",kind="major"}'),
  minor_gc_ms: round(1000 * gauge('nodejs_gc_duration_seconds_sum{model_version="v1",kind="minor"}')),
};
const kafkaScorerStages = Object.fromEntries([
  ...['wait', 'features', 'model', 'store', 'publish', 'commit'].map((stage) => [
    stage,
    meanOf(`scorer_stage_ms{model_version="v1",stage="${stage}"}`),
  ]),
  ['batch_size', meanOf('scorer_batch_size{model_version="v1"}')],
]);

// 2. POST /v1/score at a constant arrival rate, each request a new transaction.
const key = await generateSigningKey('ES256', `bench-${world.id}`);
const jwksFile = join(world.dir, 'jwks.json');
writeFileSync(jwksFile, JSON.stringify(publicJwks(key)));
const apiPort = await freePort('127.0.0.1');
// BENCH_API_CPU_PROF=<dir>: the API writes a V8 CPU profile there when it exits.
const apiProf = process.env.BENCH_API_CPU_PROF;
const api = start(
  'api-image/src/main.ts',
  {
    HOST: '127.0.0.1',
    PORT: String(apiPort),
    TRANSACTIONS_TOPIC: world.topics.transactions,
    // the API waits on the Redis the scorer writes its verdicts to (the scorer has VERDICT_REDIS_URL from the stack)
    REDIS_URL: env.VERDICT_REDIS_URL,
    JWT_ISSUER: 'https://bench.local',
    JWT_AUDIENCE: 'fraud-api',
    JWT_ALGORITHMS: 'ES256',
    JWT_KEY_FILE: jwksFile,
    RATE_LIMIT_PER_MINUTE: String(RATE * 600),
    SCORE_WAIT_MS: '2000',
  },
  apiProf ? ['--cpu-prof', '--cpu-prof-dir', apiProf] : [],
);
const base = `http://127.0.0.1:${apiPort}`;
await until('the API to be ready', async () => (await fetch(`${base}/readyz`)).ok);
const token = await mintToken(key, {
  issuer: 'https://bench.local',
  audience: 'fraud-api',
  subject: 'bench',
  scopes: ['transactions:write', 'verdicts:read'],
});
// An open model, like the Kafka run above: requests leave on schedule whether or not earlier ones were answered, and
// latency counts from the scheduled time, so a slow server shows in the numbers instead of slowing the load down.
// (autocannon's overallRate gives each of its connections rate/connections requests per second, sent one after
// another from the top of each second: bursts, and a cap of connections / mean latency.)
// Clients hold a pool of keep-alive connections, opened before the run (as a payment gateway would): a request that
// finds every connection busy waits for one, and that wait counts. Opening sockets on demand instead turns any stall
// into a storm of new connections that overflows the listen queue, and the SYN retries (1 s, 3 s) then dominate.
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 1024);
const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS, maxFreeSockets: CONNECTIONS });
const healthz = () =>
  new Promise<void>((resolve, reject) =>
    request({ agent, host: '127.0.0.1', port: apiPort, path: '/healthz' }, (res) => res.resume().on('end', resolve))
      .on('error', reject)
      .end(),
  );
// Each round has 128 more requests in flight than there are open connections, so it opens 128 more (well within the
// server's listen queue).
for (let inFlight = 128; inFlight <= CONNECTIONS; inFlight += 128) {
  await Promise.all(Array.from({ length: inFlight }, healthz));
}
const pooled = Object.values(agent.freeSockets).flat().length;
if (pooled < CONNECTIONS) console.error(`bench latency: only ${pooled} of ${CONNECTIONS} connections opened`);
const scoreStatuses = new Map<number, number>();
const scoreLatencies: number[] = [];
let scoreErrors = 0;
let lastAnswer = 0;
const scoreOnce = (n: number, due: number) =>
  new Promise<void>((resolve) => {
    const body = JSON.stringify({
      txId: `${world.id}-a-${n}`,
      ts: Date.UTC(2026, 0, 2) + n,
      customerId: `c${n % 997}`,
      terminalId: `t${n % 101}`,
      amount: (n % 500) + 0.5,
    });
    const req = request(
      {
        agent,
        host: '127.0.0.1',
        port: apiPort,
        method: 'POST',
        path: '/v1/score?wait=2000',
        timeout: 10_000,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          lastAnswer = performance.now();
          scoreLatencies.push(lastAnswer - due);
          scoreStatuses.set(res.statusCode!, (scoreStatuses.get(res.statusCode!) ?? 0) + 1);
          resolve();
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', () => {
      scoreErrors++;
      resolve();
    });
    req.end(body);
  });
// The API's own view: its event-loop delay (prom-client resets it on each scrape) and its /v1/score latencies.
const apiMetrics = async () => (await fetch(`${base}/metrics`)).text();
const scoreCount = (text: string, le?: string) => {
  const line = text
    .split('\n')
    .find(
      (l) =>
        l.startsWith(le ? 'http_request_duration_seconds_bucket{' : 'http_request_duration_seconds_count{') &&
        l.includes('route="/v1/score"') &&
        l.includes('status_code="200"') &&
        (!le || l.includes(`le="${le}"`)),
    );
  return Number(line?.split(' ').at(-1) ?? 0);
};
await apiMetrics();
const apiCpuBefore = cpuSeconds(api.pid!);
const scorerCpuBefore = cpuSeconds(scorer.pid!);
const scoreStarted = performance.now();
const inFlight: Promise<void>[] = [];
for (let n = 0; n < total; ) {
  const due = Math.min(total, Math.floor(((performance.now() - scoreStarted) / 1000) * RATE) + 1);
  for (; n < due; n++) inFlight.push(scoreOnce(n, scoreStarted + (n / RATE) * 1000));
  await new Promise((r) => setTimeout(r, 1));
}
const scoreSentRate = Math.round(total / ((performance.now() - scoreStarted) / 1000));
await Promise.all(inFlight);
agent.destroy();
const scoreSeconds = (performance.now() - scoreStarted) / 1000;
const apiCpuUsed = cpuSeconds(api.pid!) - apiCpuBefore;
const apiCpuPct = (100 * apiCpuUsed) / scoreSeconds;
const scorerCpuPct = (100 * (cpuSeconds(scorer.pid!) - scorerCpuBefore)) / scoreSeconds;
const after = await apiMetrics();
const apiLoopLagP99 = Number(/^nodejs_eventloop_lag_p99_seconds (\S+)$/m.exec(after)?.[1]) * 1000;
const servedWithin = (le: string) => round((100 * scoreCount(after, le)) / scoreCount(after));
clearInterval(sampler);
scoreLatencies.sort((a, b) => a - b);

for (const c of children) c.kill('SIGTERM');
await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(0) : c.once('exit', r)))));
for (const url of [env.REDIS_URL, env.VERDICT_REDIS_URL]) {
  const redis = new Redis(url);
  await deleteKeys(redis, `*${world.id}*`);
  redis.disconnect();
}
await world.cleanup();

const out = {
  rate_tx_s: RATE,
  network,
  seconds: SECONDS,
  kafka_achieved_tx_s: achievedRate,
  kafka_verdict_p50_ms: round(percentile(latencies, 50)),
  kafka_verdict_p99_ms: round(percentile(latencies, 99)),
  kafka_verdict_p999_ms: round(percentile(latencies, 99.9)),
  kafka_verdict_max_ms: round(latencies.at(-1) ?? Number.NaN),
  warmup_seconds: WARMUP_SECONDS,
  kafka_warmup_p99_ms: round(percentile(warmupLatencies, 99)),
  kafka_warmup_max_ms: round(warmupLatencies.at(-1) ?? Number.NaN),
  kafka_without_verdict: kafkaLost,
  scorer_peak_rss_mb: Math.round(peakScorerRss),
  kafka_scorer_stage_mean_ms: kafkaScorerStages,
  kafka_scorer_process: kafkaScorerLoop,
  score_sent_rps: scoreSentRate,
  // Answers per second, from the first request sent to the last answer received.
  score_rps: Math.round(scoreLatencies.length / ((lastAnswer - scoreStarted) / 1000)),
  score_p50_ms: round(percentile(scoreLatencies, 50)),
  score_p99_ms: round(percentile(scoreLatencies, 99)),
  score_p999_ms: round(percentile(scoreLatencies, 99.9)),
  score_max_ms: round(scoreLatencies.at(-1) ?? Number.NaN),
  score_200: scoreStatuses.get(200) ?? 0,
  score_202_pending: scoreStatuses.get(202) ?? 0,
  score_errors: scoreErrors,
  score_other_status: Object.fromEntries([...scoreStatuses].filter(([code]) => code !== 200 && code !== 202)),
  score_api_cpu_pct: Math.round(apiCpuPct),
  // CPU the API spent per answered request: its cost, whatever share of the machine it was given.
  score_api_cpu_us_per_req: Math.round((apiCpuUsed * 1e6) / Math.max(1, scoreLatencies.length)),
  score_api_loop_delay_p99_ms: round(apiLoopLagP99),
  // Share of the 200s the API itself answered within 100 and 250 ms (its histogram; excludes time in the client).
  score_server_le_100ms_pct: servedWithin('0.1'),
  score_server_le_250ms_pct: servedWithin('0.25'),
  score_scorer_cpu_pct: Math.round(scorerCpuPct),
  note: `scorer with a 15-input linear model and the shared feature engine (state in Redis); ${network === 'pod' ? "every process in the stack's network namespace, as pods reach the servers" : 'host clients through the node relays'}`,
};
mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
writeFileSync(join(import.meta.dirname, 'results', 'latency.json'), `${JSON.stringify(out)}\n`);
console.log(JSON.stringify(out));
process.exit(0);

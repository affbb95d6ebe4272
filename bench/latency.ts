/**
 * Latency at the customer's load, 2,000 tx/s, through the real parts: a scorer process (scorer-image/src/main.ts)
 * and an API process (api-image/src/main.ts) against the stack's Kafka and Redis.
 * 1. Kafka → verdict: transactions produced at a steady 2,000 tx/s; latency from the send to the verdict's PUBLISH
 *    arriving (the API's own signal). Also the scorer's peak RSS.
 * 2. `POST /v1/score` at a constant 2,000 req/s (autocannon), each a new transaction: submit, Kafka, scorer, Redis,
 *    answer. Last line: JSON.
 * With the real node in the stack, host-side clients reach Kafka and Redis through its relays; that hop is counted.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '@fraud-operator/stack/ports';
import { deleteKeys } from '@fraud-operator/stack/redis-keys';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { generateSigningKey, mintToken, publicJwks } from '../api-image/src/token.ts';
import { createWorld, writeConfig } from '../scorer-image/test/harness.ts';

const RATE = Number(process.env.BENCH_RATE ?? 2000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const root = join(import.meta.dirname, '..');
const world = await createWorld('bench-latency', 4);
const env = world.env;
const children: ChildProcess[] = [];

function start(main: string, extra: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, [join(root, main)], {
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

const rssMb = (pid: number) =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
const round = (x: number) => Math.round(x * 100) / 100;

const scorerPort = await freePort('127.0.0.1');
const scorer = start('scorer-image/src/main.ts', {
  SCORER_CONFIG: writeConfig(world, 'v1', 'primary'),
  SCORER_GROUP_ID: `${world.id}-scorer`,
  HOST: '127.0.0.1',
  PORT: String(scorerPort),
});
await until('the scorer to be ready', async () => (await fetch(`http://127.0.0.1:${scorerPort}/readyz`)).ok);
let peakScorerRss = 0;
const sampler = setInterval(() => {
  peakScorerRss = Math.max(peakScorerRss, rssMb(scorer.pid!));
}, 500);

// 1. Kafka → verdict at a steady rate, sent in 10 ms ticks.
const sub = new Redis(env.REDIS_URL);
const sentAt = new Map<string, number>();
const latencies: number[] = [];
await sub.psubscribe(`verdicts:${world.id}-k-*`);
sub.on('pmessage', (_p, channel: string) => {
  const sent = sentAt.get(channel.slice('verdicts:'.length));
  if (sent !== undefined) latencies.push(performance.now() - sent);
});
const kafka = new Kafka({ clientId: world.id, brokers: env.KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING });
const producer = kafka.producer();
await producer.connect();
const perTick = RATE / 100;
const total = RATE * SECONDS;
const t0 = performance.now();
for (let i = 0; i < total; i += perTick) {
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
const achievedRate = Math.round(total / ((performance.now() - t0) / 1000));
await until(`${total} verdicts`, async () => latencies.length >= total, 60_000).catch(() => undefined);
const kafkaLost = total - latencies.length;
latencies.sort((a, b) => a - b);
await sub.quit();
await producer.disconnect();

// 2. POST /v1/score at a constant arrival rate, each request a new transaction.
const key = await generateSigningKey('ES256', `bench-${world.id}`);
const jwksFile = join(world.dir, 'jwks.json');
writeFileSync(jwksFile, JSON.stringify(publicJwks(key)));
const apiPort = await freePort('127.0.0.1');
start('api-image/src/main.ts', {
  HOST: '127.0.0.1',
  PORT: String(apiPort),
  TRANSACTIONS_TOPIC: world.topics.transactions,
  JWT_ISSUER: 'https://bench.local',
  JWT_AUDIENCE: 'fraud-api',
  JWT_ALGORITHMS: 'ES256',
  JWT_KEY_FILE: jwksFile,
  RATE_LIMIT_PER_MINUTE: String(RATE * 600),
  SCORE_WAIT_MS: '2000',
});
const base = `http://127.0.0.1:${apiPort}`;
await until('the API to be ready', async () => (await fetch(`${base}/readyz`)).ok);
const token = await mintToken(key, {
  issuer: 'https://bench.local',
  audience: 'fraud-api',
  subject: 'bench',
  scopes: ['transactions:write', 'verdicts:read'],
});
let n = 0;
const result = await autocannon({
  url: base,
  connections: 200,
  overallRate: RATE,
  duration: SECONDS,
  headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  requests: [
    {
      method: 'POST',
      path: '/v1/score?wait=2000',
      setupRequest: (req) => {
        n++;
        return {
          ...req,
          body: JSON.stringify({
            txId: `${world.id}-a-${n}`,
            ts: Date.UTC(2026, 0, 2) + n,
            customerId: `c${n % 997}`,
            terminalId: `t${n % 101}`,
            amount: (n % 500) + 0.5,
          }),
        };
      },
    },
  ],
});
clearInterval(sampler);
const statuses = result.statusCodeStats;

for (const c of children) c.kill('SIGTERM');
await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(0) : c.once('exit', r)))));
const redis = new Redis(env.REDIS_URL);
await deleteKeys(redis, `*${world.id}*`);
redis.disconnect();
await world.cleanup();

const out = {
  rate_tx_s: RATE,
  seconds: SECONDS,
  kafka_achieved_tx_s: achievedRate,
  kafka_verdict_p50_ms: round(percentile(latencies, 50)),
  kafka_verdict_p99_ms: round(percentile(latencies, 99)),
  kafka_verdict_p999_ms: round(percentile(latencies, 99.9)),
  kafka_without_verdict: kafkaLost,
  scorer_peak_rss_mb: Math.round(peakScorerRss),
  score_rps: Math.round(result.requests.average),
  score_p50_ms: result.latency.p50,
  score_p99_ms: result.latency.p99,
  score_p999_ms: result.latency.p99_9,
  score_200: statuses['200']?.count ?? 0,
  score_202_pending: statuses['202']?.count ?? 0,
  score_errors: result.errors + result.timeouts,
  score_non2xx: result.non2xx,
  note: 'scorer with the tiny test model and interim features; host clients go through the node relays',
};
mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
writeFileSync(join(import.meta.dirname, 'results', 'latency.json'), `${JSON.stringify(out)}\n`);
console.log(JSON.stringify(out));
process.exit(0);

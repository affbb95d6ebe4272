// A real API process on the host (api-image/src/main.ts, as the image runs it) against the stack's Kafka and Redis,
// with a fresh ES256 key, a topic of its own, and a token for k6.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTopicsAndWait } from '@fraud-operator/kafka/topics';
import { loadStackEnv, REPO_ROOT } from '@fraud-operator/stack/env';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { Kafka, logLevel } from 'kafkajs';

export const env = loadStackEnv();
const ISSUER = 'https://issuer.k6-test.local/';
const AUDIENCE = 'fraud-api-k6';

export interface ApiProcess {
  baseUrl: string;
  token: string;
  topic: string;
  runId: string;
  /** Messages on the API's topic (sum of the partitions' high watermarks). */
  published(): Promise<number>;
  close(): Promise<void>;
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

export async function startApi(): Promise<ApiProcess> {
  const runId = `k6-${randomUUID().slice(0, 8)}`;
  const topic = `${runId}.tx`;
  const kafka = new Kafka({ clientId: runId, brokers: env.KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await createTopicsAndWait(admin, { topics: [{ topic, numPartitions: 4 }] });
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const kid = `${runId}-key`;
  const dir = mkdtempSync(join(tmpdir(), 'k6-api-'));
  const jwksFile = join(dir, 'jwks.json');
  writeFileSync(jwksFile, JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'ES256' }] }));
  const token = await new SignJWT({ scope: 'transactions:write verdicts:read' })
    .setProtectedHeader({ alg: 'ES256', kid })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject('k6')
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(privateKey);
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [join(REPO_ROOT, 'api-image', 'src', 'main.ts')], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      PATH: process.env.PATH,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      KAFKA_BROKERS: env.KAFKA_BROKERS,
      TRANSACTIONS_TOPIC: topic,
      REDIS_URL: env.REDIS_URL,
      JWT_ISSUER: ISSUER,
      JWT_AUDIENCE: AUDIENCE,
      JWT_KEY_FILE: jwksFile,
      // One token drives the whole load: the per-subject limit (default 6,000/min) would cap it at 100/s.
      RATE_LIMIT_PER_MINUTE: '10000000',
    },
  });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += d));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const status = await fetch(`${baseUrl}/readyz`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the API did not become ready (exit ${child.exitCode}): ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    baseUrl,
    token,
    topic,
    runId,
    async published() {
      const offsets = await admin.fetchTopicOffsets(topic);
      return offsets.reduce((sum, p) => sum + Number(p.high), 0);
    },
    async close() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
      await admin.disconnect();
      // The idempotency records of this run's txIds (all start with runId).
      spawnSync('sh', [
        '-c',
        `redis-cli -u '${env.REDIS_URL}' --scan --pattern 'txreq:${runId}*' | xargs -r redis-cli -u '${env.REDIS_URL}' del`,
      ]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface K6Result {
  code: number | null;
  out: string;
  summary: { metrics: Record<string, Record<string, number>> } | undefined;
}

/** Runs a k6 scenario with the stack's k6 (or another binary), returning its exit code and summary export. */
export function runK6(script: string, vars: Record<string, string>, bin = env.K6): K6Result {
  if (!bin) throw new Error('.stack/env lacks K6: run `npm run stack -- up`');
  const dir = mkdtempSync(join(tmpdir(), 'k6-run-'));
  const summaryFile = join(dir, 'summary.json');
  try {
    const args = [
      'run',
      '--quiet',
      '--no-color',
      '--summary-export',
      summaryFile,
      '--summary-trend-stats',
      'avg,min,med,max,p(90),p(95),p(99)',
    ];
    for (const [k, v] of Object.entries(vars)) args.push('-e', `${k}=${v}`);
    const r = spawnSync(bin, [...args, join(REPO_ROOT, 'k6', 'scenarios', script)], {
      encoding: 'utf8',
      timeout: 300_000,
      env: { PATH: process.env.PATH, HOME: dir },
    });
    let summary: K6Result['summary'];
    try {
      summary = JSON.parse(readFileSync(summaryFile, 'utf8'));
    } catch {
      summary = undefined;
    }
    return { code: r.status, out: `${r.stdout}${r.stderr}`, summary };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

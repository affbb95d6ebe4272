// `npm run bench -- api [seconds]`: GET /v1/verdicts/{txId} on our API vs the peer (FastAPI + uvicorn), side by side.
// Same Redis, same 10,000 verdicts, same token, same
// load generator (autocannon, in this process), same duration and connections, one server process each, the server
// pinned to CPU 0 and the generator to CPU 1 when taskset exists. Our API runs twice: as configured by default
// (a verified token is remembered for up to 60 s) and with that cache off (every request verified in full, as the
// peer does), so the gain of each is visible.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadStackEnv } from '@fraud-operator/stack/env';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { generateSigningKey, mintToken, publicJwks } from '../api-image/src/token.ts';
import { ensurePeerVenv } from './api/venv.ts';

const benchDir = import.meta.dirname;
const root = join(benchDir, '..');
const seconds = Number(process.argv[2] ?? 12);
const WARMUP_S = 3;
const CONNECTIONS = 64;
const VERDICTS = 10_000;
const ISSUER = 'https://bench.issuer';
const AUDIENCE = 'fraud-api-bench';
const log = (msg: string) => process.stderr.write(`[bench api] ${msg}\n`);

const hasTaskset = (() => {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const pinned = (cmd: string, args: string[]): [string, string[]] =>
  hasTaskset ? ['taskset', ['-c', '0', cmd, ...args]] : [cmd, args];

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

async function waitHealthy(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: server exited with ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url}: not healthy after 30 s`);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

/** CPU seconds a process has used so far (user + system), from /proc; NaN where there is no /proc. */
function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

interface Side {
  /** Share of one core the server used while measured: near 100 means the server, not the generator, was the limit. */
  serverCpuPct?: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

async function load(base: string, token: string, ids: string[], duration: number): Promise<Side> {
  const result = await autocannon({
    url: base,
    connections: CONNECTIONS,
    duration,
    headers: { authorization: `Bearer ${token}` },
    // Fixed requests are encoded once and cycled through (a setupRequest function would rebuild each one, and the
    // generator, one core, would become the limit sooner).
    requests: ids.map((id) => ({ method: 'GET', path: `/v1/verdicts/${id}` })),
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

async function check(base: string, token: string, id: string, name: string): Promise<void> {
  const ok = await fetch(`${base}/v1/verdicts/${id}`, { headers: { authorization: `Bearer ${token}` } });
  const body = (await ok.json()) as { txId?: string };
  if (ok.status !== 200 || body.txId !== id)
    throw new Error(`${name}: GET verdict gave ${ok.status} ${JSON.stringify(body)}`);
  const bad = await fetch(`${base}/v1/verdicts/${id}`, { headers: { authorization: `Bearer ${token}x` } });
  if (bad.status !== 401) throw new Error(`${name}: a tampered token got ${bad.status}, not 401`);
}

async function main(): Promise<void> {
  const env = loadStackEnv();
  const venv = ensurePeerVenv(benchDir);
  if (hasTaskset) execFileSync('taskset', ['-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });

  const prefix = `bench-api-${randomBytes(3).toString('hex')}`;
  const ids = Array.from({ length: VERDICTS }, (_, i) => `${prefix}-${i}`);
  const redis = new Redis(env.REDIS_URL);
  const pipe = redis.pipeline();
  for (const id of ids) {
    const score = Math.random();
    pipe.set(
      `verdict:${id}`,
      JSON.stringify({
        txId: id,
        score,
        decision: score > 0.5 ? 'fraud' : 'legit',
        modelVersion: 'v1',
        threshold: 0.5,
        latencyMs: 2.5,
      }),
      'EX',
      3600,
    );
  }
  await pipe.exec();

  const keyDir = mkdtempSync(join(tmpdir(), 'bench-api-keys-'));
  const key = await generateSigningKey('ES256', 'bench');
  const jwksFile = join(keyDir, 'jwks.json');
  writeFileSync(jwksFile, JSON.stringify(publicJwks(key)));
  const token = await mintToken(key, {
    issuer: ISSUER,
    audience: AUDIENCE,
    subject: 'bench',
    scopes: ['verdicts:read'],
    ttlSeconds: 3600,
  });

  const children: ChildProcess[] = [];
  const results: Record<string, Side> = {};
  try {
    const startApi = async (cacheSeconds: string) => {
      const port = await freePort();
      const [apiCmd, apiArgs] = pinned(process.execPath, [join(root, 'api-image', 'src', 'main.ts')]);
      const child = spawn(apiCmd, apiArgs, {
        stdio: ['ignore', 'ignore', 'inherit'],
        env: {
          JWT_CACHE_SECONDS: cacheSeconds,
          ...process.env,
          HOST: '127.0.0.1',
          PORT: String(port),
          LOG_LEVEL: 'warn',
          KAFKA_BROKERS: env.KAFKA_BROKERS,
          REDIS_URL: env.REDIS_URL,
          JWT_ISSUER: ISSUER,
          JWT_AUDIENCE: AUDIENCE,
          JWT_ALGORITHMS: 'ES256',
          JWT_KEY_FILE: jwksFile,
          RATE_LIMIT_PER_MINUTE: '10000000',
        },
      });
      children.push(child);
      return { child, base: `http://127.0.0.1:${port}` };
    };
    const api = await startApi('60');
    const apiNoCache = await startApi('0');
    const peerPort = await freePort();
    const [peerCmd, peerArgs] = pinned(join(venv, 'bin', 'uvicorn'), [
      'app:app',
      '--app-dir',
      join(benchDir, 'api-peer'),
      '--host',
      '127.0.0.1',
      '--port',
      String(peerPort),
      '--workers',
      '1',
      '--loop',
      'uvloop',
      '--http',
      'httptools',
      '--no-access-log',
      '--log-level',
      'warning',
    ]);
    const peer = spawn(peerCmd, peerArgs, {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: {
        ...process.env,
        JWKS_FILE: jwksFile,
        JWT_ISSUER: ISSUER,
        JWT_AUDIENCE: AUDIENCE,
        REDIS_URL: env.REDIS_URL,
      },
    });
    children.push(peer);

    const sides = { api, 'api-nocache': apiNoCache, peer: { child: peer, base: `http://127.0.0.1:${peerPort}` } };
    for (const [name, { base, child }] of Object.entries(sides)) {
      await waitHealthy(`${base}/healthz`, child);
      await check(base, token, ids[0]!, name);
    }
    // One server at a time under load; the idle ones sleep on their sockets.
    for (const [name, { base, child }] of Object.entries(sides)) {
      log(`${name}: warm-up ${WARMUP_S} s, then ${seconds} s at ${CONNECTIONS} connections`);
      await load(base, token, ids, WARMUP_S);
      const cpuBefore = cpuSeconds(child.pid);
      const side = await load(base, token, ids, seconds);
      side.serverCpuPct = Math.round(((cpuSeconds(child.pid) - cpuBefore) / seconds) * 100);
      results[name] = side;
      log(`${name}: ${JSON.stringify(results[name])}`);
    }
  } finally {
    await Promise.all(children.map(stop));
    for (let i = 0; i < ids.length; i += 1000) await redis.del(...ids.slice(i, i + 1000).map((id) => `verdict:${id}`));
    await redis.quit();
    rmSync(keyDir, { recursive: true, force: true });
  }

  const api = results.api!;
  const noCache = results['api-nocache']!;
  const peer = results.peer!;
  const round = (n: number) => Math.round(n * 100) / 100;
  const out = {
    api_rps: Math.round(api.rps),
    peer_rps: Math.round(peer.rps),
    ratio: round(api.rps / peer.rps),
    api_p99_ms: api.p99,
    peer_p99_ms: peer.p99,
    api_p50_ms: api.p50,
    peer_p50_ms: peer.p50,
    api_nocache_rps: Math.round(noCache.rps),
    api_nocache_p99_ms: noCache.p99,
    ratio_nocache: round(noCache.rps / peer.rps),
    api_errors: api.errors + api.non2xx + noCache.errors + noCache.non2xx,
    peer_errors: peer.errors + peer.non2xx,
    api_server_cpu_pct: api.serverCpuPct,
    peer_server_cpu_pct: peer.serverCpuPct,
    route: 'GET /v1/verdicts/{txId}',
    seconds,
    connections: CONNECTIONS,
    workers: 1,
    pinned: hasTaskset ? 'server cpu0, load generator cpu1' : 'no taskset: unpinned',
  };
  mkdirSync(join(benchDir, 'results'), { recursive: true });
  writeFileSync(join(benchDir, 'results', 'api.json'), `${JSON.stringify(out)}\n`);
  console.log(JSON.stringify(out));
}

await main();

// The process: a bad configuration crashes at boot with every problem named; a good one listens and stops on SIGTERM.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIENCE, type Harness, harness, ISSUER } from './helpers.ts';

const main = join(import.meta.dirname, '..', 'src', 'main.ts');
let h: Harness;
beforeAll(async () => {
  h = await harness('main');
});
afterAll(async () => h?.close());

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

describe('main.ts', () => {
  it('crashes at boot naming every bad setting', async () => {
    const child = spawn(process.execPath, [main], {
      env: { PATH: process.env.PATH, JWT_ALGORITHMS: 'none', PORT: 'x' },
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const [code] = await once(child, 'exit');
    expect(code).toBe(78);
    expect(stderr).toContain('KAFKA_BROKERS is required');
    expect(stderr).toContain('JWT_ALGORITHMS entry "none" is not allowed');
    expect(stderr).toContain('PORT="x" must be an integer');
    expect(stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
  });

  it('serves, becomes ready, and exits 0 on SIGTERM without logging the token', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [main], {
      env: {
        PATH: process.env.PATH,
        HOST: '127.0.0.1',
        PORT: String(port),
        LOG_LEVEL: 'info',
        KAFKA_BROKERS: h.config.kafka.brokers.join(','),
        TRANSACTIONS_TOPIC: h.topic,
        REDIS_URL: h.config.redisUrl,
        JWT_ISSUER: ISSUER,
        JWT_AUDIENCE: AUDIENCE,
        JWT_KEY_FILE: h.jwksFile,
      },
    });
    let logs = '';
    child.stdout.on('data', (d) => (logs += d));
    child.stderr.on('data', (d) => (logs += d));
    const base = `http://127.0.0.1:${port}`;
    let ready = 0;
    for (let i = 0; i < 100 && ready !== 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      ready = await fetch(`${base}/readyz`).then(
        (r) => r.status,
        () => 0,
      );
    }
    expect(ready).toBe(200);
    const token = await h.token();
    const res = await fetch(`${base}/v1/verdicts/${h.prefix}-x`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(404);
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    expect(logs).toContain('shutting down');
    expect(logs).not.toContain(token);
  });
});

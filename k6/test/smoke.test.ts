// CI's k6 run: the API smoke scenario, short, with its thresholds, against a real API process on the stack's Kafka
// and Redis. A breach fails the test (k6 exits 99), and the test shows that a breach is caught.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiProcess, runK6, startApi } from './api-process.ts';

let api: ApiProcess;
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => api?.close());

describe('k6 api-smoke against a real API', () => {
  it('passes every threshold, and every transaction it submitted is on Kafka exactly once', async () => {
    const r = runK6('api-smoke.js', { BASE_URL: api.baseUrl, TOKEN: api.token, RUN_ID: api.runId, DURATION: '5s' });
    expect(r.code, r.out).toBe(0);
    const checks = r.summary!.metrics.checks!;
    expect(checks.passes).toBeGreaterThan(0);
    expect(checks.fails).toBe(0);
    // One submit per iteration; the replay is idempotent and publishes nothing.
    const iterations = r.summary!.metrics.iterations!.count!;
    expect(iterations).toBeGreaterThan(10);
    expect(await api.published()).toBe(iterations);
    const p95 = r.summary!.metrics.http_req_duration!['p(95)']!;
    console.log(`api-smoke: ${iterations} iterations, ${checks.passes} checks, http p95 ${p95.toFixed(1)} ms`);
  });

  it('fails on a breach: an unreachable latency threshold makes k6 exit 99', () => {
    const r = runK6('api-smoke.js', {
      BASE_URL: api.baseUrl,
      TOKEN: api.token,
      RUN_ID: `${api.runId}-breach`,
      DURATION: '2s',
      P95_MS: '0.001',
    });
    expect(r.code).toBe(99);
    expect(r.out).toMatch(/thresholds on metrics 'http_req_duration.*' have been crossed/);
  });

  it('stops at setup when the target is not ready, and refuses a missing token', () => {
    const down = runK6('api-smoke.js', { BASE_URL: 'http://127.0.0.1:9', TOKEN: api.token, DURATION: '2s' });
    expect(down.code).not.toBe(0);
    expect(down.out).toContain('the API is not ready');
    const noToken = runK6('api-smoke.js', { BASE_URL: api.baseUrl, DURATION: '2s' });
    expect(noToken.code).not.toBe(0);
    expect(noToken.out).toContain('TOKEN is required');
  });
});

// Soak: a steady mix for hours — ingest at RATE, and for every fourth transaction a verdict read with a short wait —
// to catch leaks and slow drift (compare the first and last hour of http_req_duration).
//   k6 run -e BASE_URL=… -e TOKEN=… [-e RATE=500] [-e DURATION=2h] k6/scenarios/soak.js
import { check } from 'k6';
import exec from 'k6/execution';
import http from 'k6/http';
import { droppedAtMost, envNumber, jsonHeaders, requireReady, target, transaction, txId } from '../lib/target.js';

const { baseUrl, token } = target();
const rate = envNumber('RATE', 500);
const duration = __ENV.DURATION || '2h';

export const options = {
  discardResponseBodies: true,
  scenarios: {
    soak: {
      executor: 'constant-arrival-rate',
      rate,
      timeUnit: '1s',
      duration,
      preAllocatedVUs: Math.max(20, Math.ceil(rate / 10)),
      maxVUs: Math.max(100, rate),
    },
  },
  thresholds: {
    http_req_failed: ['rate<0.001'],
    checks: ['rate>0.999'],
    'http_req_duration{name:submit}': [`p(99)<${envNumber('P99_MS', 200)}`],
    'http_req_duration{name:verdict}': [`p(99)<${envNumber('VERDICT_P99_MS', 600)}`],
    dropped_iterations: [droppedAtMost(rate, duration, 0.001)],
  },
};

http.setResponseCallback(http.expectedStatuses(200, 202));

export function setup() {
  requireReady(baseUrl);
}

const params = jsonHeaders(token);

export default function () {
  const id = txId('soak');
  const submit = http.post(`${baseUrl}/v1/transactions`, transaction(id), { ...params, tags: { name: 'submit' } });
  check(submit, { 'accepted 202': (r) => r.status === 202 });
  if (exec.scenario.iterationInTest % 4 === 0) {
    const verdict = http.get(`${baseUrl}/v1/verdicts/${id}?wait=500`, { ...params, tags: { name: 'verdict' } });
    check(verdict, { 'verdict or pending': (r) => r.status === 200 || r.status === 202 });
  }
}

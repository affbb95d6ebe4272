// Ingest at a constant arrival rate: RATE transactions per second (default 2,000, the customer's target) through
// POST /v1/transactions, each a new txId.
//   k6 run -e BASE_URL=… -e TOKEN=… [-e RATE=2000] [-e DURATION=1m] k6/scenarios/ingest-2000.js
// The API's rate limit is per token subject and replica (RATE_LIMIT_PER_MINUTE, default 6,000): raise it for this
// test, or every request past 100/s is a 429.
import { check } from 'k6';
import http from 'k6/http';
import { droppedAtMost, envNumber, jsonHeaders, requireReady, target, transaction, txId } from '../lib/target.js';

const { baseUrl, token } = target();
const rate = envNumber('RATE', 2000);
const duration = __ENV.DURATION || '1m';

export const options = {
  discardResponseBodies: true,
  scenarios: {
    ingest: {
      executor: 'constant-arrival-rate',
      rate,
      timeUnit: '1s',
      duration,
      preAllocatedVUs: envNumber('VUS', Math.max(50, Math.ceil(rate / 20))),
      maxVUs: envNumber('MAX_VUS', Math.max(200, Math.ceil(rate / 4))),
    },
  },
  thresholds: {
    http_req_failed: ['rate<0.001'],
    checks: ['rate>0.999'],
    http_req_duration: [`p(99)<${envNumber('P99_MS', 100)}`],
    // Iterations k6 could not start on time: the offered rate was not sustained.
    dropped_iterations: [droppedAtMost(rate, duration, 0.01)],
  },
};

export function setup() {
  requireReady(baseUrl);
}

const params = { ...jsonHeaders(token), tags: { name: 'submit' } };

export default function () {
  const res = http.post(`${baseUrl}/v1/transactions`, transaction(txId('ingest')), params);
  check(res, { 'accepted 202': (r) => r.status === 202 });
}

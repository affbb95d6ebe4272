// Submit and wait: POST /v1/score holds each request until the scorer's verdict (or WAIT_MS), end to end through
// Kafka and the scorer. Needs scorers consuming the API's topic (a FraudModel, or the demo).
//   k6 run -e BASE_URL=… -e TOKEN=… [-e RATE=200] [-e DURATION=1m] [-e WAIT_MS=2000] k6/scenarios/submit-and-wait.js
import { check } from 'k6';
import http from 'k6/http';
import { Rate, Trend } from 'k6/metrics';
import { droppedAtMost, envNumber, jsonHeaders, requireReady, target, transaction, txId } from '../lib/target.js';

const { baseUrl, token } = target();
const rate = envNumber('RATE', 200);
const duration = __ENV.DURATION || '1m';
const waitMs = envNumber('WAIT_MS', 2000);
const verdictLatency = new Trend('verdict_latency', true);
const verdictInTime = new Rate('verdict_in_time');

export const options = {
  discardResponseBodies: false,
  scenarios: {
    submitAndWait: {
      executor: 'constant-arrival-rate',
      rate,
      timeUnit: '1s',
      duration,
      // Each VU is held up to WAIT_MS: enough VUs for rate × wait in flight.
      preAllocatedVUs: Math.ceil((rate * waitMs) / 1000 / 4) + 10,
      maxVUs: Math.ceil((rate * waitMs) / 1000) + 50,
    },
  },
  thresholds: {
    verdict_in_time: ['rate>0.99'],
    verdict_latency: [`p(99)<${envNumber('P99_MS', 500)}`],
    http_req_failed: ['rate<0.001'],
    dropped_iterations: [droppedAtMost(rate, duration, 0.01)],
  },
};

// 202 = still pending at the deadline: a valid answer, counted by verdict_in_time rather than as a failure.
http.setResponseCallback(http.expectedStatuses(200, 202));

export function setup() {
  requireReady(baseUrl);
}

const params = { ...jsonHeaders(token), tags: { name: 'score' } };

export default function () {
  const res = http.post(`${baseUrl}/v1/score?wait=${waitMs}`, transaction(txId('score')), params);
  const decided = res.status === 200;
  verdictInTime.add(decided);
  if (decided) verdictLatency.add(res.timings.duration);
  check(res, { 'verdict within the deadline': () => decided });
}

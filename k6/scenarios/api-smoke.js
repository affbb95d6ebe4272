// API smoke: every route answers as documented, fast, with a handful of VUs for a short time.
//   k6 run -e BASE_URL=http://127.0.0.1:8080 -e TOKEN=$TOKEN k6/scenarios/api-smoke.js
// Options: VUS (default 2), DURATION (default 10s), P95_MS (default 250).
import { check, group } from 'k6';
import http from 'k6/http';
import { envNumber, jsonHeaders, requireReady, target, transaction, txId } from '../lib/target.js';

const { baseUrl, token } = target();

export const options = {
  scenarios: {
    smoke: { executor: 'constant-vus', vus: envNumber('VUS', 2), duration: __ENV.DURATION || '10s' },
  },
  thresholds: {
    checks: ['rate==1'],
    http_req_failed: ['rate==0'],
    http_req_duration: [`p(95)<${envNumber('P95_MS', 250)}`],
    'http_req_duration{name:submit}': [`p(95)<${envNumber('P95_MS', 250)}`],
  },
};

// 401, 404 and 202 are the answers this script asks for; only others count as failed requests.
http.setResponseCallback(http.expectedStatuses(200, 202, 401, 404));

export function setup() {
  requireReady(baseUrl);
}

export default function () {
  const auth = jsonHeaders(token);
  group('ops', () => {
    check(http.get(`${baseUrl}/healthz`, { tags: { name: 'healthz' } }), { 'healthz 200': (r) => r.status === 200 });
    check(http.get(`${baseUrl}/readyz`, { tags: { name: 'readyz' } }), { 'readyz 200': (r) => r.status === 200 });
  });
  group('v1', () => {
    const id = txId('smoke');
    const submit = http.post(`${baseUrl}/v1/transactions`, transaction(id), { ...auth, tags: { name: 'submit' } });
    check(submit, {
      'submit 202': (r) => r.status === 202,
      'submit echoes the txId': (r) => r.status === 202 && r.json('txId') === id,
    });
    const replay = http.post(`${baseUrl}/v1/transactions`, submit.request.body, { ...auth, tags: { name: 'replay' } });
    check(replay, { 'replay is idempotent': (r) => r.status === 202 && r.headers['Idempotent-Replayed'] === 'true' });
    const verdict = http.get(`${baseUrl}/v1/verdicts/${id}`, { ...auth, tags: { name: 'verdict' } });
    check(verdict, { 'verdict 200 or pending 202': (r) => r.status === 200 || r.status === 202 });
    const unknown = http.get(`${baseUrl}/v1/verdicts/${id}-unknown`, { ...auth, tags: { name: 'verdict-unknown' } });
    check(unknown, { 'unknown verdict 404': (r) => r.status === 404 });
    const anonymous = http.get(`${baseUrl}/v1/verdicts/${id}`, { tags: { name: 'anonymous' } });
    check(anonymous, { 'no token 401': (r) => r.status === 401 });
  });
}

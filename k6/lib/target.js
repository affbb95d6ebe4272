// The target and its credentials come from __ENV; nothing is hard-coded.
//   BASE_URL  the API, for example http://127.0.0.1:8080
//   TOKEN     a JWT with the scopes `transactions:write verdicts:read`

import exec from 'k6/execution';
import http from 'k6/http';

export function target() {
  const baseUrl = __ENV.BASE_URL;
  const token = __ENV.TOKEN;
  if (!baseUrl) throw new Error('BASE_URL is required (for example http://127.0.0.1:8080)');
  if (!token) throw new Error('TOKEN is required: a JWT with scopes "transactions:write verdicts:read"');
  return { baseUrl: baseUrl.replace(/\/$/, ''), token };
}

/** A number from __ENV, or the default; a value that is not a positive number stops the test at once. */
export function envNumber(name, fallback) {
  const raw = __ENV[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name}=${raw} must be a positive number`);
  return n;
}

export const jsonHeaders = (token) => ({
  headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
});

/** setup(): fail fast when the API is not ready, instead of measuring errors. */
export function requireReady(baseUrl) {
  const res = http.get(`${baseUrl}/readyz`, { tags: { name: 'setup-readyz' } });
  if (res.status !== 200) exec.test.abort(`${baseUrl}/readyz answered ${res.status}: the API is not ready`);
}

/** A unique, valid transaction id per iteration of this run (RUN_ID keeps runs apart). */
export function txId(prefix) {
  return `${__ENV.RUN_ID || 'k6'}-${prefix}-${exec.vu.idInTest}-${exec.vu.iterationInInstance}`;
}

export function transaction(id) {
  const customer = Math.floor(Math.random() * 5000);
  return JSON.stringify({
    txId: id,
    customerId: `c${customer}`,
    terminalId: `t${Math.floor(Math.random() * 10000)}`,
    // 0.01 to 300.00: the API refuses an amount of 0 (one request in 60,000 drew it, failing a smoke run now and then)
    amount: (1 + Math.floor(Math.random() * 30000)) / 100,
  });
}

/** Seconds in a k6 duration such as 90s, 10m, 2h or 1m30s. */
export function durationSeconds(text) {
  let total = 0;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
  let m = re.exec(text);
  if (m === null) throw new Error(`duration ${text}: use for example 30s, 10m or 2h`);
  for (; m !== null; m = re.exec(text)) total += Number(m[1]) * { ms: 0.001, s: 1, m: 60, h: 3600 }[m[2]];
  return total;
}

/** A dropped_iterations threshold: at most `share` of the iterations an arrival-rate scenario should start. */
export const droppedAtMost = (iterationsPerSecond, duration, share) =>
  `count<${Math.ceil(iterationsPerSecond * durationSeconds(duration) * share) + 1}`;

// The API image, built from api-image/Dockerfile, as a pod on the stack's real node: non-root, read-only root file
// system, public keys from a ConfigMap; reached through `kubectl port-forward` as a user would.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadStackEnv } from '@fraud-operator/stack/env';
import { realNodeDeployment } from '@fraud-operator/stack/real-node-deployment';
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIENCE, type Harness, harness, ISSUER, landVerdict } from './helpers.ts';

const env = loadStackEnv();
const hasNode = Boolean(env.STACK_NODE && env.API_IMAGE);
const kc = new k8s.KubeConfig();
kc.loadFromFile(env.KUBECONFIG);
const core = kc.makeApiClient(k8s.CoreV1Api);
const apps = kc.makeApiClient(k8s.AppsV1Api);
let h: Harness;
let forward: ChildProcess | undefined;

const deployment = () =>
  realNodeDeployment({
    name: 'api',
    image: env.API_IMAGE!,
    node: env.STACK_NODE!,
    uid: 1000,
    env: {
      KAFKA_BROKERS: env.POD_KAFKA_BROKERS!,
      REDIS_URL: env.POD_REDIS_URL!,
      TRANSACTIONS_TOPIC: h.topic,
      JWT_ISSUER: ISSUER,
      JWT_AUDIENCE: AUDIENCE,
      JWT_ALGORITHMS: 'ES256',
      JWT_KEY_FILE: '/jwks/jwks.json',
    },
    volume: { mountPath: '/jwks', source: { configMap: { name: 'api-jwks' } } },
  });

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** `kubectl port-forward deploy/api :8080`; resolves with the local port it chose. */
function portForward(namespace: string): Promise<number> {
  forward = spawn(env.KUBECTL!, ['-n', namespace, 'port-forward', 'deploy/api', ':8080'], {
    env: { ...process.env, KUBECONFIG: env.KUBECONFIG },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`port-forward did not start: ${out}`)), 30_000);
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = /Forwarding from 127\.0\.0\.1:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    forward!.stdout!.on('data', onData);
    forward!.stderr!.on('data', onData);
  });
}

describe.skipIf(!hasNode)('the API image on the real node', () => {
  beforeAll(async () => {
    h = await harness('pod');
    await core.createNamespace({ body: { metadata: { name: h.prefix } } });
    await core.createNamespacedConfigMap({
      namespace: h.prefix,
      body: { metadata: { name: 'api-jwks' }, data: { 'jwks.json': readFileSync(h.jwksFile, 'utf8') } },
    });
  });

  afterAll(async () => {
    forward?.kill();
    await core.deleteNamespace({ name: h.prefix, gracePeriodSeconds: 0 }).catch(() => undefined);
    await h?.close();
  });

  it('runs Ready as a non-root pod, accepts a transaction into Kafka and serves its verdict', async () => {
    await apps.createNamespacedDeployment({ namespace: h.prefix, body: deployment() });
    await until(
      'the API pod to be Ready',
      async () =>
        ((await apps.readNamespacedDeployment({ name: 'api', namespace: h.prefix })).status?.availableReplicas ?? 0) >=
        1
          ? true
          : undefined,
      90_000,
    );
    const base = `http://127.0.0.1:${await portForward(h.prefix)}`;
    const auth = { authorization: `Bearer ${await h.token()}`, 'content-type': 'application/json' };
    expect((await fetch(`${base}/v1/verdicts/x`)).status).toBe(401);

    const txId = `${h.prefix}-tx-1`;
    const tx = { txId, ts: Date.UTC(2026, 0, 1), customerId: 'c1', terminalId: 't1', amount: 42.5 };
    const accepted = await fetch(`${base}/v1/transactions`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify(tx),
    });
    expect(accepted.status).toBe(202);
    await until('the transaction in Kafka', async () => ((await h.published()) === 1 ? true : undefined), 10_000);

    await landVerdict(h.redis, txId);
    const verdict = await fetch(`${base}/v1/verdicts/${txId}`, { headers: auth });
    expect(verdict.status).toBe(200);
    expect(await verdict.json()).toMatchObject({ txId, decision: 'fraud' });
  });
});

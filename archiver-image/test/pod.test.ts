// The archiver image, built from archiver-image/Dockerfile, as a pod on the stack's real node: non-root, read-only
// root file system, key from a Secret; it archives a topic into S3 and every offset verifies exactly once.

import { readFileSync } from 'node:fs';
import { verifyArchive } from '@fraud-operator/archive-format';
import { realNodeDeployment } from '@fraud-operator/stack/real-node-deployment';
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { env, kafka, produce, scenario, until, waitForCommitted } from './harness.ts';

const hasNode = Boolean(env.STACK_NODE && env.ARCHIVER_IMAGE);
let s: Awaited<ReturnType<typeof scenario>>;
const kc = new k8s.KubeConfig();
kc.loadFromFile(env.KUBECONFIG);
const core = kc.makeApiClient(k8s.CoreV1Api);
const apps = kc.makeApiClient(k8s.AppsV1Api);

const deployment = () =>
  realNodeDeployment({
    name: 'archiver',
    image: env.ARCHIVER_IMAGE!,
    node: env.STACK_NODE!,
    uid: 1000,
    env: {
      KAFKA_BROKERS: env.POD_KAFKA_BROKERS!,
      S3_ENDPOINT: env.POD_S3_ENDPOINT!,
      S3_REGION: env.S3_REGION,
      S3_ACCESS_KEY_ID: env.S3_ACCESS_KEY_ID,
      S3_SECRET_ACCESS_KEY: env.S3_SECRET_ACCESS_KEY,
      S3_BUCKET: s.bucket,
      ARCHIVE_TOPIC: s.topic,
      ARCHIVE_GROUP_ID: s.groupId,
      ARCHIVE_KEY_FILE: '/keys/archive.key',
      ARCHIVE_WINDOW: '1h',
      ARCHIVE_OBJECT_MAX_AGE: '2s',
    },
    volume: { mountPath: '/keys', source: { secret: { secretName: 'archive-key' } } },
  });

describe.skipIf(!hasNode)('the archiver image on the real node', () => {
  beforeAll(async () => {
    s = await scenario('pod', 2);
    await core.createNamespace({ body: { metadata: { name: s.id } } });
    await core.createNamespacedSecret({
      namespace: s.id,
      body: { metadata: { name: 'archive-key' }, stringData: { 'archive.key': readFileSync(s.keyFile, 'utf8') } },
    });
  });

  afterAll(async () => {
    await core.deleteNamespace({ name: s.id, gracePeriodSeconds: 0 }).catch(() => undefined);
    await s?.cleanup();
  });

  it('runs Ready as a non-root pod and archives every transaction of its topic exactly once', async () => {
    await apps.createNamespacedDeployment({ namespace: s.id, body: deployment() });
    await until(
      async () =>
        ((await apps.readNamespacedDeployment({ name: 'archiver', namespace: s.id })).status?.availableReplicas ?? 0) >=
        1,
      90_000,
      'the archiver pod to be Ready',
    );
    const producer = kafka.producer();
    await producer.connect();
    const txs = await produce(producer, s.topic, 0, 3000);
    await producer.disconnect();
    await waitForCommitted(s.topic, s.groupId, 60_000);

    // The pod shuts down on SIGTERM with everything committed; then the archive is complete.
    await apps.deleteNamespacedDeployment({ name: 'archiver', namespace: s.id });
    const report = await verifyArchive(s.location, s.keys);
    expect(report.problems).toEqual([]);
    expect(report.records).toBe(txs.length);
  });
});

// The rollout through the reconciler, up to live traffic: the gate replays labelled history from S3 (simulated with
// the Handbook's scenarios) through the feature engine and both ONNX models; a worse version is refused, an equal
// one goes to Shadow with both fleets in canary mode on one schedule; pause holds it, abort rolls it back.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FEATURE_SETS } from '@fraud-operator/features';
import { HANDBOOK, resolveConfig, simulate } from '@fraud-operator/simulator';
import { writeTransactions } from '@fraud-operator/transactions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FraudModel } from '../src/api/v1alpha1/index.ts';
import {
  admin,
  applyCrd,
  childrenIn,
  cleanUp,
  createNamespace,
  deleteTopicsWithPrefix,
  eventually,
  fmPath,
  fraudModel,
  getModel,
  kubectl,
  type OperatorProcess,
  putObject,
  removeBucket,
  spawnOperator,
  topicPartitions,
  uid,
  uploadModel,
} from './helpers.ts';

const ns = uid('op-gate');
let operator: OperatorProcess;
const width = FEATURE_SETS.handbook.length;
const amountOnly = (w: number) => Array.from({ length: width }, (_, i) => (i === 0 ? w : 0));
const cond = (fm: FraudModel, type: string) => fm.status?.conditions?.find((c) => c.type === type);
const last = (fm: FraudModel) => fm.status?.history?.at(-1);

async function until(what: string, ok: (fm: FraudModel) => boolean, ms = 60_000): Promise<FraudModel> {
  return eventually(
    what,
    async () => {
      const fm = await getModel(ns, 'gate');
      return ok(fm) ? fm : undefined;
    },
    ms,
  ).catch((err) => {
    throw new Error(`${err}\n${operator.logs().slice(-3000)}`);
  });
}

describe('rollout gate and shadow through the operator', () => {
  let frauds = 0;
  let rows = 0;
  beforeAll(async () => {
    await applyCrd();
    await createNamespace(ns);
    const dir = mkdtempSync(join(tmpdir(), 'op-gate-'));
    const file = join(dir, 'history.arrow');
    const config = resolveConfig(HANDBOOK, { customers: 400, terminals: 800, days: 30 });
    const batches = [...simulate(config, 7)];
    for (const t of batches.flat()) {
      rows += 1;
      frauds += t.TX_FRAUD;
    }
    await writeTransactions(file, batches);
    await putObject(ns, 'history.arrow', readFileSync(file));
    rmSync(dir, { recursive: true, force: true });
    operator = spawnOperator({ namespace: ns, identity: `${ns}-op` });
  });

  afterAll(async () => {
    await cleanUp(ns, [operator]);
    await deleteTopicsWithPrefix(ns);
    await removeBucket(ns, ['history.arrow', 'v1.onnx', 'v2.onnx', 'v3.onnx']);
  });

  it('admits v1, a model that ranks by amount', async () => {
    console.log(`replay history: ${rows} transactions, ${frauds} frauds`);
    expect(frauds).toBeGreaterThanOrEqual(30);
    const v1 = await uploadModel(ns, 'v1.onnx', amountOnly(0.02));
    const manifest = fraudModel(
      'gate',
      ns,
      { ...v1, version: 'v1' },
      {
        rollout: { steps: [10, 50, 100], replay: { uri: `s3://${ns}/history.arrow` }, minLabelledFrauds: 30 },
      },
    );
    await admin.create(`/apis/fraud.payments.dev/v1alpha1/namespaces/${ns}/fraudmodels`, manifest);
    await until('v1 to be stable', (fm) => fm.status?.stableVersion === 'v1' && fm.status.phase === 'Stable');
  });

  it('refuses v2, whose replay ranks the other way, before it sees live traffic', async () => {
    const v2 = await uploadModel(ns, 'v2.onnx', amountOnly(-0.02));
    await admin.mergePatch(fmPath(ns, 'gate'), { spec: { model: { uri: v2.uri, version: 'v2', sha256: v2.sha256 } } });
    const fm = await until('v2 to be refused', (f) => last(f)?.decision === 'refused');
    const d = last(fm)!;
    console.log(`v2 refused: ${d.reason}: ${d.message}`);
    expect(d).toMatchObject({ reason: 'ReplayRegression', version: 'v2' });
    expect(d.apStable!).toBeGreaterThan(d.apCanary! + 0.02);
    expect(d.frauds).toBe(frauds);
    expect(fm.status).toMatchObject({ stableVersion: 'v1', phase: 'Stable' });
    expect(cond(fm, 'Degraded')).toMatchObject({ status: 'True', reason: 'VersionRefused' });
    expect((await childrenIn(ns)).Deployment.map((x) => x.metadata.name)).toEqual(['gate-v1']);
  });

  it('passes v3 (the same ranking) through the gate into Shadow: two fleets, one schedule, partitions shared', async () => {
    const v3 = await uploadModel(ns, 'v3.onnx', amountOnly(0.04));
    await admin.mergePatch(fmPath(ns, 'gate'), { spec: { model: { uri: v3.uri, version: 'v3', sha256: v3.sha256 } } });
    const fm = await until('v3 in Shadow', (f) => f.status?.phase === 'Shadow');
    const passed = fm.status?.history?.find((h) => h.decision === 'gate-passed');
    console.log(`v3 gate: ${passed?.message}`);
    expect(passed).toMatchObject({ version: 'v3', reason: 'GatePassed' });
    expect(fm.status).toMatchObject({ stableVersion: 'v1', canaryVersion: 'v3', canaryWeight: 0 });
    expect(cond(fm, 'Progressing')).toMatchObject({ status: 'True', reason: 'RolloutInProgress' });
    const configs = await eventually('both fleets configured', async () => {
      const c = await admin.list<{ metadata: { name: string }; data: Record<string, string> }>(
        `/api/v1/namespaces/${ns}/configmaps`,
        { labelSelector: 'fraud.payments.dev/model=gate' },
      );
      return c.items.length === 2 ? c.items.map((i) => JSON.parse(i.data['scorer.json']!)) : undefined;
    });
    expect(configs.map((c) => [c.model.version, c.mode]).sort()).toEqual([
      ['v1', 'canary'],
      ['v3', 'canary'],
    ]);
    // The two ConfigMaps are separate writes, so coveredUntil (which moves ahead every reconcile) may differ between
    // them; the append-only steps and the versions must not.
    const { coveredUntil: a, ...authority0 } = configs[0].authority;
    const { coveredUntil: b, ...authority1 } = configs[1].authority;
    expect(authority0).toEqual(authority1);
    // Coverage grows only from the scorers' frontier, in event time: no scorer scores on kwok nodes, so none is
    // promised yet (a real fleet waits at its first transaction until the operator has seen where it is).
    expect([a, b]).toEqual([0, 0]);
    expect(configs[0].authority).toMatchObject({
      stableVersion: 'v1',
      canaryVersion: 'v3',
      steps: [{ from: 0, weight: 0 }],
    });
    const hpas = await admin.list<{ spec: { maxReplicas: number } }>(
      `/apis/autoscaling/v2/namespaces/${ns}/horizontalpodautoscalers`,
    );
    expect(hpas.items).toHaveLength(2);
    expect(hpas.items.reduce((n, h) => n + h.spec.maxReplicas, 0)).toBeLessThanOrEqual(4);
    expect((await topicPartitions([`${ns}.scores.v3`])).get(`${ns}.scores.v3`)).toBe(4);
    // Level-triggered without feedback: the operator's own writes (status, ConfigMaps whose coveredUntil moves on
    // every reconcile) must not trigger reconciles; only the rollout poll (1 s here) and foreign changes do.
    const port = /"port":(\d+),"msg":"operator started"/.exec(operator.logs())?.[1];
    const reconcileCount = async () =>
      Number(
        /fraudmodel_reconcile_total\{result="ok"\} (\d+)/.exec(
          await (await fetch(`http://127.0.0.1:${port}/metrics`)).text(),
        )?.[1],
      );
    const before = await reconcileCount();
    await new Promise((r) => setTimeout(r, 3_000));
    const reconcilesIn3s = (await reconcileCount()) - before;
    console.log(`reconciles in 3 s of shadow (poll 1 s): ${reconcilesIn3s}`);
    expect(reconcilesIn3s).toBeGreaterThanOrEqual(2);
    expect(reconcilesIn3s).toBeLessThanOrEqual(8);
    console.log(`kubectl get fraudmodels during the shadow:\n${await kubectl('get', 'fraudmodels', '-n', ns)}`);
  });

  it('pauses on the annotation and rolls the canary back on abort, removing its fleet', async () => {
    await admin.mergePatch(fmPath(ns, 'gate'), {
      metadata: { annotations: { 'fraud.payments.dev/pause-rollout': 'true' } },
    });
    const paused = await until('the rollout to pause', (f) => f.status?.phase === 'Paused');
    expect(cond(paused, 'Progressing')).toMatchObject({ status: 'False', reason: 'RolloutPaused' });
    await admin.mergePatch(fmPath(ns, 'gate'), {
      metadata: { annotations: { 'fraud.payments.dev/pause-rollout': null, 'fraud.payments.dev/abort-rollout': 'v3' } },
    });
    const fm = await until('the abort', (f) => f.status?.rollout?.phase === 'RolledBack');
    expect(fm.status?.history?.some((h) => h.decision === 'rollback' && h.reason === 'Aborted')).toBe(true);
    expect(fm.status).toMatchObject({ stableVersion: 'v1', phase: 'Stable', canaryWeight: 0 });
    expect(cond(fm, 'Degraded')).toMatchObject({ status: 'True', reason: 'RolledBack' });
    await eventually('the v3 fleet to be removed', async () => {
      const c = await childrenIn(ns);
      return c.Deployment.map((d) => d.metadata.name).join() === 'gate-v1' && c.ConfigMap.length === 1
        ? true
        : undefined;
    });
    const config = await admin.get<{ data: Record<string, string> }>(
      `/api/v1/namespaces/${ns}/configmaps/gate-v1-config`,
    );
    expect(JSON.parse(config.data['scorer.json']!).mode).toBe('primary');
  });
});

import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadStackEnv, REPO_ROOT } from '@fraud-operator/stack/env';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const stack = loadStackEnv();
const kubectlPath = stack.KUBECTL;
if (!kubectlPath) throw new Error('the stack env file has no KUBECTL: run `npm run stack -- up`');
const crdsDir = join(REPO_ROOT, 'crds');
const examplesDir = join(crdsDir, 'examples');
const namespace = `crd-test-${randomBytes(4).toString('hex')}`;

interface KubectlResult {
  ok: boolean;
  output: string;
}

async function kubectl(...args: string[]): Promise<KubectlResult> {
  try {
    const { stdout, stderr } = await run(kubectlPath as string, args, {
      env: { ...process.env, KUBECONFIG: stack.KUBECONFIG },
      timeout: 60_000,
    });
    return { ok: true, output: stdout + stderr };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string };
    return { ok: false, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` || failed.message };
  }
}

function expectedMessage(file: string): string {
  const line = readFileSync(join(examplesDir, file), 'utf8')
    .split('\n')
    .find((text) => text.startsWith('# expect:'));
  if (!line) throw new Error(`${file} has no "# expect: <message>" line`);
  return line.slice('# expect:'.length).trim();
}

const invalidExamples = readdirSync(examplesDir).filter(
  (file) => file.startsWith('invalid-') && file.endsWith('.yaml'),
);

describe('FraudModel CRD on the real API server', () => {
  beforeAll(async () => {
    const applied = await kubectl('apply', '-f', join(crdsDir, 'fraudmodels.yaml'));
    expect(applied.output, applied.output).toMatch(/fraudmodels.fraud.payments.dev/);
    expect(applied.ok, applied.output).toBe(true);
    const established = await kubectl(
      'wait',
      '--for=condition=Established',
      'crd/fraudmodels.fraud.payments.dev',
      '--timeout=60s',
    );
    expect(established.ok, established.output).toBe(true);
    const created = await kubectl('create', 'namespace', namespace);
    expect(created.ok, created.output).toBe(true);
  });

  afterAll(async () => {
    await kubectl('delete', 'namespace', namespace, '--wait=false', '--ignore-not-found');
  });

  it('accepts the valid example and shows it with the printer columns', async () => {
    const applied = await kubectl('apply', '-n', namespace, '-f', join(examplesDir, 'valid.yaml'));
    expect(applied.ok, applied.output).toBe(true);
    const listed = await kubectl('get', 'fraudmodels', '-n', namespace);
    expect(listed.ok, listed.output).toBe(true);
    const header = listed.output.split('\n')[0] ?? '';
    for (const column of ['STABLE', 'CANARY', 'WEIGHT', 'PHASE', 'STABLE PR-AUC', 'CANARY PR-AUC', 'AGE']) {
      expect(header).toContain(column);
    }
    expect(listed.output).toContain('card-fraud');
  });

  it('has a status subresource: a spec write does not set status, a status write does', async () => {
    const patch = JSON.stringify({ status: { phase: 'Stable', stableVersion: 'v7', canaryWeight: 0 } });
    const ignored = await kubectl('patch', 'fraudmodel', 'card-fraud', '-n', namespace, '--type=merge', '-p', patch);
    expect(ignored.ok, ignored.output).toBe(true);
    const before = await kubectl('get', 'fraudmodel', 'card-fraud', '-n', namespace, '-o', 'jsonpath={.status.phase}');
    expect(before.output).toBe('');
    const written = await kubectl(
      'patch',
      'fraudmodel',
      'card-fraud',
      '-n',
      namespace,
      '--subresource=status',
      '--type=merge',
      '-p',
      patch,
    );
    expect(written.ok, written.output).toBe(true);
    const after = await kubectl('get', 'fraudmodel', 'card-fraud', '-n', namespace, '-o', 'jsonpath={.status.phase}');
    expect(after.output).toBe('Stable');
  });

  it('has at least one invalid example per rule', () => {
    expect(invalidExamples.length).toBeGreaterThanOrEqual(6);
  });

  for (const file of invalidExamples) {
    it(`refuses ${file} with a readable message`, async () => {
      const expected = expectedMessage(file);
      const applied = await kubectl('apply', '-n', namespace, '-f', join(examplesDir, file));
      expect(applied.ok, applied.output).toBe(false);
      expect(applied.output).toContain(expected);
      expect(applied.output).toMatch(/is invalid/);
    });
  }

  it('explains spec and its fields through kubectl explain', async () => {
    const explained = await kubectl('explain', 'fraudmodel.spec');
    expect(explained.ok, explained.output).toBe(true);
    for (const field of ['model', 'kafka', 'scaling', 'rollout'])
      expect(explained.output).toMatch(new RegExp(`^\\s+${field}\\s+<Object>`, 'm'));
    const rollout = await kubectl('explain', 'fraudmodel.spec.rollout');
    for (const field of ['steps', 'analysisWindowMinutes', 'minLabelledFrauds', 'maxPrAucLoss', 'maxFailedChecks']) {
      expect(rollout.output).toContain(field);
    }
    expect(rollout.output).toContain('strictly increasing');
  });
});

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateBucketCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { HANDBOOK, resolveConfig, simulate } from '@fraud-operator/simulator';
import { REPO_ROOT } from '@fraud-operator/stack/env';
import { type ModelCard, publishModel, readCard } from '@fraud-operator/training';
import { writeTransactions } from '@fraud-operator/transactions';
import type { PublishedModel } from './fraud-model.ts';

export const ROLES = ['baseline', 'best', 'degraded'] as const;
export const REGISTRY_BUCKET = 'fraud-registry';
export const MODEL_NAME = 'card-fraud';

/**
 * The three versions the pipeline makes (fraudctl pipeline: Handbook history, baseline/best/degraded), trained once
 * into `work` (outside the repo) and published to the local S3 registry; a later demo finds them and moves on.
 */
export async function ensureModels(s3: S3Client, work: string, say: (m: string) => void): Promise<PublishedModel[]> {
  const cardPath = (role: string) => join(work, 'models', role, 'card.json');
  if (ROLES.every((r) => existsSync(cardPath(r)))) say(`models: trained ones found in ${work}`);
  else {
    say(
      `models: training baseline, best and degraded with fraudctl pipeline into ${work} (about a minute on an idle machine)`,
    );
    const r = spawnSync(
      process.execPath,
      [join(REPO_ROOT, 'packages/fraudctl/src/cli.ts'), 'pipeline', '--work', work, '--no-publish'],
      { stdio: 'inherit' },
    );
    if (r.status !== 0) throw new Error(`fraudctl pipeline failed (exit ${r.status})`);
  }
  await s3.send(new CreateBucketCommand({ Bucket: REGISTRY_BUCKET })).catch(() => undefined);
  const out: PublishedModel[] = [];
  for (const role of ROLES) {
    const dir = join(work, 'models', role);
    const card = JSON.parse(readFileSync(cardPath(role), 'utf8')) as ModelCard;
    const version = `${role}-${card.sha256.slice(0, 8)}`;
    const published = await readCard(s3, REGISTRY_BUCKET, MODEL_NAME, version).catch(() => undefined);
    if (published?.sha256 !== card.sha256) await publishModel(s3, REGISTRY_BUCKET, dir, MODEL_NAME, version);
    out.push({ role, version, uri: `s3://${REGISTRY_BUCKET}/models/${MODEL_NAME}/${version}/model.onnx`, card });
  }
  return out;
}

/** Labelled history for the gate's offline replay: a month of the Handbook's configuration (its own seed), once. */
export async function ensureReplayHistory(s3: S3Client, work: string): Promise<string> {
  const key = 'history/handbook-30d-seed7.arrow';
  const exists = await s3
    .send(new HeadObjectCommand({ Bucket: REGISTRY_BUCKET, Key: key }))
    .then(() => true)
    .catch(() => false);
  if (!exists) {
    const file = join(work, 'replay-history.arrow');
    if (!existsSync(file)) await writeTransactions(file, [...simulate(resolveConfig(HANDBOOK, { days: 30 }), 7)]);
    await s3.send(new PutObjectCommand({ Bucket: REGISTRY_BUCKET, Key: key, Body: readFileSync(file) }));
  }
  return `s3://${REGISTRY_BUCKET}/${key}`;
}

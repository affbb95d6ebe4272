import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadBucketCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { ModelCard } from './model-card.ts';
import { openCheckedModel } from './model-schema.ts';

export const MODEL_FILES = ['model.onnx', 'card.json', 'report.md', 'pr-curve.svg'] as const;
export const modelPrefix = (name: string, version: string) => `models/${name}/${version}/`;

const NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** Puts a trained model folder at `models/<name>/<version>/`; an existing version is never overwritten. */
export async function publishModel(s3: S3Client, bucket: string, dir: string, name: string, version: string) {
  if (!NAME.test(name)) throw new Error(`--name must be a DNS label (a-z, 0-9, -), got "${name}"`);
  if (!NAME.test(version)) throw new Error(`--version must be a DNS label (a-z, 0-9, -), got "${version}"`);
  const card = JSON.parse(readFileSync(join(dir, 'card.json'), 'utf8')) as ModelCard;
  const onnx = readFileSync(join(dir, 'model.onnx'));
  const sha = createHash('sha256').update(onnx).digest('hex');
  if (sha !== card.sha256)
    throw new Error(`${dir}/model.onnx does not match its card (sha256 ${sha} ≠ ${card.sha256})`);
  if (card.input.shape[1] !== card.features.length)
    throw new Error(
      `${dir}/card.json: input.shape says ${card.input.shape[1]} features, the feature schema lists ${card.features.length}`,
    );
  // The graph must take the card's feature schema: a mismatched model never reaches the registry.
  const session = await openCheckedModel(onnx, {
    inputName: card.input.name,
    width: card.features.length,
    outputName: card.output.name,
  }).catch((err: unknown) => {
    throw new Error(`${dir}/model.onnx does not fit its card: ${err instanceof Error ? err.message : String(err)}`);
  });
  await session.release();
  const prefix = modelPrefix(name, version);
  await s3
    .send(new HeadBucketCommand({ Bucket: bucket }))
    .catch(() => s3.send(new CreateBucketCommand({ Bucket: bucket })));
  // model.onnx first, conditionally: a second publish of the same version fails here, before anything changes.
  try {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${prefix}model.onnx`, Body: onnx, IfNoneMatch: '*' }));
  } catch (err) {
    if ((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 412)
      throw new Error(`s3://${bucket}/${prefix} already exists: versions are immutable, publish a new version`);
    throw err;
  }
  for (const file of MODEL_FILES.slice(1)) {
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: `${prefix}${file}`, Body: readFileSync(join(dir, file)) }),
    );
  }
  return { uri: `s3://${bucket}/${prefix}model.onnx`, card };
}

export async function readCard(s3: S3Client, bucket: string, name: string, version: string): Promise<ModelCard> {
  const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: `${modelPrefix(name, version)}card.json` }));
  return JSON.parse(await res.Body!.transformToString()) as ModelCard;
}

/** Pure: a FraudModel manifest for a published version (crds/fraudmodels.yaml). */
export function fraudModelManifest(bucket: string, name: string, version: string, card: ModelCard, partitions = 4) {
  return {
    apiVersion: 'fraud.payments.dev/v1alpha1',
    kind: 'FraudModel',
    metadata: { name },
    spec: {
      model: {
        uri: `s3://${bucket}/${modelPrefix(name, version)}model.onnx`,
        version,
        sha256: card.sha256,
        threshold: Number(card.threshold.threshold.toFixed(6)),
        featureCount: card.features.length,
        inputName: card.input.name,
      },
      kafka: {
        bootstrapSecret: 'kafka-bootstrap',
        partitions,
        topics: { input: 'transactions', verdicts: 'verdicts', labels: 'labels', deadLetters: 'transactions-dlq' },
      },
      scaling: { minReplicas: 1, maxReplicas: partitions, targetLagPerReplica: 1000 },
      rollout: {
        steps: [10, 50, 100],
        analysisWindowMinutes: 10,
        minLabelledFrauds: 30,
        maxPrAucLoss: 0.02,
        maxFailedChecks: 2,
      },
    },
  };
}

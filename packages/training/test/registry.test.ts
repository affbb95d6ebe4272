// The model registry against the stack's real S3: publish a trained folder, read its card back, print a manifest the
// API server accepts; a version is immutable; a folder whose model does not match its card is refused.
import { createHash, randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteBucketCommand, DeleteObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
// Test-only: the scorer's hand-written ONNX model stands in for a trained one (training needs the Python venv).
import { tinyModelBytes } from '../../../scorer-image/test/fixtures/tiny-model.ts';
import type { ModelCard } from '../src/model-card.ts';
import { fraudModelManifest, publishModel, readCard } from '../src/registry.ts';
import { s3FromEnvOrStack } from '../src/s3-env.ts';

const s3 = s3FromEnvOrStack();
const bucket = `registry-${randomUUID().slice(0, 8)}`;
const dir = mkdtempSync(join(tmpdir(), 'registry-'));

function modelFolder(weights: number[]): ModelCard {
  const onnx = tinyModelBytes({ weights, bias: -1 });
  writeFileSync(join(dir, 'model.onnx'), onnx);
  const card = {
    name: 'card-fraud',
    recipe: 'best',
    featureSet: 'test',
    features: weights.map((_, i) => ({ name: `f${i}`, type: 'float32' as const })),
    input: { name: 'input', shape: [null, weights.length] as [null, number] },
    output: { name: 'probabilities' as const, column: 1 as const },
    threshold: {
      policy: { kind: 'max-fpr' as const, value: 0.01 },
      threshold: 0.25,
      precision: 0.5,
      recall: 0.7,
      falsePositiveRate: 0.01,
      alertShare: 0.02,
    },
    metrics: {
      ap: { mean: 0.7, std: 0.01 },
      rocAuc: { mean: 0.9, std: 0.01 },
      cardPrecisionAt100: { mean: 0.3, std: 0.02 },
      protocol: 'test',
    },
    training: { transactions: 'x', fromDay: '2018-08-01', toDay: '2018-08-28', rows: 1, frauds: 1, seed: 0 },
    sha256: createHash('sha256').update(onnx).digest('hex'),
    importances: [],
  };
  writeFileSync(join(dir, 'card.json'), JSON.stringify(card));
  writeFileSync(join(dir, 'report.md'), '# report\n');
  writeFileSync(join(dir, 'pr-curve.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>\n');
  return card;
}

afterAll(async () => {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
  for (const o of listed.Contents ?? []) await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: o.Key! }));
  await s3.send(new DeleteBucketCommand({ Bucket: bucket })).catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

describe('model registry', () => {
  it('publishes a version, reads its card back and makes a manifest from it', async () => {
    const card = modelFolder([0.5, 0.25, 1]);
    const { uri } = await publishModel(s3, bucket, dir, 'card-fraud', 'v1');
    expect(uri).toBe(`s3://${bucket}/models/card-fraud/v1/model.onnx`);
    expect(await readCard(s3, bucket, 'card-fraud', 'v1')).toEqual(card);
    const m = fraudModelManifest(bucket, 'card-fraud', 'v1', card);
    expect(m.spec.model).toMatchObject({ uri, version: 'v1', sha256: card.sha256, threshold: 0.25, featureCount: 3 });
  });

  it('never overwrites a version', async () => {
    modelFolder([1, 1, 1]);
    await expect(publishModel(s3, bucket, dir, 'card-fraud', 'v1')).rejects.toThrow(/already exists/);
    const card = await readCard(s3, bucket, 'card-fraud', 'v1');
    expect(card.features).toHaveLength(3);
    expect(card.sha256).not.toBe(
      createHash('sha256')
        .update(tinyModelBytes({ weights: [1, 1, 1], bias: -1 }))
        .digest('hex'),
    );
  });

  it('refuses a folder whose model does not match its card, and bad names', async () => {
    modelFolder([0.1, 0.2]);
    copyFileSync(join(dir, 'report.md'), join(dir, 'model.onnx'));
    await expect(publishModel(s3, bucket, dir, 'card-fraud', 'v2')).rejects.toThrow(/does not match its card/);
    await expect(publishModel(s3, bucket, dir, 'Card_Fraud', 'v2')).rejects.toThrow(/DNS label/);
  });

  it('refuses, before any upload, a model whose input does not fit the feature schema of its card', async () => {
    const card = modelFolder([0.1, 0.2, 0.3]);
    // A 4-wide graph under a 3-feature card whose sha256 matches it: only the schema check can catch it.
    const onnx = tinyModelBytes({ weights: [0.1, 0.2, 0.3, 0.4], bias: -1 });
    writeFileSync(join(dir, 'model.onnx'), onnx);
    writeFileSync(
      join(dir, 'card.json'),
      JSON.stringify({ ...card, sha256: createHash('sha256').update(onnx).digest('hex') }),
    );
    await expect(publishModel(s3, bucket, dir, 'card-fraud', 'v3')).rejects.toThrow(
      /does not fit its card: model refused: the model takes 4 features; the feature schema has 3/,
    );
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'models/card-fraud/v3/' }));
    expect(listed.KeyCount ?? 0).toBe(0);
  });
});

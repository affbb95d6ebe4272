import { createHash } from 'node:crypto';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { GateEvidence } from '@fraud-operator/canary';
import { contractMismatch, onnxInputsOutputs } from './onnx-io.ts';

export interface ArtifactCard {
  uri: string;
  sha256: string;
  inputName?: string | undefined;
  featureCount?: number | undefined;
}

export function parseS3Uri(uri: string): { bucket: string; key: string } {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!m) throw new Error(`spec.model.uri ${JSON.stringify(uri)} is not s3://<bucket>/<key>`);
  return { bucket: m[1] as string, key: m[2] as string };
}

/**
 * The artifact half of the gate: fetches the ONNX file, hashes it and checks its inputs and outputs against the
 * card. Results are kept per (uri, sha256) so a resync does not download the model again.
 */
export class ArtifactGate {
  private readonly cache = new Map<string, Pick<GateEvidence, 'sha256' | 'contract'>>();
  private readonly s3: S3Client;
  constructor(s3: S3Client) {
    this.s3 = s3;
  }

  async check(card: ArtifactCard): Promise<Pick<GateEvidence, 'sha256' | 'contract'>> {
    const cacheKey = `${card.uri}#${card.sha256}#${card.inputName}#${card.featureCount}`;
    const cached = this.cache.get(cacheKey);
    if (cached) return cached;
    const { bucket, key } = parseS3Uri(card.uri);
    let bytes: Uint8Array;
    try {
      const object = await this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      bytes = await object.Body!.transformToByteArray();
    } catch (err) {
      throw new Error(
        `model artifact ${card.uri} could not be read: ${(err as Error).name}: ${(err as Error).message}`,
        {
          cause: err,
        },
      );
    }
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    let contract: GateEvidence['contract'];
    try {
      const why = contractMismatch(onnxInputsOutputs(bytes), {
        inputName: card.inputName ?? 'input',
        featureCount: card.featureCount ?? 15,
      });
      contract = why === null ? { ok: true } : { ok: false, message: why };
    } catch (err) {
      contract = { ok: false, message: (err as Error).message };
    }
    const result = { sha256, contract };
    this.cache.set(cacheKey, result);
    return result;
  }
}

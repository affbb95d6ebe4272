import { existsSync } from 'node:fs';
import { S3Client } from '@aws-sdk/client-s3';
import { loadStackEnv } from '@fraud-operator/stack/env';
import { stackPaths } from '@fraud-operator/stack/paths';

/** S3 from S3_ENDPOINT/S3_REGION/S3_ACCESS_KEY_ID/S3_SECRET_ACCESS_KEY, else from the local stack's .stack/env. */
export function s3FromEnvOrStack(): S3Client {
  const fromStack = !process.env.S3_ENDPOINT && existsSync(stackPaths.env) ? loadStackEnv() : undefined;
  const env = { ...fromStack, ...process.env };
  const accessKeyId = env.S3_ACCESS_KEY_ID;
  const secretAccessKey = env.S3_SECRET_ACCESS_KEY;
  return new S3Client({
    region: env.S3_REGION ?? 'us-east-1',
    forcePathStyle: true,
    ...(env.S3_ENDPOINT ? { endpoint: env.S3_ENDPOINT } : {}),
    ...(accessKeyId && secretAccessKey ? { credentials: { accessKeyId, secretAccessKey } } : {}),
  });
}

import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';

export interface S3Settings {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/** Fetches `s3://bucket/key` into memory. */
export async function fetchModel(uri: string, s3: S3Settings): Promise<Uint8Array> {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (match === null) throw new Error(`model uri ${JSON.stringify(uri)} is not s3://bucket/key`);
  const client = new S3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  });
  try {
    const out = await client.send(new GetObjectCommand({ Bucket: match[1], Key: match[2] }));
    if (out.Body === undefined) throw new Error(`model ${uri}: empty body`);
    return await out.Body.transformToByteArray();
  } finally {
    client.destroy();
  }
}

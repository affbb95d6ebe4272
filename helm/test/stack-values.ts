// Chart values for the local stack's real node: the locally built images (imagePullPolicy Never), pinned to the
// node, and the servers at the addresses pods reach (POD_KAFKA_BROKERS, POD_REDIS_URL and
// POD_VERDICT_REDIS_URL, POD_S3_ENDPOINT).
import { randomBytes } from 'node:crypto';
import { podRedisValues } from '@fraud-operator/stack/env';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { env } from './tools.ts';

export const ISSUER = 'https://issuer.helm-test.local/';
export const AUDIENCE = 'fraud-api-helm-test';

export function imageValues(ref: string) {
  const at = ref.lastIndexOf(':');
  if (at <= ref.lastIndexOf('/')) throw new Error(`image ${ref} has no tag`);
  return { repository: ref.slice(0, at), tag: ref.slice(at + 1), pullPolicy: 'Never' };
}

export interface SigningKey {
  privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
  jwks: { keys: JWK[] };
}

export async function signingKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: `helm-${randomBytes(3).toString('hex')}`, alg: 'ES256' };
  return { privateKey, jwks: { keys: [jwk] } };
}

export const token = (key: SigningKey, scope: string) =>
  new SignJWT({ scope })
    .setProtectedHeader({ alg: 'ES256', kid: key.jwks.keys[0]!.kid! })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject('helm-test')
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(key.privateKey);

export interface StackValuesOptions {
  key: SigningKey;
  topic: string;
  bucket: string;
  operator: boolean;
}

export function stackValues({ key, topic, bucket, operator }: StackValuesOptions) {
  const node = env.STACK_NODE;
  if (!node || !env.API_IMAGE || !env.ARCHIVER_IMAGE) {
    throw new Error('.stack/env has no real node or images: run `npm run stack -- up` (with the node)');
  }
  const placement = { nodeSelector: { 'kubernetes.io/hostname': node } };
  const small = { requests: { cpu: '10m', memory: '64Mi' }, limits: { memory: '384Mi' } };
  return {
    kafka: { bootstrap: env.POD_KAFKA_BROKERS, transactionsTopic: topic },
    redis: podRedisValues(env),
    s3: {
      endpoint: env.POD_S3_ENDPOINT,
      region: env.S3_REGION,
      credentials: { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY },
    },
    scorerRuntimeSecret: { create: operator },
    operator: {
      enabled: operator,
      replicas: 1,
      ...(operator
        ? {
            image: imageValues(env.OPERATOR_IMAGE!),
            scorerImage: imageValues(env.SCORER_IMAGE!),
            // The local stack runs no kube-proxy, so the kubernetes Service IP leads nowhere: pods reach the
            // apiserver at the node's address, as operator/test/in-cluster.test.ts does.
            extraEnv: [
              { name: 'KUBERNETES_SERVICE_HOST', value: env.NODE_ADDRESS! },
              { name: 'KUBERNETES_SERVICE_PORT', value: new URL(env.KUBE_APISERVER!).port },
            ],
          }
        : {}),
      resources: small,
      ...placement,
    },
    api: {
      image: imageValues(env.API_IMAGE),
      replicas: 2,
      auth: { issuer: ISSUER, audience: AUDIENCE, jwks: JSON.stringify(key.jwks), jwksUrl: '' },
      resources: small,
      ...placement,
    },
    archiver: {
      image: imageValues(env.ARCHIVER_IMAGE),
      bucket,
      prefix: 'helm-test',
      // The age cap completes an object of an idle partition: short, so a test sees its object within seconds.
      objectMaxAge: '2s',
      encryption: { key: `helm-test:${randomBytes(32).toString('base64')}`, existingSecret: '' },
      resources: small,
      ...placement,
    },
  };
}

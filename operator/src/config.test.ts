import { describe, expect, it } from 'vitest';
import { configFromEnv } from './config.ts';

const base = {
  SCORER_IMAGE: 'img',
  KAFKA_BROKERS: 'a:1,b:2',
  S3_ENDPOINT: 'http://s3',
  S3_ACCESS_KEY_ID: 'k',
  S3_SECRET_ACCESS_KEY: 's',
  OPERATOR_NAMESPACE: 'ops',
};

describe('configFromEnv', () => {
  it('reads defaults and lists', () => {
    const c = configFromEnv(base);
    expect(c).toMatchObject({
      watchNamespace: '',
      leaseNamespace: 'ops',
      leaseDurationSeconds: 15,
      renewDeadlineMs: 10_000,
      kafkaBrokers: ['a:1', 'b:2'],
      scorerImagePullPolicy: 'IfNotPresent',
      resyncMs: 300_000,
      port: 8081,
      rolloutPolicy: undefined,
    });
    expect(configFromEnv({ ...base, ROLLOUT_POLICY: '{"leadMs":5000,"resamples":500}' }).rolloutPolicy).toEqual({
      leadMs: 5000,
      resamples: 500,
    });
  });

  it.each([
    [{ SCORER_IMAGE: '' }, /SCORER_IMAGE is required/],
    [{ KAFKA_BROKERS: undefined }, /KAFKA_BROKERS is required/],
    [{ SCORER_IMAGE_PULL_POLICY: 'Sometimes' }, /SCORER_IMAGE_PULL_POLICY=Sometimes/],
    [{ WORKERS: '0' }, /WORKERS=0 must be an integer ≥ 1/],
    [{ RESYNC_SECONDS: 'soon' }, /RESYNC_SECONDS=soon/],
    [{ LEASE_DURATION_SECONDS: '5', LEASE_RENEW_DEADLINE_MS: '6000' }, /LEASE_RENEW_DEADLINE_MS must be shorter/],
    [{ ROLLOUT_POLICY: '{leadMs: 1}' }, /ROLLOUT_POLICY is not JSON/],
    [{ ROLLOUT_POLICY: '{"leadMillis": 1}' }, /ROLLOUT_POLICY.leadMillis is unknown/],
    [{ ROLLOUT_POLICY: '{"leadMs": "1"}' }, /ROLLOUT_POLICY.leadMs must be a number/],
  ])('refuses %o naming the variable', (override, message) => {
    expect(() => configFromEnv({ ...base, ...override })).toThrow(message);
  });
});

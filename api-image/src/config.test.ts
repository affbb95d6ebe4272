import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './config.ts';

const minimal = {
  KAFKA_BROKERS: 'kafka-0:9092,kafka-1:9092',
  REDIS_URL: 'redis://redis:6379',
  JWT_ISSUER: 'https://issuer',
  JWT_AUDIENCE: 'fraud-api',
  JWT_KEY_FILE: '/keys/jwks.json',
};

const problems = (env: Record<string, string>) => {
  try {
    parseConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
};

describe('parseConfig', () => {
  it('fills defaults around the required settings', () => {
    const c = parseConfig(minimal);
    expect(c.host).toBe('0.0.0.0');
    expect(c.port).toBe(8080);
    expect(c.kafka.brokers).toEqual(['kafka-0:9092', 'kafka-1:9092']);
    expect(c.auth.algorithms).toEqual(['ES256']);
    expect(c.auth.keys).toEqual({ kind: 'key-file', path: '/keys/jwks.json' });
    expect(c.auth.clockSkewSeconds).toBe(30);
  });

  it('names every missing variable at once', () => {
    expect(problems({})).toEqual(
      expect.arrayContaining([
        'KAFKA_BROKERS is required',
        'REDIS_URL is required',
        'JWT_ISSUER is required',
        'JWT_AUDIENCE is required',
        'one of JWT_JWKS_URL or JWT_KEY_FILE is required',
      ]),
    );
  });

  it('refuses none, HMAC and unknown algorithms', () => {
    for (const alg of ['none', 'HS256', 'RS1'])
      expect(problems({ ...minimal, JWT_ALGORITHMS: `ES256,${alg}` })[0]).toMatch(
        `JWT_ALGORITHMS entry "${alg}" is not allowed`,
      );
    expect(parseConfig({ ...minimal, JWT_ALGORITHMS: 'RS256, EdDSA' }).auth.algorithms).toEqual(['RS256', 'EdDSA']);
  });

  it('wants exactly one key source', () => {
    expect(problems({ ...minimal, JWT_JWKS_URL: 'https://issuer/jwks' })).toEqual([
      'set only one of JWT_JWKS_URL and JWT_KEY_FILE',
    ]);
    const { JWT_KEY_FILE: _, ...noFile } = minimal;
    expect(parseConfig({ ...noFile, JWT_JWKS_URL: 'https://issuer/jwks' }).auth.keys).toEqual({
      kind: 'jwks-url',
      url: 'https://issuer/jwks',
    });
    expect(problems({ ...noFile, JWT_JWKS_URL: 'file:///etc/passwd' })[0]).toMatch(/must be an http\(s\) URL/);
  });

  it('bounds numbers and names the bad value', () => {
    expect(problems({ ...minimal, JWT_CLOCK_SKEW_SECONDS: '3600' })).toEqual([
      'JWT_CLOCK_SKEW_SECONDS="3600" must be an integer from 0 to 300',
    ]);
    expect(problems({ ...minimal, PORT: 'http' })[0]).toMatch(/^PORT="http"/);
    expect(problems({ ...minimal, KAFKA_BROKERS: 'kafka' })[0]).toMatch(/not host:port/);
    expect(problems({ ...minimal, REDIS_URL: 'localhost:6379' })[0]).toMatch(/must start with redis:\/\//);
    expect(problems({ ...minimal, SCORE_WAIT_MS: '6000', MAX_WAIT_MS: '5000' })).toEqual([
      'SCORE_WAIT_MS must not exceed MAX_WAIT_MS',
    ]);
  });
});

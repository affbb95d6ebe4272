// The API's configuration: parsed once from the environment at boot, every problem reported at once.

/** Asymmetric JWS algorithms only: HMAC is refused outright, so a public key can never be used as an HMAC secret. */
export const ALLOWED_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
] as const;
export type Algorithm = (typeof ALLOWED_ALGORITHMS)[number];

export type KeySource = { kind: 'jwks-url'; url: string } | { kind: 'key-file'; path: string };

export interface AuthConfig {
  issuer: string;
  audience: string;
  algorithms: Algorithm[];
  keys: KeySource;
  clockSkewSeconds: number;
  /** How often a key file is re-read (cheap: only its content is compared). */
  keyRefreshSeconds: number;
  /** How long a verified token is remembered (never past its exp; forgotten when the keys change); 0 turns it off. */
  tokenCacheSeconds: number;
}

export interface Config {
  host: string;
  port: number;
  logLevel: string;
  kafka: { brokers: string[]; clientId: string; transactionsTopic: string };
  redisUrl: string;
  auth: AuthConfig;
  limits: {
    bodyBytes: number;
    /** Requests per minute per token subject, per API replica. */
    ratePerMinute: number;
    maxWaitMs: number;
    defaultScoreWaitMs: number;
    publishTimeoutMs: number;
  };
  idempotency: { ttlSeconds: number; leaseSeconds: number };
}

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Reads the configuration from `env`; throws one ConfigError naming every bad or missing variable. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const problems: string[] = [];
  const text = (name: string, fallback?: string): string => {
    const value = env[name]?.trim();
    if (value) return value;
    if (fallback !== undefined) return fallback;
    problems.push(`${name} is required`);
    return '';
  };
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name}=${JSON.stringify(raw)} must be an integer from ${min} to ${max}`);
      return fallback;
    }
    return value;
  };

  const brokers = text('KAFKA_BROKERS')
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b !== '');
  for (const b of brokers)
    if (!/^[^\s:]+:\d{1,5}$/.test(b)) problems.push(`KAFKA_BROKERS entry ${JSON.stringify(b)} is not host:port`);

  const redisUrl = text('REDIS_URL');
  if (redisUrl && !/^rediss?:\/\//.test(redisUrl))
    problems.push(`REDIS_URL=${JSON.stringify(redisUrl)} must start with redis:// or rediss://`);

  const algorithms = text('JWT_ALGORITHMS', 'ES256')
    .split(',')
    .map((a) => a.trim())
    .filter((a) => a !== '');
  for (const a of algorithms) {
    if (!(ALLOWED_ALGORITHMS as readonly string[]).includes(a)) {
      problems.push(
        `JWT_ALGORITHMS entry ${JSON.stringify(a)} is not allowed (allowed: ${ALLOWED_ALGORITHMS.join(', ')}; never none or HS*)`,
      );
    }
  }

  const jwksUrl = env.JWT_JWKS_URL?.trim();
  const keyFile = env.JWT_KEY_FILE?.trim();
  let keys: KeySource = { kind: 'key-file', path: '' };
  if (jwksUrl && keyFile) problems.push('set only one of JWT_JWKS_URL and JWT_KEY_FILE');
  else if (jwksUrl) {
    if (!/^https?:\/\//.test(jwksUrl)) problems.push(`JWT_JWKS_URL=${JSON.stringify(jwksUrl)} must be an http(s) URL`);
    keys = { kind: 'jwks-url', url: jwksUrl };
  } else if (keyFile) keys = { kind: 'key-file', path: keyFile };
  else problems.push('one of JWT_JWKS_URL or JWT_KEY_FILE is required');

  const logLevel = text('LOG_LEVEL', 'info');
  if (!LOG_LEVELS.includes(logLevel))
    problems.push(`LOG_LEVEL=${JSON.stringify(logLevel)} must be one of ${LOG_LEVELS.join(', ')}`);

  const config: Config = {
    host: text('HOST', '0.0.0.0'),
    port: int('PORT', 8080, 0, 65535),
    logLevel,
    kafka: {
      brokers,
      clientId: text('KAFKA_CLIENT_ID', 'fraud-api'),
      transactionsTopic: text('TRANSACTIONS_TOPIC', 'transactions'),
    },
    redisUrl,
    auth: {
      issuer: text('JWT_ISSUER'),
      audience: text('JWT_AUDIENCE'),
      algorithms: algorithms as Algorithm[],
      keys,
      clockSkewSeconds: int('JWT_CLOCK_SKEW_SECONDS', 30, 0, 300),
      keyRefreshSeconds: int('JWT_KEY_REFRESH_SECONDS', 10, 1, 3600),
      tokenCacheSeconds: int('JWT_CACHE_SECONDS', 60, 0, 3600),
    },
    limits: {
      bodyBytes: int('BODY_LIMIT_BYTES', 8192, 256, 1_048_576),
      ratePerMinute: int('RATE_LIMIT_PER_MINUTE', 6000, 1, 10_000_000),
      maxWaitMs: int('MAX_WAIT_MS', 5000, 0, 30_000),
      defaultScoreWaitMs: int('SCORE_WAIT_MS', 2000, 0, 30_000),
      publishTimeoutMs: int('PUBLISH_TIMEOUT_MS', 5000, 100, 60_000),
    },
    idempotency: {
      ttlSeconds: int('IDEMPOTENCY_TTL_SECONDS', 86_400, 60, 30 * 86_400),
      leaseSeconds: int('IDEMPOTENCY_LEASE_SECONDS', 30, 5, 600),
    },
  };
  if (config.limits.defaultScoreWaitMs > config.limits.maxWaitMs)
    problems.push('SCORE_WAIT_MS must not exceed MAX_WAIT_MS');
  if (config.limits.publishTimeoutMs >= config.idempotency.leaseSeconds * 1000) {
    problems.push(
      'PUBLISH_TIMEOUT_MS must be shorter than IDEMPOTENCY_LEASE_SECONDS, or a slow publish could outlive its lease',
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

import { pino } from 'pino';
import { startScorer } from './app.ts';

const log = pino({ name: 'scorer', redact: ['s3.secretAccessKey'] });
const env = process.env;
const need = (name: string): string => {
  const v = env[name];
  if (v === undefined || v === '') {
    log.fatal({ name }, 'missing environment variable');
    process.exit(2);
  }
  return v;
};

const wholeNumber = (name: string, unit: string): number | undefined => {
  const v = env[name];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!(Number.isInteger(n) && n >= 0)) {
    log.fatal({ name, value: v }, `${name} must be a whole number of ${unit} >= 0`);
    process.exit(2);
  }
  return n;
};
/** LABEL_DELAY_MS: the chargeback delay the models were trained with (the operator sets the same variable). */
const labelDelayMs = wholeNumber('LABEL_DELAY_MS', 'milliseconds');
const scoreLogTtlSeconds = wholeNumber('SCORE_LOG_TTL_SECONDS', 'seconds');
const histogramTtlSeconds = wholeNumber('HISTOGRAM_TTL_SECONDS', 'seconds');

const scorer = await startScorer({
  configPath: need('SCORER_CONFIG'),
  brokers: need('KAFKA_BROKERS').split(','),
  redisUrl: need('REDIS_URL'),
  ...(env.VERDICT_REDIS_URL ? { verdictRedisUrl: env.VERDICT_REDIS_URL } : {}),
  s3: {
    endpoint: need('S3_ENDPOINT'),
    region: need('S3_REGION'),
    accessKeyId: need('S3_ACCESS_KEY_ID'),
    secretAccessKey: need('S3_SECRET_ACCESS_KEY'),
  },
  log,
  port: Number(env.PORT ?? 8080),
  host: env.HOST ?? '0.0.0.0',
  ...(env.SCORER_GROUP_ID ? { groupId: env.SCORER_GROUP_ID } : {}),
  ...(env.REDIS_KEY_PREFIX ? { redisKeyPrefix: env.REDIS_KEY_PREFIX } : {}),
  ...(env.FEATURE_KEY_PREFIX ? { featureKeyPrefix: env.FEATURE_KEY_PREFIX } : {}),
  ...(labelDelayMs === undefined ? {} : { labelDelayMs }),
  ...(scoreLogTtlSeconds === undefined ? {} : { scoreLogTtlSeconds }),
  ...(histogramTtlSeconds === undefined ? {} : { histogramTtlSeconds }),
  onFatal: () => process.exit(1),
}).catch((err) => {
  log.fatal({ err }, 'scorer failed to start');
  process.exit(1);
});
log.info({ port: scorer.port }, 'scorer started');

let closing = false;
const shutdown = (signal: string) => {
  if (closing) return;
  closing = true;
  log.info({ signal }, 'stopping: finish the batch, commit, leave the group');
  scorer.close().then(
    () => process.exit(0),
    (err) => {
      log.error({ err }, 'unclean stop');
      process.exit(1);
    },
  );
};
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));

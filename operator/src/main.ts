import { pino } from 'pino';
import { startOperator } from './app.ts';
import { configFromEnv } from './config.ts';

const log = pino({ name: 'fraud-operator', redact: ['config.s3.secretAccessKey', 's3.secretAccessKey'] });
let config: ReturnType<typeof configFromEnv>;
try {
  config = configFromEnv();
} catch (err) {
  log.fatal({ err }, 'bad operator config');
  process.exit(2);
}
const operator = await startOperator({
  config,
  log,
  onLostLeadership: () => {
    log.error('lost leadership: exiting so a fresh candidate takes over');
    process.exit(1);
  },
}).catch((err) => {
  log.fatal({ err }, 'operator failed to start');
  process.exit(1);
});

let closing = false;
const shutdown = (signal: string) => {
  if (closing) return;
  closing = true;
  log.info({ signal }, 'stopping: finish reconciles in flight, release the lease');
  const force = setTimeout(() => process.exit(1), 20_000);
  force.unref();
  operator.close().then(
    () => process.exit(0),
    (err) => {
      log.error({ err }, 'shutdown failed');
      process.exit(1);
    },
  );
};
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));

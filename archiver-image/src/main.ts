import { readFileSync } from 'node:fs';
import { buildArchiver, errorSummary } from './app.ts';
import { type ArchiverConfig, parseConfig } from './config.ts';
import { createLogger } from './log.ts';

let config: ArchiverConfig;
try {
  config = parseConfig(process.env, (path) => readFileSync(path, 'utf8'));
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}
const log = createLogger(config.logLevel);
const archiver = buildArchiver(config, {
  log,
  onFatal: () => {
    void archiver.close().finally(() => process.exit(1));
  },
});

let signalled = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (signalled) return;
    signalled = true;
    log.info({ signal }, 'signal received');
    archiver.close().then(
      () => process.exit(0),
      (err) => {
        log.error({ err: String(err) }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}

try {
  await archiver.start();
} catch (err) {
  log.error({ err: errorSummary(err) }, 'archiver failed to start');
  await archiver.close().catch(() => undefined);
  process.exit(1);
}

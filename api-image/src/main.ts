// The API process: configuration from the environment (a bad one crashes at once, naming every problem), signal
// handling, and listening on 0.0.0.0 so probes reach it.
import { buildApp } from './app.ts';
import { ConfigError, parseConfig } from './config.ts';

let config: ReturnType<typeof parseConfig>;
try {
  config = parseConfig(process.env);
} catch (err) {
  process.stderr.write(`fraud-api: ${err instanceof ConfigError ? err.message : String(err)}\n`);
  process.exit(78); // EX_CONFIG
}

const app = await buildApp(config);
try {
  await app.listen({ host: config.host, port: config.port });
} catch (err) {
  app.log.fatal({ err }, 'could not start');
  process.exit(1);
}

let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  app.log.info({ signal }, 'shutting down');
  // Held verdict waits are released at once (preClose); anything still running after 10 s is cut.
  setTimeout(() => process.exit(1), 10_000).unref();
  app.close().then(
    () => process.exit(0),
    (err: unknown) => {
      app.log.error({ err }, 'shutdown failed');
      process.exit(1);
    },
  );
};
process.once('SIGTERM', () => stop('SIGTERM'));
process.once('SIGINT', () => stop('SIGINT'));

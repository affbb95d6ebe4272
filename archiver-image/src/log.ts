import { type Logger, pino } from 'pino';

/** Paths that could carry key material or record contents; the archiver never logs them, this is the net. */
export const REDACT_PATHS = [
  'key.key',
  'config.key',
  'secret',
  'privateKey',
  'credentials',
  '*.credentials',
  '*.secretAccessKey',
  'value',
  '*.value',
  'plaintext',
];

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const options = { level, base: { service: 'archiver' }, redact: { paths: REDACT_PATHS, censor: '[redacted]' } };
  return destination ? pino(options, destination as pino.DestinationStream) : pino(options);
}

export { type Archiver, buildArchiver } from './app.ts';
export { type ArchiverConfig, describeConfig, parseConfig } from './config.ts';

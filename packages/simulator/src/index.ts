export * from './config.ts';
export { Random } from './random.ts';
export { makeProfiles, simulate } from './simulate.ts';

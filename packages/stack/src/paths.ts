import { homedir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, STACK_DIR } from './env.ts';

export { REPO_ROOT, STACK_DIR };

/** Builds and downloads live outside the repo, keyed by version, so a clean clone reuses them. */
export const CACHE_DIR =
  process.env.FRAUD_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'fraud-operator');

export const stackPaths = {
  env: join(STACK_DIR, 'env'),
  kubeconfig: join(STACK_DIR, 'kubeconfig'),
  state: join(STACK_DIR, 'state.json'),
  logs: join(STACK_DIR, 'logs'),
  data: join(STACK_DIR, 'data'),
  pki: join(STACK_DIR, 'pki'),
  config: join(STACK_DIR, 'config'),
  bin: join(STACK_DIR, 'bin'),
  lock: join(STACK_DIR, 'lock'),
};

/** The process group of a running `npm test`, for the reaper to stop if the run itself is killed. */
export const TESTS_PID_FILE = join(STACK_DIR, 'tests.pid');

export const logFile = (part: string): string => join(stackPaths.logs, `${part}.log`);
export const dataDir = (part: string): string => join(stackPaths.data, part);

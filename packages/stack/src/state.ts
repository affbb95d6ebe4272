import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { stackPaths } from './paths.ts';
import { isAlive } from './process.ts';

export interface PartState {
  pid: number;
  address: string;
  version: string;
  startedMs: number;
}

export interface StackState {
  host: string;
  ports: Record<string, number>;
  secrets: Record<string, string>;
  parts: Record<string, PartState>;
  /** The real node, when the stack runs one (node/topology.ts). */
  node?: { netns: string; address: string; nodeName: string };
  /** Why the stack runs without a real node, when it was wanted but this machine cannot. */
  nodeSkipped?: string;
  /** Project images imported into the node, by their environment variable name (SCORER_IMAGE…). */
  images?: Record<string, string>;
  /** The pid of a `npm test` run that brought the stack up and takes it down when it ends. */
  owner?: number;
}

export function readState(): StackState | undefined {
  if (!existsSync(stackPaths.state)) return undefined;
  try {
    return JSON.parse(readFileSync(stackPaths.state, 'utf8')) as StackState;
  } catch {
    return undefined;
  }
}

export function writeState(state: StackState): void {
  writeFileSync(stackPaths.state, `${JSON.stringify(state, null, 2)}\n`);
}

export function clearState(): void {
  rmSync(stackPaths.state, { force: true });
  rmSync(stackPaths.env, { force: true });
}

export const livePids = (state: StackState): number[] =>
  Object.values(state.parts)
    .map((p) => p.pid)
    .filter(isAlive);

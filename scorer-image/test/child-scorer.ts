import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { TestWorld } from './harness.ts';

const MAIN = join(import.meta.dirname, '..', 'src', 'main.ts');

export interface ChildScorer {
  proc: ChildProcess;
  port: number;
  output(): string;
  /** SIGTERM and wait for exit (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<number | null>;
  kill(): void;
}

/**
 * Runs `src/main.ts` as its own process with the Node 24 running the tests (process.execPath, so a SIGKILL hits the
 * scorer itself and not an npx wrapper). The caller must stop it in afterAll/finally.
 */
export function spawnScorer(
  world: TestWorld,
  configPath: string,
  port: number,
  extraEnv: Record<string, string> = {},
): ChildScorer {
  const proc = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH ?? '',
      SCORER_CONFIG: configPath,
      KAFKA_BROKERS: world.env.KAFKA_BROKERS,
      REDIS_URL: world.env.REDIS_URL,
      S3_ENDPOINT: world.env.S3_ENDPOINT,
      S3_REGION: world.env.S3_REGION,
      S3_ACCESS_KEY_ID: world.env.S3_ACCESS_KEY_ID,
      S3_SECRET_ACCESS_KEY: world.env.S3_SECRET_ACCESS_KEY,
      PORT: String(port),
      HOST: '127.0.0.1',
      REDIS_KEY_PREFIX: `${world.id}:`,
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (b: Buffer) => {
    out = (out + b.toString()).slice(-20_000);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  return {
    proc,
    port,
    output: () => out,
    async stop(graceMs = 15_000) {
      if (proc.exitCode !== null || proc.signalCode !== null) return proc.exitCode;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    kill() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    },
  };
}

export async function isReady(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200;
  } catch {
    return false;
  }
}

import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '@fraud-operator/stack/process';

const REPO = join(import.meta.dirname, '..', '..', '..');
const REQUIREMENTS = join(import.meta.dirname, '..', 'python', 'requirements.txt');
export const VENV = process.env.FRAUD_VENV ?? join(REPO, '.venv');
export const PYTHON = join(VENV, 'bin', 'python');
export const TRAIN_SCRIPT = join(import.meta.dirname, '..', 'python', 'train.py');

/** The project's virtual environment, made on first use and re-made when requirements.txt changes. */
export async function ensureVenv(say: (m: string) => void = () => {}): Promise<string> {
  const want = createHash('sha256').update(readFileSync(REQUIREMENTS)).digest('hex');
  const marker = join(VENV, '.requirements.sha256');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === want) return PYTHON;
  say(`[train] creating the Python environment in ${VENV} (first use: about 2 minutes)`);
  if (!existsSync(PYTHON)) await run('python3', ['-m', 'venv', VENV]);
  await run(PYTHON, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-r', REQUIREMENTS]);
  writeFileSync(marker, want);
  return PYTHON;
}

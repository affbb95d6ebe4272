// Bad input to the training commands: unknown flags and impossible values are refused by name before any work, and
// a CSV with a missing column names it. No server and no Python: every case fails before fitting.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluateCommand } from './evaluate.ts';
import { pipelineCommand } from './pipeline.ts';
import { manifestCommand, publishCommand } from './publish.ts';
import { trainCommand } from './train.ts';

const dir = mkdtempSync(join(tmpdir(), 'fraudctl-args-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fraudctl training commands refuse bad input by name', () => {
  it('unknown flags', async () => {
    for (const command of [trainCommand, evaluateCommand, publishCommand, manifestCommand, pipelineCommand]) {
      await expect(command.run(['--bogus', '1'])).rejects.toThrow(/Unknown option '--bogus'/);
    }
  });

  it('missing and impossible values', async () => {
    await expect(evaluateCommand.run(['--out', dir])).rejects.toThrow(/--transactions and --out are required/);
    const base = ['--transactions', join(dir, 'x.csv'), '--out', dir];
    await expect(evaluateCommand.run([...base, '--recipe', 'magic'])).rejects.toThrow(
      /--recipe must be one of best, baseline, degraded, got "magic"/,
    );
    await expect(evaluateCommand.run([...base, '--feature-set', 'all'])).rejects.toThrow(/--feature-set must be one/);
    await expect(evaluateCommand.run([...base, '--negative-rate', '0'])).rejects.toThrow(
      /--negative-rate must be a number in \(0, 1\], got "0"/,
    );
    await expect(evaluateCommand.run([...base, '--max-fpr', 'x'])).rejects.toThrow(/--max-fpr must be/);
    await expect(evaluateCommand.run([...base, '--seed', '1.5'])).rejects.toThrow(/--seed must be an integer/);
    await expect(trainCommand.run([...base, '--name', 'n', '--max-fpr', '1'])).rejects.toThrow(/--max-fpr must be/);
    await expect(trainCommand.run([...base, '--name', 'n', '--negative-rate', '1.5'])).rejects.toThrow(
      /--negative-rate must be a number in \(0, 1\], got "1.5"/,
    );
    await expect(pipelineCommand.run(['--transactions', join(dir, 'none.arrow'), '--work', dir])).rejects.toThrow(
      /no such file/,
    );
    await expect(manifestCommand.run(['card-fraud', 'v1', '--partitions', '0'])).rejects.toThrow(/--partitions/);
    await expect(publishCommand.run([dir, '--name', 'n'])).rejects.toThrow(/--version are required/);
  });

  it('a CSV with a missing column is refused with the column named', async () => {
    const csv = join(dir, 'missing.csv');
    writeFileSync(
      csv,
      'TRANSACTION_ID,TX_DATETIME,CUSTOMER_ID,TERMINAL_ID,TX_AMOUNT,TX_FRAUD_SCENARIO\n0,2018-04-01 00:00:31,596,3156,57.16,0\n',
    );
    await expect(evaluateCommand.run(['--transactions', csv, '--out', join(dir, 'out')])).rejects.toThrow(
      /missing column TX_FRAUD\b/,
    );
  });
});

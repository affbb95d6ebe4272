import { spawnSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decryptArchive, generateRecipientKeyPair, parseCsvLine, verifyArchive } from '@fraud-operator/archive-format';
import type { Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { env, kafka, produce, scenario, waitForCommitted } from './harness.ts';

const N = 3000;
let s: Awaited<ReturnType<typeof scenario>>;
let producer: Producer;

beforeAll(async () => {
  s = await scenario('archive');
  producer = kafka.producer();
  await producer.connect();
});

afterAll(async () => {
  await producer?.disconnect();
  await s?.cleanup();
});

describe('archiver against the real Kafka and S3', () => {
  it('archives every transaction exactly once, then verify and decrypt agree', async () => {
    const sent = await produce(producer, s.topic, 0, N);
    const run = s.startArchiver();
    await waitForCommitted(s.topic, s.groupId, 90_000);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);

    const report = await verifyArchive(s.location, s.keys);
    expect(report.problems).toEqual([]);
    expect(report.records).toBe(N);
    expect(report.partitions.map((p) => p.partition)).toEqual([0, 1, 2]);
    expect(report.objects).toBeGreaterThan(3);
    for (const p of report.partitions) expect(p.firstOffset).toBe(0);

    let csv = '';
    const done = await decryptArchive(s.location, s.keys, {}, (t) => {
      csv += t;
    });
    expect(done.records).toBe(N);
    const lines = csv.trimEnd().split('\n');
    expect(lines[0]).toBe('offset,txId,ts,customerId,terminalId,amount,unparsed');
    const rows = lines.slice(1).map(parseCsvLine);
    expect(new Set(rows.map((r) => r[1]))).toEqual(new Set(sent.map((t) => t.txId)));
    const byId = new Map(sent.map((t) => [t.txId, t]));
    for (const r of rows.slice(0, 50)) {
      const t = byId.get(r[1]!)!;
      expect([Number(r[2]), r[3], r[4], Number(r[5])]).toEqual([t.ts, t.customerId, t.terminalId, t.amount]);
    }
    expect(s.logs()).toMatch(/"msg":"object complete"/);
  });

  it('in envelope mode, writes objects only the recipients can read', async () => {
    const rsa = await generateRecipientKeyPair('rsa', 'ops-rsa');
    const ec = await generateRecipientKeyPair('ec', 'ops-ec');
    const stranger = await generateRecipientKeyPair('ec', 'stranger');
    const recipientsFile = join(s.dir, 'recipients.json');
    writeFileSync(recipientsFile, JSON.stringify({ keys: [rsa.publicJwk, ec.publicJwk] }));
    const groupId = `${s.groupId}-envelope`;
    const run = s.startArchiver({
      ARCHIVE_MODE: 'envelope',
      ARCHIVE_RECIPIENTS_FILE: recipientsFile,
      ARCHIVE_KEY_FILE: '',
      ARCHIVE_GROUP_ID: groupId,
      ARCHIVE_PREFIX: 'sealed',
    });
    await waitForCommitted(s.topic, groupId, 90_000);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);

    const sealed = { ...s.location, prefix: 'sealed' };
    for (const holder of [rsa, ec]) {
      const report = await verifyArchive(sealed, { privateKeys: [holder.privateJwk] });
      expect(report.problems).toEqual([]);
      expect(report.records).toBe(N);
    }
    const refused = await verifyArchive(sealed, { privateKeys: [stranger.privateJwk], keyring: s.keys.keyring });
    expect(refused.objects).toBeGreaterThan(0);
    expect(refused.problems.length).toBe(refused.objects);
    for (const p of refused.problems)
      expect(p).toMatch(/^sealed\/[^ ]+\.csv\.frar: none of the given private keys \(stranger\)/);
  });

  it('fraudctl archive keygen, verify and decrypt work as commands', () => {
    const cli = join(import.meta.dirname, '..', '..', 'packages', 'fraudctl', 'src', 'cli.ts');
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [cli, 'archive', ...args], {
        encoding: 'utf8',
        env: {
          PATH: process.env.PATH,
          S3_ENDPOINT: env.S3_ENDPOINT,
          S3_REGION: env.S3_REGION,
          S3_ACCESS_KEY_ID: env.S3_ACCESS_KEY_ID,
          S3_SECRET_ACCESS_KEY: env.S3_SECRET_ACCESS_KEY,
        },
      });
    const where = ['--bucket', s.bucket, '--topic', s.topic];

    const verified = run('verify', ...where, '--keyring', s.keyFile);
    expect(verified.status).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({ records: N, problems: [] });

    const csvFile = join(s.dir, 'restored.csv');
    const decrypted = run('decrypt', ...where, '--keyring', s.keyFile, '--out', csvFile);
    expect(decrypted.status).toBe(0);
    expect(readFileSync(csvFile, 'utf8').trimEnd().split('\n').length).toBe(N + 1);

    const wrongKey = join(s.dir, 'wrong.key');
    expect(run('keygen', 'aes', '--kid', 'test-k1', '--out', wrongKey).status).toBe(0);
    expect(statSync(wrongKey).mode & 0o777).toBe(0o600);
    const refused = run('decrypt', ...where, '--keyring', wrongKey, '--out', join(s.dir, 'nope.csv'));
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/^refused: archive\/[^ ]+\.csv\.frar: wrong key: the keyring's key "test-k1"/);
    expect(() => statSync(join(s.dir, 'nope.csv'))).toThrow();
    expect(() => statSync(join(s.dir, 'nope.csv.partial'))).toThrow();

    expect(run('keygen', 'ec', '--kid', 'ops-1', '--out-dir', s.dir).status).toBe(0);
    expect(statSync(join(s.dir, 'ops-1.private.jwk.json')).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(join(s.dir, 'ops-1.public.jwk.json'), 'utf8'))).not.toHaveProperty('d');
    expect(run('verify').status).toBe(2);
  });
});

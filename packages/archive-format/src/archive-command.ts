import { chmodSync, createWriteStream, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { S3Client } from '@aws-sdk/client-s3';
import type { JWK } from 'jose';
import { type ArchiveLocation, decryptArchive, type TimeRange, verifyArchive } from './archive-store.ts';
import { ArchiveFormatError } from './errors.ts';
import { generateRecipientKeyPair, generateSymmetricKey } from './keygen.ts';
import { parseKeyring, type ReadKeys } from './keys.ts';

export const usage = `fraudctl archive <verify|decrypt|keygen> [options]

  keygen aes --kid <id> [--out <file>]          a 32-byte key as "<id>:<base64>" (the archiver's Secret)
  keygen rsa|ec --kid <id> --out-dir <dir>      a recipient key pair: <id>.public.jwk.json (for the archiver),
                                                <id>.private.jwk.json (for readers; mode 0600)
  verify  --bucket B [--prefix archive] [--topic transactions] [--from ISO] [--to ISO] <keys>
          authenticates every object whose window starts in [from, to) and checks that the offsets have no gap
          and no overlap; prints a JSON report; exit 1 naming each bad object
  decrypt --bucket B [--prefix …] [--topic …] [--from ISO] [--to ISO] [--object KEY] [--out FILE] <keys>
          writes the CSV (one header line, then every row); with --out, the file appears only when every
          object authenticated; exit 1 naming the bad object

  <keys>: --keyring FILE ({"keys":{"<id>":"<base64>"}} or "<id>:<base64>"; repeatable)
          --private-key FILE (a private JWK; repeatable) for envelope objects
  S3 from the environment: S3_ENDPOINT, S3_REGION, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY`;

const options = {
  bucket: { type: 'string' },
  prefix: { type: 'string', default: 'archive' },
  topic: { type: 'string', default: 'transactions' },
  from: { type: 'string' },
  to: { type: 'string' },
  object: { type: 'string' },
  out: { type: 'string' },
  'out-dir': { type: 'string' },
  kid: { type: 'string' },
  keyring: { type: 'string', multiple: true },
  'private-key': { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
} as const;

type Write = (text: string) => void;

/** `fraudctl archive …`: returns the exit code. Output and errors go to the given writers (stdout, stderr). */
export async function runArchive(
  argv: string[],
  out: Write = (t) => process.stdout.write(t),
  err: Write = (t) => process.stderr.write(t),
): Promise<number> {
  let parsed: ReturnType<
    typeof parseArgs<{ args: string[]; options: typeof options; allowPositionals: true; strict: true }>
  >;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    err(`${(e as Error).message}\n\n${usage}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [sub, kind] = positionals;
  if (values.help || !sub) {
    (values.help ? out : err)(`${usage}\n`);
    return values.help ? 0 : 2;
  }
  try {
    if (sub === 'keygen') return await keygen(kind, values, out, err);
    if (sub !== 'verify' && sub !== 'decrypt') {
      err(`unknown subcommand "${sub}"\n\n${usage}\n`);
      return 2;
    }
    if (!values.bucket) {
      err('--bucket is required\n');
      return 2;
    }
    const loc: ArchiveLocation = { s3: s3FromEnv(), bucket: values.bucket, prefix: values.prefix, topic: values.topic };
    const keys = readKeys(values.keyring ?? [], values['private-key'] ?? []);
    const range = timeRange(values.from, values.to);
    if (sub === 'verify') {
      const report = await verifyArchive(loc, keys, range);
      out(`${JSON.stringify(report, null, 2)}\n`);
      for (const p of report.problems) err(`${p}\n`);
      return report.problems.length === 0 ? 0 : 1;
    }
    return await decrypt(loc, keys, range, values.object, values.out, out, err);
  } catch (e) {
    err(`${e instanceof ArchiveFormatError ? `refused: ${e.message}` : (e as Error).message}\n`);
    return 1;
  }
}

async function decrypt(
  loc: ArchiveLocation,
  keys: ReadKeys,
  range: TimeRange,
  object: string | undefined,
  file: string | undefined,
  out: Write,
  err: Write,
): Promise<number> {
  if (!file) {
    const done = await decryptArchive(loc, keys, range, out, object);
    err(`decrypted ${done.records} rows from ${done.objects} objects\n`);
    return 0;
  }
  const partial = `${file}.partial`;
  const stream = createWriteStream(partial, { mode: 0o600 });
  try {
    const done = await decryptArchive(
      loc,
      keys,
      range,
      (t) => new Promise<void>((resolve) => (stream.write(t) ? resolve() : stream.once('drain', resolve))),
      object,
    );
    await new Promise<void>((resolve, reject) => stream.end((e?: Error | null) => (e ? reject(e) : resolve())));
    renameSync(partial, file);
    err(`decrypted ${done.records} rows from ${done.objects} objects into ${file}\n`);
    return 0;
  } catch (e) {
    stream.destroy();
    rmSync(partial, { force: true });
    throw e;
  }
}

async function keygen(
  kind: string | undefined,
  values: { kid?: string; out?: string; 'out-dir'?: string },
  out: Write,
  err: Write,
): Promise<number> {
  if (!values.kid) {
    err('keygen needs --kid\n');
    return 2;
  }
  if (kind === 'aes') {
    const { text } = generateSymmetricKey(values.kid);
    if (!values.out) {
      out(`${text}\n`);
      return 0;
    }
    writeFileSync(values.out, `${text}\n`, { mode: 0o600 });
    chmodSync(values.out, 0o600);
    err(`wrote ${values.out} (key id ${values.kid})\n`);
    return 0;
  }
  if (kind === 'rsa' || kind === 'ec') {
    if (!values['out-dir']) {
      err('keygen rsa|ec needs --out-dir\n');
      return 2;
    }
    const pair = await generateRecipientKeyPair(kind, values.kid);
    const publicFile = join(values['out-dir'], `${values.kid}.public.jwk.json`);
    const privateFile = join(values['out-dir'], `${values.kid}.private.jwk.json`);
    writeFileSync(publicFile, `${JSON.stringify(pair.publicJwk, null, 2)}\n`);
    writeFileSync(privateFile, `${JSON.stringify(pair.privateJwk, null, 2)}\n`, { mode: 0o600 });
    chmodSync(privateFile, 0o600);
    err(`wrote ${publicFile} (give to the archiver) and ${privateFile} (keep)\n`);
    return 0;
  }
  err(`keygen needs a kind: aes, rsa or ec\n`);
  return 2;
}

function readKeys(keyringFiles: string[], privateKeyFiles: string[]): ReadKeys {
  if (keyringFiles.length === 0 && privateKeyFiles.length === 0) {
    throw new Error('give the keys to read with: --keyring FILE and/or --private-key FILE');
  }
  const keyring = new Map<string, Buffer>();
  for (const file of keyringFiles) {
    try {
      for (const [id, key] of parseKeyring(readFileSync(file, 'utf8'))) keyring.set(id, key);
    } catch (e) {
      throw new Error(`--keyring ${file}: ${(e as Error).message}`);
    }
  }
  const privateKeys = privateKeyFiles.map((file) => {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as JWK;
    } catch (e) {
      throw new Error(`--private-key ${file}: ${(e as Error).message}`);
    }
  });
  return { keyring, privateKeys };
}

export function timeRange(from: string | undefined, to: string | undefined): TimeRange {
  const parse = (name: string, text: string | undefined) => {
    if (text === undefined) return undefined;
    const ms = Date.parse(text);
    if (Number.isNaN(ms)) throw new Error(`--${name} "${text}" is not an ISO-8601 time`);
    return ms;
  };
  const range: TimeRange = {};
  const f = parse('from', from);
  const t = parse('to', to);
  if (f !== undefined) range.from = f;
  if (t !== undefined) range.to = t;
  if (f !== undefined && t !== undefined && f >= t) throw new Error(`--from ${from} is not before --to ${to}`);
  return range;
}

function s3FromEnv(): S3Client {
  const env = process.env;
  const accessKeyId = env.S3_ACCESS_KEY_ID;
  const secretAccessKey = env.S3_SECRET_ACCESS_KEY;
  return new S3Client({
    region: env.S3_REGION ?? 'us-east-1',
    forcePathStyle: true,
    ...(env.S3_ENDPOINT ? { endpoint: env.S3_ENDPOINT } : {}),
    ...(accessKeyId && secretAccessKey ? { credentials: { accessKeyId, secretAccessKey } } : {}),
  });
}

/** The command in the fraudctl frame's shape. */
export const archiveCommand = {
  name: 'archive',
  summary: 'verify, decrypt and make keys for the encrypted transaction archive',
  usage,
  run: (argv: string[]) => runArchive(argv),
};

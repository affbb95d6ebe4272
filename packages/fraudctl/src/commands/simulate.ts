import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { openProducer } from '@fraud-operator/kafka/producer';
import { CONFIGS, resolveConfig, type SimulatorConfig, simulate } from '@fraud-operator/simulator';
import { writeTransactions } from '@fraud-operator/transactions/io';
import type { Transaction } from '@fraud-operator/transactions/transaction';
import { DEFAULT_TOPICS } from '@fraud-operator/transactions/wire';
import { parse as parseYaml } from 'yaml';
import { Progress } from '../progress.ts';
import { streamToKafka } from '../stream-to-kafka.ts';
import type { Command } from './command.ts';

const usage = `usage: fraudctl simulate --config handbook|customer [--seed N] [--rows N | --days N] --out FILE
       fraudctl simulate --config NAME --kafka [--brokers H:P,...] [--rate TX_PER_S] [--speed DAYS_PER_MIN]
                         [--label-delay 7d] [--transactions-topic T] [--labels-topic T]

Generates the Fraud-Detection-Handbook's simulated transactions (chapter 3), deterministic for a seed.

  --config NAME         handbook (5,000 customers, 183 days, ~1.75M rows, ~0.84 % fraud)
                        or customer (~130M rows, ~0.01 % fraud); see packages/simulator/README.md
  --config-file FILE    JSON or YAML overrides of the configuration's keys (unknown keys are refused)
  --seed N              seed of the PRNG (default 0)
  --rows N              stop after N rows
  --days N              simulate N days (overrides the configuration's days)
  --out FILE            .arrow/.feather (Arrow IPC file) or .csv/.csv.gz
  --kafka               stream instead: transactions to the transactions topic, fraud labels to the labels topic
                        after --label-delay of event time; messages carry event time, never the wall clock
  --brokers LIST        bootstrap brokers (default: KAFKA_BROKERS)
  --rate N              at most N transactions per wall-clock second (default 1000)
  --speed N             simulated days per wall-clock minute (default 1)
  --label-delay D       chargeback lag in event time: 7d, 36h, 90m, 30s or milliseconds (default 7d)
  --transactions-topic  default transactions;  --labels-topic  default labels
  -h, --help            this help`;

const UNITS: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 };

export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(d|h|m|s|ms)?$/.exec(text);
  if (m === null)
    throw new UsageError(`--label-delay must look like 7d, 36h, 90m, 30s or a number of ms, got "${text}"`);
  return Number(m[1]) * (UNITS[m[2] ?? 'ms'] as number);
}

function positiveNumber(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!(Number.isFinite(value) && value > 0))
    throw new UsageError(`--${name} must be a positive number, got "${text}"`);
  return value;
}

export class UsageError extends Error {}

function positiveInteger(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!(Number.isSafeInteger(value) && value > 0))
    throw new UsageError(`--${name} must be a positive integer, got "${text}"`);
  return value;
}

function loadOverrides(path: string): Record<string, unknown> {
  const text = readFileSync(path, 'utf8');
  const parsed: unknown = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new UsageError(`${path}: expected a mapping of configuration keys`);
  }
  return parsed as Record<string, unknown>;
}

export interface KafkaOptions {
  brokers: string[];
  rate: number;
  speed: number;
  labelDelayMs: number;
  transactionsTopic: string;
  labelsTopic: string;
}

export interface SimulateOptions {
  config: SimulatorConfig;
  seed: number;
  rows: number | undefined;
  out: string | undefined;
  kafka: KafkaOptions | undefined;
}

export function parseSimulateArgs(argv: string[]): SimulateOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string' },
      'config-file': { type: 'string' },
      seed: { type: 'string' },
      rows: { type: 'string' },
      days: { type: 'string' },
      out: { type: 'string' },
      kafka: { type: 'boolean' },
      brokers: { type: 'string' },
      rate: { type: 'string' },
      speed: { type: 'string' },
      'label-delay': { type: 'string' },
      'transactions-topic': { type: 'string' },
      'labels-topic': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return 'help';
  const base = CONFIGS[values.config ?? ''];
  if (base === undefined)
    throw new UsageError(
      `--config must be one of ${Object.keys(CONFIGS).join(', ')}, got ${JSON.stringify(values.config ?? '')}`,
    );
  if (values.kafka && values.out !== undefined) throw new UsageError('give --out or --kafka, not both');
  if (!values.kafka && values.out === undefined) throw new UsageError('--out FILE (or --kafka) is required');
  if (!values.kafka) {
    for (const k of ['brokers', 'rate', 'speed', 'label-delay', 'transactions-topic', 'labels-topic'] as const) {
      if (values[k] !== undefined) throw new UsageError(`--${k} only applies with --kafka`);
    }
  }
  if (values.out !== undefined && !/\.(arrow|feather|csv|csv\.gz)$/i.test(values.out))
    throw new UsageError(`--out must end in .arrow, .feather, .csv or .csv.gz, got "${values.out}"`);
  if (values.rows !== undefined && values.days !== undefined) throw new UsageError('give --rows or --days, not both');
  const seedText = values.seed ?? '0';
  const seed = Number(seedText);
  if (!(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32))
    throw new UsageError(`--seed must be an integer in [0, 2^32), got "${seedText}"`);
  const overrides = values['config-file'] === undefined ? {} : loadOverrides(values['config-file']);
  const days = positiveInteger('days', values.days);
  let config: SimulatorConfig;
  try {
    config = resolveConfig(base, days === undefined ? overrides : { ...overrides, days });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  let kafka: KafkaOptions | undefined;
  if (values.kafka) {
    const brokers = (values.brokers ?? process.env.KAFKA_BROKERS ?? '')
      .split(',')
      .map((b) => b.trim())
      .filter((b) => b !== '');
    if (brokers.length === 0) throw new UsageError('--kafka needs --brokers or KAFKA_BROKERS');
    kafka = {
      brokers,
      rate: positiveNumber('rate', values.rate, 1000),
      speed: positiveNumber('speed', values.speed, 1),
      labelDelayMs: parseDuration(values['label-delay'] ?? '7d'),
      transactionsTopic: values['transactions-topic'] ?? DEFAULT_TOPICS.transactions,
      labelsTopic: values['labels-topic'] ?? DEFAULT_TOPICS.labels,
    };
  }
  return { config, seed, rows: positiveInteger('rows', values.rows), out: values.out, kafka };
}

/** The simulator's batches, cut at `limit` rows. */
export function* limitRows(batches: Iterable<Transaction[]>, limit: number | undefined): Generator<Transaction[]> {
  let left = limit ?? Number.POSITIVE_INFINITY;
  for (const batch of batches) {
    if (left <= 0) return;
    const part = batch.length > left ? batch.slice(0, left) : batch;
    left -= part.length;
    yield part;
  }
}

function expectedRows(config: SimulatorConfig): number {
  // 2 tx/day per customer on average, ~3.4 % of normal times of day fall outside the day.
  return Math.round(config.customers * config.days * 2 * 0.966);
}

export const simulateCommand: Command = {
  name: 'simulate',
  summary: 'generate simulated transactions (Handbook chapter 3) to a file',
  usage,
  async run(argv) {
    let options: SimulateOptions | 'help';
    try {
      options = parseSimulateArgs(argv);
    } catch (err) {
      if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
        console.error(`fraudctl simulate: ${(err as Error).message}\n\n${usage}`);
        return 2;
      }
      throw err;
    }
    if (options === 'help') {
      console.log(usage);
      return 0;
    }
    const { config, seed, rows, out, kafka } = options;
    if (kafka !== undefined) return streamCommand(options, kafka);
    if (out === undefined) return 2;
    const progress = new Progress(process.stderr, rows ?? expectedRows(config));
    function* counted(): Generator<Transaction[]> {
      for (const batch of limitRows(simulate(config, seed), rows)) {
        progress.add(batch.length);
        yield batch;
      }
    }
    const written = await writeTransactions(out, counted());
    progress.done();
    console.log(JSON.stringify({ out, rows: written.rows, seed }));
    return 0;
  },
};

async function streamCommand(options: SimulateOptions, kafka: KafkaOptions): Promise<number> {
  const producer = await openProducer({ brokers: kafka.brokers, clientId: 'fraudctl-simulate' });
  const abort = new AbortController();
  const stop = (): void => abort.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const progress = new Progress(process.stderr, options.rows ?? expectedRows(options.config));
  let reported = 0;
  try {
    const result = await streamToKafka(limitRows(simulate(options.config, options.seed), options.rows), {
      producer,
      transactionsTopic: kafka.transactionsTopic,
      labelsTopic: kafka.labelsTopic,
      labelDelayMs: kafka.labelDelayMs,
      rate: kafka.rate,
      speed: kafka.speed,
      signal: abort.signal,
      onSent: ({ transactions }) => {
        progress.add(transactions - reported);
        reported = transactions;
      },
    });
    progress.done();
    console.log(
      JSON.stringify({ ...result, transactionsTopic: kafka.transactionsTopic, labelsTopic: kafka.labelsTopic }),
    );
    return 0;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await producer.close();
  }
}

import { parseArgs } from 'node:util';
import { fraudModelManifest, publishModel, readCard, s3FromEnvOrStack } from '@fraud-operator/training';
import { stringify } from 'yaml';
import type { Command } from './command.ts';
import { UsageError } from './simulate.ts';

const publishUsage = `usage: fraudctl publish DIR --name NAME --version VERSION [--bucket fraud-registry]

Puts a model folder made by fraudctl train at s3://BUCKET/models/NAME/VERSION/ (model.onnx, card.json, report.md,
pr-curve.svg). Versions are immutable: publishing an existing one fails and changes nothing. S3 from S3_ENDPOINT,
S3_REGION, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY, or the local stack's .stack/env.`;

const manifestUsage = `usage: fraudctl manifest NAME VERSION [--bucket fraud-registry] [--partitions 4]

Prints a FraudModel manifest (crds/fraudmodels.yaml) for a published version, with its S3 URI, sha256, feature count
and policy threshold read from the registry: \`npx fraudctl manifest card-fraud v2 | kubectl apply -f -\`.`;

export const publishCommand: Command = {
  name: 'publish',
  summary: 'put a trained model version into the S3 registry (immutable)',
  usage: publishUsage,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: {
        name: { type: 'string' },
        version: { type: 'string' },
        bucket: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      console.log(publishUsage);
      return 0;
    }
    const [dir] = positionals;
    if (!dir || !values.name || !values.version) throw new UsageError('DIR, --name and --version are required');
    const { uri, card } = await publishModel(
      s3FromEnvOrStack(),
      values.bucket ?? 'fraud-registry',
      dir,
      values.name,
      values.version,
    );
    console.log(JSON.stringify({ uri, sha256: card.sha256 }));
    return 0;
  },
};

export const manifestCommand: Command = {
  name: 'manifest',
  summary: 'print a FraudModel manifest for a published model version',
  usage: manifestUsage,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: {
        bucket: { type: 'string' },
        partitions: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      console.log(manifestUsage);
      return 0;
    }
    const [name, version] = positionals;
    if (!name || !version) throw new UsageError('NAME and VERSION are required');
    const partitions = values.partitions === undefined ? 4 : Number(values.partitions);
    if (!(Number.isInteger(partitions) && partitions > 0))
      throw new UsageError(`--partitions must be a positive integer, got "${values.partitions}"`);
    const bucket = values.bucket ?? 'fraud-registry';
    const card = await readCard(s3FromEnvOrStack(), bucket, name, version);
    process.stdout.write(stringify(fraudModelManifest(bucket, name, version, card, partitions)));
    return 0;
  },
};

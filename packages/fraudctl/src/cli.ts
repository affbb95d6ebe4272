#!/usr/bin/env node
import { COMMANDS } from './commands/index.ts';

const usage = `usage: fraudctl <command> [options]   (fraudctl <command> --help for its options)

${COMMANDS.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`).join('\n')}`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage);
    return name ? 0 : 2;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    console.error(`fraudctl: unknown command "${name}"\n\n${usage}`);
    return 2;
  }
  return command.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`fraudctl: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);

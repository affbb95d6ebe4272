import { archive } from './archive.ts';
import type { Command } from './command.ts';
import { evaluateCommand } from './evaluate.ts';
import { pipelineCommand } from './pipeline.ts';
import { manifestCommand, publishCommand } from './publish.ts';
import { qualityCommand } from './quality.ts';
import { simulateCommand } from './simulate.ts';
import { trainCommand } from './train.ts';

export const COMMANDS: Command[] = [
  simulateCommand,
  trainCommand,
  evaluateCommand,
  publishCommand,
  manifestCommand,
  pipelineCommand,
  archive,
  qualityCommand,
];

import { archive } from './archive.ts';
import type { Command } from './command.ts';
import { evaluateCommand } from './evaluate.ts';
import { simulateCommand } from './simulate.ts';

export const COMMANDS: Command[] = [simulateCommand, evaluateCommand, archive];

import { archive } from './archive.ts';
import type { Command } from './command.ts';

export const COMMANDS: Command[] = [archive];

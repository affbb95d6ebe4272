import { qualityUsage, runQuality } from '@fraud-operator/score-histograms';
import type { Command } from './command.ts';

export const qualityCommand: Command = {
  name: 'quality',
  summary: "a model version's live PR-AUC, precision and recall, from its scorers' score histograms",
  usage: qualityUsage,
  run: (argv) => runQuality(argv),
};

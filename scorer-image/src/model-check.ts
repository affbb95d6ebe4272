import { createHash } from 'node:crypto';

export interface ModelCard {
  version: string;
  sha256: string;
  inputName: string;
  featureCount: number;
}

/** Refuses a model whose bytes or ONNX inputs/outputs do not match its card; returns null when it matches. */
export function modelMismatch(
  bytes: Uint8Array,
  card: ModelCard,
  io: { inputNames: string[]; outputNames: string[] },
): string | null {
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual !== card.sha256.toLowerCase())
    return `model ${card.version}: sha256 ${actual} does not match the card's ${card.sha256}`;
  if (!io.inputNames.includes(card.inputName))
    return `model ${card.version}: no input named ${card.inputName} (has ${io.inputNames.join(',')})`;
  if (!io.outputNames.includes('probabilities'))
    return `model ${card.version}: no output named probabilities (has ${io.outputNames.join(',')})`;
  return null;
}

import type { Evaluation } from './evaluate.ts';
import type { ThresholdChoice } from './threshold.ts';

/** What `fraudctl train` writes beside model.onnx, and what the registry and `fraudctl manifest` read back. */
export interface ModelCard {
  name: string;
  recipe: string;
  featureSet: string;
  features: { name: string; type: 'float32' }[];
  input: { name: string; shape: [null, number] };
  output: { name: 'probabilities'; column: 1 };
  threshold: ThresholdChoice;
  metrics: Pick<Evaluation, 'ap' | 'rocAuc' | 'cardPrecisionAt100'> & { protocol: string };
  training: {
    transactions: string;
    fromDay: string;
    toDay: string;
    rows: number;
    frauds: number;
    seed: number;
    /** Share of genuine rows kept (each weighted 1/rate), when negatives were downsampled. */
    negativeRate?: number;
  };
  sha256: string;
  importances: { name: string; gain: number }[];
}

export function reportMarkdown(card: ModelCard): string {
  const f = (m: { mean: number; std: number }) => `${m.mean.toFixed(3)} ± ${m.std.toFixed(3)}`;
  const t = card.threshold;
  return `# ${card.name}

Recipe \`${card.recipe}\`, features \`${card.featureSet}\` (${card.features.length}), sha256 \`${card.sha256}\`.
Trained on ${card.training.rows} transactions (${card.training.frauds} frauds) from ${card.training.fromDay} to ${card.training.toDay}${card.training.negativeRate !== undefined && card.training.negativeRate < 1 ? ` (genuine rows downsampled to ${card.training.negativeRate}, reweighted)` : ''}.

| metric (${card.metrics.protocol}) | value |
| --- | --- |
| AP (PR-AUC) | ${f(card.metrics.ap)} |
| ROC-AUC | ${f(card.metrics.rocAuc)} |
| Card-Precision@100 | ${f(card.metrics.cardPrecisionAt100)} |

Threshold ${t.threshold.toFixed(4)} by policy ${t.policy.kind} ≤ ${t.policy.value}: precision ${t.precision.toFixed(3)},
recall ${t.recall.toFixed(3)}, false-positive rate ${t.falsePositiveRate.toFixed(4)}, alerts ${(100 * t.alertShare).toFixed(2)} % of transactions.

![PR curve](pr-curve.svg)

| feature | gain |
| --- | --- |
${card.importances
  .slice()
  .sort((a, b) => b.gain - a.gain)
  .map((i) => `| ${i.name} | ${i.gain.toFixed(0)} |`)
  .join('\n')}
`;
}

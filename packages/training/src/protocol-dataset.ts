import type { FeatureSetName } from '@fraud-operator/features';
import { readTimeRange } from '@fraud-operator/transactions/time-range';
import { type Dataset, loadDataset } from './dataset.ts';
import { finalFitRange } from './final-fit-range.ts';
import { rowFilter } from './kept-rows.ts';
import { dayOf, folds } from './protocol.ts';

/**
 * The dataset `fraudctl evaluate` and `train` need, without the rows no phase uses (kept-rows.ts): the folds come from
 * the file's day range, read from its first and last rows before the replay, and the replay keeps only the rows of
 * the protocol's weeks (and of the final fit's, with `finalFit`) that a phase will use.
 */
export async function loadProtocolDataset(
  path: string,
  featureSet: FeatureSetName,
  opts: { negativeRate: number; seed: number; finalFit: boolean },
): Promise<Dataset> {
  const range = await readTimeRange(path);
  const firstDay = dayOf(range.firstTs);
  const lastDay = dayOf(range.lastTs);
  const keep = rowFilter({
    folds: folds(firstDay, lastDay),
    ...(opts.finalFit ? { finalFit: finalFitRange(lastDay) } : {}),
    negativeRate: opts.negativeRate,
    seed: opts.seed,
  });
  const ds = await loadDataset(path, featureSet, keep);
  if (ds.firstDay !== firstDay || ds.lastDay !== lastDay)
    throw new Error(
      `${path}: the first and last rows span days ${firstDay}..${lastDay}, the replay saw ${ds.firstDay}..${ds.lastDay}`,
    );
  return ds;
}

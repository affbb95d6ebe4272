import { atThreshold, averagePrecisionOf, readHistogram, totals } from '@fraud-operator/score-histograms';
import { deleteKeys } from '@fraud-operator/stack/redis-keys';
import type { Redis } from 'ioredis';

/** Versions keep their histograms across runs (same names, same event times): a run starts them afresh. */
export async function clearLiveQuality(redis: Redis, versions: readonly string[]): Promise<void> {
  for (const version of versions) await deleteKeys(redis, `eval:${version}:*`);
}

/**
 * One line per version: PR-AUC, precision and recall at its threshold from the scorers' own histograms, over the
 * event time whose labels are all in (from the stream's start to its end minus the chargeback delay).
 */
export async function liveQualityLines(
  redis: Redis,
  versions: readonly { version: string; role: string }[],
  window: { fromTs: number; toTs: number },
): Promise<string[]> {
  const lines: string[] = [];
  for (const { version, role } of versions) {
    const h = await readHistogram(redis, { version, ...window });
    const { scored, frauds } = totals(h);
    if (scored === 0) {
      lines.push(`  live ${version} (${role}): scored nothing in the labelled window`);
      continue;
    }
    const ap = averagePrecisionOf(h);
    const at = atThreshold(h);
    lines.push(
      `  live PR-AUC ${ap.ap.toFixed(3)} [${ap.low.toFixed(3)}, ${ap.high.toFixed(3)}]  ${version} (${role}): ` +
        `${scored.toLocaleString('en-US')} scored, ${frauds} frauds; at its threshold precision ${at.precision.toFixed(3)}, ` +
        `recall ${at.recall.toFixed(3)}`,
    );
  }
  return lines;
}

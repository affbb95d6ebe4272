import type { PrPoint } from './types.ts';

export interface PrCurve {
  /** Average precision, the step-wise sum of scikit-learn's `average_precision_score` (ties admitted together). */
  ap: number;
  labelled: number;
  frauds: number;
  /** One point per distinct threshold, descending; thinned to about `maxPoints` for drawing (AP uses all). */
  curve: PrPoint[];
}

/** The precision-recall curve of scores against 0/1 labels, for a version's entry in a DemoRun. */
export function prCurve(scores: ArrayLike<number>, labels: ArrayLike<number>, maxPoints = 200): PrCurve {
  if (scores.length !== labels.length) throw new Error(`prCurve: ${scores.length} scores but ${labels.length} labels`);
  const order = Array.from({ length: scores.length }, (_, i) => i);
  let frauds = 0;
  for (const i of order) {
    const s = scores[i] as number;
    const l = labels[i] as number;
    if (!Number.isFinite(s)) throw new Error(`prCurve: score at index ${i} is ${s}, expected a finite number`);
    if (l !== 0 && l !== 1) throw new Error(`prCurve: label at index ${i} is ${l}, expected 0 or 1`);
    frauds += l;
  }
  if (frauds === 0) throw new Error('prCurve: no positive label, recall is undefined');
  order.sort((a, b) => (scores[b] as number) - (scores[a] as number));

  const all: PrPoint[] = [];
  let tp = 0;
  let admitted = 0;
  let ap = 0;
  let prevRecall = 0;
  for (let k = 0; k < order.length; ) {
    const threshold = scores[order[k] as number] as number;
    while (k < order.length && scores[order[k] as number] === threshold) {
      tp += labels[order[k] as number] as number;
      admitted += 1;
      k += 1;
    }
    const recall = tp / frauds;
    const precision = tp / admitted;
    ap += (recall - prevRecall) * precision;
    prevRecall = recall;
    all.push({ recall, precision });
  }
  return { ap, labelled: scores.length, frauds, curve: thin(all, maxPoints) };
}

/** Keeps the first and last points and, in between, the first point past each 1/maxPoints step of recall. */
function thin(points: PrPoint[], maxPoints: number): PrPoint[] {
  if (points.length <= maxPoints) return points;
  const out: PrPoint[] = [points[0] as PrPoint];
  let next = 1 / maxPoints;
  for (let i = 1; i < points.length - 1; i++) {
    const p = points[i] as PrPoint;
    if (p.recall >= next) {
      out.push(p);
      next = p.recall + 1 / maxPoints;
    }
  }
  out.push(points[points.length - 1] as PrPoint);
  return out;
}

// The metrics against a reference implementation: scikit-learn's average_precision_score and roc_auc_score, and the
// Handbook's card_precision_top_k written again in numpy, in the project venv (made on first use), on random scores
// with many ties. The hand-worked cases are in packages/metrics/src/*.test.ts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { averagePrecision, cardPrecisionAtK, rocAuc } from '@fraud-operator/metrics';
import { run } from '@fraud-operator/stack/process';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureVenv } from '../src/venv.ts';

const REFERENCE = `
import json, sys
import numpy as np
from sklearn.metrics import average_precision_score, roc_auc_score
out = []
for case in json.load(open(sys.argv[1])):
    s, y, day, card = (np.array(case[k]) for k in ("scores", "labels", "day", "card"))
    cp = []
    for d in np.unique(day):  # the Handbook's card_precision_top_k_day: a card's max score and max label that day
        m = day == d
        cards = np.unique(card[m])
        top_score = np.array([s[m][card[m] == c].max() for c in cards])
        fraud = np.array([y[m][card[m] == c].max() for c in cards])
        order = np.lexsort((cards, -top_score))[: case["k"]]  # ties to the lower card id, as the TS
        cp.append(fraud[order].sum() / case["k"])
    out.append({"ap": average_precision_score(y, s), "auc": roc_auc_score(y, s), "cp": float(np.mean(cp))})
print(json.dumps(out))
`;

/** A seeded PRNG (mulberry32): the cases are the same on every run. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function makeCase(seed: number, n: number, levels: number, prevalence: number, k: number) {
  const rand = prng(seed);
  const labels = Array.from({ length: n }, () => (rand() < prevalence ? 1 : 0) as 0 | 1);
  labels[0] = 1;
  labels[1] = 0;
  // Coarse scores (few levels) make ties; positives lean higher so the metrics are not all near chance.
  const scores = labels.map((y) => Math.round((rand() + 0.3 * y) * levels) / levels);
  const day = labels.map(() => Math.floor(rand() * 3));
  const card = labels.map(() => Math.floor(rand() * (n / 4)));
  return { scores, labels, day, card, k };
}

const dir = mkdtempSync(join(tmpdir(), 'metrics-ref-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('metrics against the reference implementation', () => {
  it('AP, ROC-AUC and Card-Precision@k agree with scikit-learn and the Handbook to 1e-12', async () => {
    const cases = [
      makeCase(1, 2000, 20, 0.05, 100),
      makeCase(2, 500, 5, 0.3, 10),
      makeCase(3, 3000, 1000, 0.01, 100),
      makeCase(4, 50, 2, 0.5, 5),
    ];
    const input = join(dir, 'cases.json');
    writeFileSync(input, JSON.stringify(cases));
    writeFileSync(join(dir, 'reference.py'), REFERENCE);
    const python = await ensureVenv();
    const out = await run(python, [join(dir, 'reference.py'), input]);
    const reference = JSON.parse(out.trim().split('\n').at(-1)!) as { ap: number; auc: number; cp: number }[];
    expect(reference).toHaveLength(cases.length);
    cases.forEach((c, i) => {
      const ref = reference[i]!;
      expect(Math.abs(averagePrecision(c.scores, c.labels) - ref.ap)).toBeLessThan(1e-12);
      expect(Math.abs(rocAuc(c.scores, c.labels) - ref.auc)).toBeLessThan(1e-12);
      expect(Math.abs(cardPrecisionAtK(c.day, c.card, c.scores, c.labels, c.k) - ref.cp)).toBeLessThan(1e-12);
    });
    // Not vacuous: the cases span very different values.
    expect(Math.max(...reference.map((r) => r.ap)) - Math.min(...reference.map((r) => r.ap))).toBeGreaterThan(0.2);
  }, 600_000);
});

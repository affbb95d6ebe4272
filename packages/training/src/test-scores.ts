/** Every test transaction's score with what the operating point and the reports need, one typed array per column. */
export interface TestScores {
  length: number;
  fold: Uint8Array;
  txId: Int32Array;
  score: Float32Array;
  fraud: Int8Array;
  amount: Float64Array;
}

/** Joins the folds' scores, in the order given. */
export function concatTestScores(parts: readonly TestScores[]): TestScores {
  const length = parts.reduce((a, p) => a + p.length, 0);
  const out: TestScores = {
    length,
    fold: new Uint8Array(length),
    txId: new Int32Array(length),
    score: new Float32Array(length),
    fraud: new Int8Array(length),
    amount: new Float64Array(length),
  };
  let n = 0;
  for (const p of parts) {
    out.fold.set(p.fold, n);
    out.txId.set(p.txId, n);
    out.score.set(p.score, n);
    out.fraud.set(p.fraud, n);
    out.amount.set(p.amount, n);
    n += p.length;
  }
  return out;
}

import { describe, expect, it } from 'vitest';
import { cardPrecisionAtK } from './card-precision.ts';
import { rocAuc } from './roc-auc.ts';

describe('ROC-AUC', () => {
  it('matches hand-worked values, ties counting a half', () => {
    // scikit-learn: roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == 0.75
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
    expect(rocAuc([0.5, 0.5], [0, 1])).toBe(0.5);
    expect(rocAuc([0.9, 0.1], [1, 0])).toBe(1);
    expect(rocAuc([0.1, 0.2], [1, 1])).toBeNaN();
  });
});

describe('Card Precision@k', () => {
  it("takes each day's top cards by their highest score and averages the days", () => {
    // day 0: cards 1 (fraud, 0.9), 2 (0.8), 3 (fraud, 0.1) → top 2 = {1, 2}: 1/2. day 1: card 1 twice, fraud → 1/2.
    const p = cardPrecisionAtK([0, 0, 0, 1, 1], [1, 2, 3, 1, 1], [0.9, 0.8, 0.1, 0.2, 0.7], [1, 0, 1, 0, 1], 2);
    expect(p).toBe(0.5);
  });

  it('breaks a tie at the k-th place by card id, whatever the row order', () => {
    // cards 5 (genuine) and 3 (fraud) tie at 0.7; k = 1 takes card 3 in both orders.
    expect(cardPrecisionAtK([0, 0], [5, 3], [0.7, 0.7], [0, 1], 1)).toBe(1);
    expect(cardPrecisionAtK([0, 0], [3, 5], [0.7, 0.7], [1, 0], 1)).toBe(1);
  });
});

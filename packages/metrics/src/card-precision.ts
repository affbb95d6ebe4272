/**
 * Card Precision@k (the Handbook's chapter 4.2): each day, the k customers (cards) with the highest score of the day
 * are checked; the share of them that had a fraud that day, averaged over the days. A card's score for the day is its
 * highest; ties at the k-th place go to the lower card id.
 */
export function cardPrecisionAtK(
  day: ArrayLike<number>,
  customer: ArrayLike<number>,
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  k = 100,
): number {
  const byDay = new Map<number, Map<number, { score: number; fraud: boolean }>>();
  for (let i = 0; i < scores.length; i++) {
    let cards = byDay.get(day[i]!);
    if (!cards) {
      cards = new Map();
      byDay.set(day[i]!, cards);
    }
    const c = cards.get(customer[i]!) ?? { score: Number.NEGATIVE_INFINITY, fraud: false };
    c.score = Math.max(c.score, scores[i]!);
    c.fraud ||= labels[i] === 1;
    cards.set(customer[i]!, c);
  }
  if (byDay.size === 0) return Number.NaN;
  let sum = 0;
  for (const cards of byDay.values()) {
    // Ties at the k-th place go to the lower card id, so the result never depends on the rows' order.
    const top = [...cards.entries()]
      .sort(([ca, a], [cb, b]) => b.score - a.score || ca - cb)
      .slice(0, k)
      .map(([, c]) => c);
    sum += top.filter((c) => c.fraud).length / k;
  }
  return sum / byDay.size;
}

import { ANOMALY_RATIO, HIGH_RATIO, MAX_GAP_HOURS } from './windows.ts';

/** Days-since features of a terminal with no known fraud: beyond any retained history. */
export const NO_FRAUD_DAYS = 99;

/** Pure: the full feature vector of one transaction from its own fields and the state's raw sums (windows.ts). */
export function composeFeatures(
  amount: number,
  ts: number,
  raw: ArrayLike<number>,
  out: Float32Array,
  at: number,
): void {
  const day = (Math.floor(ts / 86_400_000) + 4) % 7; // 1970-01-01 was a Thursday; 0 = Sunday, as getUTCDay
  const hourOfDay = Math.floor(ts / 3_600_000) % 24;
  const avg = (sumCents: number, n: number) => (n > 0 ? sumCents / n / 100 : 0);
  const risk = (frauds: number, n: number) => (n > 0 ? frauds / n : 0);
  out[at] = amount;
  out[at + 1] = day === 0 || day === 6 ? 1 : 0;
  out[at + 2] = hourOfDay <= 6 ? 1 : 0;
  for (let w = 0; w < 3; w++) {
    out[at + 3 + 2 * w] = raw[w]!;
    out[at + 4 + 2 * w] = avg(raw[3 + w]!, raw[w]!);
    out[at + 9 + 2 * w] = raw[7 + w]!;
    out[at + 10 + 2 * w] = risk(raw[10 + w]!, raw[7 + w]!);
  }
  out[at + 15] = raw[6]!;
  const avg30 = avg(raw[5]!, raw[2]!);
  out[at + 16] = avg30 > 0 ? amount / avg30 : 1;
  const previous = raw[14]!;
  out[at + 17] = previous < 0 ? MAX_GAP_HOURS : Math.min(MAX_GAP_HOURS, (ts - previous) / 3_600_000);
  out[at + 18] = raw[13]!;
  // The customer's habits before today (days 2..30): a compromised card's inflated amounts do not yet weigh in.
  const priorCount = raw[2]! - raw[0]!;
  const prior = avg(raw[5]! - raw[3]!, priorCount);
  out[at + 19] = prior > 0 ? amount / prior : 1;
  out[at + 20] = prior > 0 ? avg(raw[3]!, raw[0]!) / prior : 1;
  // The terminal's known frauds over the retained history, and how long ago its earliest and latest of them happened:
  // a compromise that began weeks ago and is still being reported differs from one that has stopped.
  const hour = Math.floor(ts / 3_600_000);
  out[at + 21] = raw[15]!;
  out[at + 22] = raw[16]! < 0 ? NO_FRAUD_DAYS : (hour - raw[16]!) / 24;
  out[at + 23] = raw[17]! < 0 ? NO_FRAUD_DAYS : (hour - raw[17]!) / 24;
  out[at + 24] = raw[18]!;
  // Since its earliest known fraud: a compromised terminal's transactions are all fraud, a terminal where one stolen
  // card was used once is not; the 7- and 30-day risks dilute the first with the genuine weeks before it.
  out[at + 25] = raw[19]!;
  out[at + 26] = risk(raw[12]!, raw[19]!);
  // The card's habits before the last 7 days, from its whole recent history: a compromise younger than a week has not
  // inflated them, and more transactions make a steadier mean than days 2..30 alone.
  const older = avg(raw[21]!, raw[20]!);
  const overOlder = older > 0 ? amount / older : 1;
  out[at + 27] = overOlder;
  // The week's anomalies with this transaction's own (judged against that cleaner mean): the first ×5 amount of a
  // compromise is as telling as a later one, and a single count lets the trees treat them alike.
  out[at + 28] = raw[18]! + (overOlder > ANOMALY_RATIO ? 1 : 0);
  // The terminal's current run of known frauds: a compromise makes every transaction fraud from its start, so the run
  // begins with it and the genuine transaction before the run bounds when it began (and so when its 28 days end); a
  // stolen card used there once is followed by genuine ones and makes no run. Hours of 0 or less mean none (a record
  // an earlier script cached is padded with zeros).
  const run = raw[22]! > 0;
  out[at + 29] = run ? (hour - raw[22]!) / 24 : NO_FRAUD_DAYS;
  out[at + 30] = run && raw[23]! > 0 ? (hour - raw[23]!) / 24 : NO_FRAUD_DAYS;
  // How many transactions the run holds, and how many of them were anomalous for their card (0 without a run): a run
  // of ×5 amounts is one compromised card's frauds at a terminal it uses; a breach's frauds have their cards' usual
  // amounts.
  out[at + 31] = raw[24]!;
  out[at + 32] = raw[25]!;
  // The highest amount ratio (to the card's older mean) among the run's transactions, HIGH_RATIO when none is over it
  // (0 without a run): a breach's frauds have their cards' usual amounts; a stolen card's spree or a big-ticket fraud
  // at an innocent terminal does not, even below the anomaly threshold.
  out[at + 33] = run ? Math.max(HIGH_RATIO, raw[26]! / 1000) : 0;
}

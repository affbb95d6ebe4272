/**
 * Poisson(lambda) draws from a uniform source: multiplication for small lambda, Hörmann's PTRS transformed
 * rejection (1993, as in NumPy) for large lambda. Exact in distribution; O(1) expected time for large lambda.
 */
export function poisson(random: () => number, lambda: number): number {
  if (lambda <= 0) return 0;
  if (lambda < 10) {
    const limit = Math.exp(-lambda);
    let count = 0;
    let product = random();
    while (product > limit) {
      count += 1;
      product *= random();
    }
    return count;
  }
  const rootLambda = Math.sqrt(lambda);
  const logLambda = Math.log(lambda);
  const b = 0.931 + 2.53 * rootLambda;
  const a = -0.059 + 0.02483 * b;
  const inverseAlpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const u = random() - 0.5;
    const v = random();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + lambda + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (
      Math.log(v) + Math.log(inverseAlpha) - Math.log(a / (us * us) + b) <=
      -lambda + k * logLambda - logFactorial(k)
    ) {
      return k;
    }
  }
}

const SMALL_LOG_FACTORIALS = [0, 0, Math.log(2), Math.log(6), Math.log(24), Math.log(120), Math.log(720)];

/** ln(k!) for integer k ≥ 0 (Stirling's series beyond a small table; error below 1e-10 there). */
export function logFactorial(k: number): number {
  const small = SMALL_LOG_FACTORIALS[k];
  if (small !== undefined) return small;
  const n = k;
  const inverse = 1 / n;
  const inverseSquare = inverse * inverse;
  return (
    n * Math.log(n) -
    n +
    0.5 * Math.log(2 * Math.PI * n) +
    inverse * (1 / 12 - inverseSquare * (1 / 360 - inverseSquare * (1 / 1260 - inverseSquare / 1680)))
  );
}

/**
 * A sampler of Poisson(lambda) for repeated draws: for lambda ≤ 40 one uniform and a walk up the cumulative table
 * (inversion, exact up to float rounding of the table); beyond that PTRS.
 */
export function poissonSampler(lambda: number): (random: () => number) => number {
  if (lambda > 40) return (random) => poisson(random, lambda);
  const cdf: number[] = [];
  let term = Math.exp(-lambda);
  let total = term;
  for (let k = 0; total < 1 - 1e-15 && k < 200; k += 1) {
    cdf.push(total);
    term *= lambda / (k + 1);
    total += term;
  }
  cdf.push(1);
  return (random) => {
    const u = random();
    let k = 0;
    while (u > (cdf[k] as number)) k += 1;
    return k;
  };
}

/** Summaries of latency samples and the two-sample Kolmogorov–Smirnov test, for the parity checks. */

/** A sorted copy, as the other functions here expect. */
export const sorted = (xs: readonly number[]): Float64Array => Float64Array.from(xs).sort();

/**
 * The q-quantile of sorted samples, interpolating between neighbours (R's type 7, numpy's default).
 * @example quantile(sorted([1, 2, 3, 4]), 0.5) // 2.5
 */
export function quantile(xs: Float64Array, q: number): number {
  if (xs.length === 0) throw new Error('quantile of no samples');
  const at = (xs.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.min(lo + 1, xs.length - 1);
  return xs[lo]! + (xs[hi]! - xs[lo]!) * (at - lo);
}

/**
 * The two-sample KS statistic D (the largest gap between the two empirical CDFs) and its
 * asymptotic p-value: the chance of a gap at least this large if both samples came from one
 * distribution. Ties are stepped over together, so equal values never open a gap.
 */
export function ksTest(a: Float64Array, b: Float64Array): { d: number; p: number } {
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < a.length && j < b.length) {
    const x = Math.min(a[i]!, b[j]!);
    while (i < a.length && a[i] === x) i++;
    while (j < b.length && b[j] === x) j++;
    d = Math.max(d, Math.abs(i / a.length - j / b.length));
  }
  const en = Math.sqrt((a.length * b.length) / (a.length + b.length));
  return { d, p: ksProbability((en + 0.12 + 0.11 / en) * d) };
}

/**
 * Q_KS(λ) = 2 Σ (-1)^(k-1) exp(-2 k² λ²), summed until the terms stop mattering; the series
 * converges too slowly to sum near λ = 0, where the answer is 1 anyway (Numerical Recipes, probks).
 */
export function ksProbability(lambda: number): number {
  const a2 = -2 * lambda * lambda;
  let sign = 2;
  let sum = 0;
  let previous = 0;
  for (let k = 1; k <= 100; k++) {
    const term = sign * Math.exp(a2 * k * k);
    sum += term;
    if (Math.abs(term) <= 0.001 * previous || Math.abs(term) <= 1e-8 * sum) return Math.min(1, Math.max(0, sum));
    sign = -sign;
    previous = Math.abs(term);
  }
  return 1;
}

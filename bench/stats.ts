/**
 * Small statistics helpers for `npm run bench`: pure functions over samples
 * (milliseconds, bytes). Percentiles interpolate linearly between the two
 * nearest ranks (the same method as numpy's default), so the median of an
 * even-sized sample is the mean of its two middle values.
 */

/** Summary of a sample: median, quartiles, extremes and size. */
export interface Summary {
  readonly n: number;
  readonly median: number;
  readonly p25: number;
  readonly p75: number;
  readonly min: number;
  readonly max: number;
}

function sorted(values: readonly number[]): number[] {
  if (values.length === 0) throw new Error('no samples');
  if (values.some((value) => !Number.isFinite(value))) {
    throw new Error('samples must be finite numbers');
  }
  return [...values].sort((a, b) => a - b);
}

/**
 * The p-th percentile (0 ≤ p ≤ 100) with linear interpolation.
 *
 * @param values - the samples (unsorted; not modified)
 * @param p - the percentile, e.g. 50, 99
 * @throws Error when there are no samples or p is out of range
 */
export function percentile(values: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 100)) throw new Error(`percentile out of range: ${p}`);
  const ordered = sorted(values);
  const rank = (p / 100) * (ordered.length - 1);
  const lower = Math.floor(rank);
  const upper = Math.ceil(rank);
  const low = ordered[lower] as number;
  const high = ordered[upper] as number;
  return low + (high - low) * (rank - lower);
}

/**
 * The median (50th percentile).
 *
 * @param values - the samples
 */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/**
 * Median, quartiles and extremes of a sample.
 *
 * @param values - the samples
 */
export function summarize(values: readonly number[]): Summary {
  const ordered = sorted(values);
  return {
    n: ordered.length,
    median: percentile(ordered, 50),
    p25: percentile(ordered, 25),
    p75: percentile(ordered, 75),
    min: ordered[0] as number,
    max: ordered[ordered.length - 1] as number,
  };
}

/**
 * Rounds to a fixed number of decimals (for results.json and the table).
 *
 * @param value - the number
 * @param digits - decimals to keep
 */
export function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** A median with its distribution-free confidence interval. */
export interface MedianInterval {
  readonly median: number;
  readonly low: number;
  readonly high: number;
}

/**
 * The median of a sample and a ~95% confidence interval for it from order
 * statistics (the binomial sign-test interval, normal approximation): the
 * j-th and k-th smallest values, j = round(n/2 − 0.98·√n) and
 * k = round(1 + n/2 + 0.98·√n), clamped to the sample (for n = 20 the 6th
 * and 15th, a 95.9% interval). It assumes nothing about
 * the distribution, which for cold starts on a shared machine is skewed.
 *
 * @param values - the samples (at least one)
 */
export function medianInterval(values: readonly number[]): MedianInterval {
  const ordered = sorted(values);
  const n = ordered.length;
  const half = 0.98 * Math.sqrt(n);
  const j = Math.max(1, Math.round(n / 2 - half));
  const k = Math.min(n, Math.round(1 + n / 2 + half));
  return {
    median: percentile(ordered, 50),
    low: ordered[j - 1] as number,
    high: ordered[k - 1] as number,
  };
}

/**
 * Ratios of paired samples, a[i] / b[i]: two variants measured in the same
 * round of an interleaved run, so the machine's drift from round to round
 * cancels out of each ratio.
 *
 * @param a - the numerators, in round order
 * @param b - the denominators, in the same round order
 * @throws Error when the samples are not paired one to one
 */
export function pairedRatios(
  a: readonly number[],
  b: readonly number[],
): number[] {
  if (a.length !== b.length || a.length === 0) {
    throw new Error('paired samples need the same, non-zero count');
  }
  return a.map((value, i) => value / (b[i] as number));
}

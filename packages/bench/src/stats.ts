/**
 * Order statistics for benchmark samples. Quantiles interpolate linearly between closest ranks
 * (numpy's default, Python's `statistics.quantiles(method='inclusive')`), so small sample sets
 * give stable, explainable numbers.
 */

/** Summary of one sample set. All fields are in the unit of the samples. */
export interface Summary {
  n: number;
  median: number;
  mean: number;
  min: number;
  max: number;
  /** First quartile (25th percentile). */
  q1: number;
  /** Third quartile (75th percentile). */
  q3: number;
  /** Interquartile range, q3 - q1: the spread that ignores outliers. */
  iqr: number;
}

/** The q-quantile (0 <= q <= 1) of an ascending-sorted array; throws on an empty one. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new RangeError('quantile of an empty sample set');
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile q must be within [0, 1], got ${q}`);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Median, mean, extremes and quartiles of `samples` (which is not modified). */
export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new RangeError('cannot summarize an empty sample set');
  for (const s of samples) {
    if (!Number.isFinite(s)) throw new RangeError(`sample is not a finite number: ${s}`);
  }
  const sorted = [...samples].sort((a, b) => a - b);
  const q1 = quantile(sorted, 0.25);
  const q3 = quantile(sorted, 0.75);
  return {
    n: sorted.length,
    median: quantile(sorted, 0.5),
    mean: sorted.reduce((a, b) => a + b, 0) / sorted.length,
    min: sorted[0],
    max: sorted[sorted.length - 1],
    q1,
    q3,
    iqr: q3 - q1,
  };
}

/** Element-wise ratios a[i] / b[i] of two paired sample sets of equal length. */
export function pairedRatios(a: readonly number[], b: readonly number[]): number[] {
  if (a.length !== b.length)
    throw new RangeError(`paired samples differ in length: ${a.length} vs ${b.length}`);
  return a.map((x, i) => x / b[i]);
}

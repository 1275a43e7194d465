import { describe, expect, it } from 'vitest';
import { pairedRatios, quantile, summarize } from './stats.js';

describe('stats', () => {
  it('interpolates quantiles between closest ranks', () => {
    const sorted = [1, 2, 3, 4];
    expect(quantile(sorted, 0)).toBe(1);
    expect(quantile(sorted, 0.5)).toBe(2.5);
    expect(quantile(sorted, 0.25)).toBe(1.75);
    expect(quantile(sorted, 1)).toBe(4);
  });

  it('summarizes median, quartiles, IQR and extremes without sorting the input in place', () => {
    const samples = [9, 1, 5, 3, 7];
    const s = summarize(samples);
    expect(s).toEqual({ n: 5, median: 5, mean: 5, min: 1, max: 9, q1: 3, q3: 7, iqr: 4 });
    expect(samples).toEqual([9, 1, 5, 3, 7]);
  });

  it('matches numpy / statistics.quantiles(inclusive) on an even-sized set', () => {
    // numpy.percentile([10, 20, 30, 40, 50, 60], [25, 50, 75]) == [22.5, 35, 47.5]
    const s = summarize([60, 10, 30, 20, 50, 40]);
    expect([s.q1, s.median, s.q3]).toEqual([22.5, 35, 47.5]);
  });

  it('rejects empty and non-finite sample sets', () => {
    expect(() => summarize([])).toThrow(RangeError);
    expect(() => summarize([1, Number.NaN])).toThrow(/finite/);
    expect(() => quantile([1], 2)).toThrow(/within/);
  });

  it('pairs ratios element by element', () => {
    expect(pairedRatios([2, 9], [1, 3])).toEqual([2, 3]);
    expect(() => pairedRatios([1], [1, 2])).toThrow(/length/);
  });
});

import { describe, expect, it } from 'vitest';
import { formatDuration, formatPercent, formatRatio } from './format.js';

describe('formatDuration', () => {
  it('keeps three significant digits in a fitting unit', () => {
    expect(formatDuration(0)).toBe('0');
    expect(formatDuration(0.25)).toBe('250 ns');
    expect(formatDuration(5)).toBe('5.00 µs');
    expect(formatDuration(850)).toBe('850 µs');
    expect(formatDuration(12_345)).toBe('12.3 ms');
    expect(formatDuration(1_500_000)).toBe('1.50 s');
    expect(formatDuration(125_000_000)).toBe('125 s');
    expect(formatDuration(Number.NaN)).toBe('–');
  });

  it('does not show a fourth digit after rounding up', () => {
    expect(formatDuration(99_999.9)).toBe('100 ms');
    expect(formatDuration(9.999)).toBe('10.0 µs');
    expect(formatDuration(999.96)).toBe('1.00 ms');
    expect(formatDuration(999_999)).toBe('1.00 s');
  });
});

describe('formatRatio / formatPercent', () => {
  it('formats finite values and dashes the rest', () => {
    expect(formatRatio(1.934)).toBe('1.93×');
    expect(formatRatio(Number.POSITIVE_INFINITY)).toBe('–');
    expect(formatPercent(0.4204)).toBe('42.0 %');
  });
});

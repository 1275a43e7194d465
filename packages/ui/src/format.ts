const UNITS: [number, string][] = [
  [1e-3, 'ns'],
  [1, 'µs'],
  [1e3, 'ms'],
  [1e6, 's'],
];

/**
 * Formats a duration given in microseconds with a unit that keeps 3 significant digits:
 * `850 µs`, `12.3 ms`, `1.50 s`. Rounding never shows `100.0 ms` or `1000 µs`.
 */
export function formatDuration(us: number): string {
  if (!Number.isFinite(us)) return '–';
  if (us === 0) return '0';
  const abs = Math.abs(us);
  let u = UNITS.length - 1;
  while (u > 0 && abs < UNITS[u][0]) u--;
  let text = threeDigits(us / UNITS[u][0]);
  if (Math.abs(Number(text)) >= 1000 && u < UNITS.length - 1) text = threeDigits(us / UNITS[++u][0]);
  return `${text} ${UNITS[u][1]}`;
}

/** Three significant digits for values below 1000 (more above), decided after rounding. */
function threeDigits(v: number): string {
  const abs = Math.abs(v);
  let digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  let s = v.toFixed(digits);
  const limit = digits === 2 ? 10 : 100;
  if (digits > 0 && Math.abs(Number(s)) >= limit) s = v.toFixed(--digits);
  return s;
}

/** Formats a ratio such as a speedup: `1.93×`. */
export function formatRatio(r: number): string {
  return Number.isFinite(r) ? `${r.toFixed(2)}×` : '–';
}

/** Formats a fraction in [0, 1] as a percentage: `42.0 %`. */
export function formatPercent(f: number): string {
  return Number.isFinite(f) ? `${(f * 100).toFixed(1)} %` : '–';
}

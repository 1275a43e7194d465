/**
 * Formats a duration given in microseconds with a unit that keeps 3 significant digits:
 * `850 µs`, `12.3 ms`, `1.50 s`.
 */
export function formatDuration(us: number): string {
  if (!Number.isFinite(us)) return '–';
  if (us === 0) return '0';
  const abs = Math.abs(us);
  if (abs < 1) return `${trim(us * 1000)} ns`;
  if (abs < 1000) return `${trim(us)} µs`;
  if (abs < 1_000_000) return `${trim(us / 1000)} ms`;
  return `${trim(us / 1_000_000)} s`;
}

function trim(v: number): string {
  const abs = Math.abs(v);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  return v.toFixed(digits);
}

/** Formats a ratio such as a speedup: `1.93×`. */
export function formatRatio(r: number): string {
  return Number.isFinite(r) ? `${r.toFixed(2)}×` : '–';
}

/** Formats a fraction in [0, 1] as a percentage: `42.0 %`. */
export function formatPercent(f: number): string {
  return Number.isFinite(f) ? `${(f * 100).toFixed(1)} %` : '–';
}

/** The visible time window of the timeline, in microseconds. */
export interface TimeView {
  start: number;
  end: number;
}

/** The smallest window the timeline zooms to (µs): below that the numbers stop meaning anything. */
export const MIN_SPAN_US = 0.5;

/** Keeps a window inside [0, duration] and at least {@link MIN_SPAN_US} wide, preserving its width. */
export function clampView(view: TimeView, duration: number): TimeView {
  let span = Math.min(Math.max(view.end - view.start, Math.min(MIN_SPAN_US, duration)), duration);
  if (!Number.isFinite(span) || span <= 0) span = duration;
  // Zooming in and out again accumulates rounding error: snap to the whole run and its edges.
  const eps = span * 1e-9;
  if (duration - span < eps) span = duration;
  let start = Math.min(Math.max(view.start, 0), duration - span);
  if (!Number.isFinite(start)) start = 0;
  if (start < eps) start = 0;
  if (duration - (start + span) < eps) start = duration - span;
  return { start, end: start + span };
}

/** Zooms by `factor` (> 1 zooms in) keeping the time under `anchor` (0..1 of the width) in place. */
export function zoomView(view: TimeView, factor: number, anchor: number, duration: number): TimeView {
  const span = view.end - view.start;
  const at = view.start + span * anchor;
  const next = span / factor;
  return clampView({ start: at - next * anchor, end: at - next * anchor + next }, duration);
}

/** Pans by a fraction of the visible width (positive moves later in time). */
export function panView(view: TimeView, fraction: number, duration: number): TimeView {
  const d = (view.end - view.start) * fraction;
  return clampView({ start: view.start + d, end: view.end + d }, duration);
}

/**
 * Tick positions for a time axis: round steps (1, 2, 5 × 10^k µs) giving about `target` ticks.
 */
export function niceTicks(view: TimeView, target: number): number[] {
  const span = view.end - view.start;
  if (!(span > 0) || target < 1) return [];
  const raw = span / target;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? 10 * pow;
  const ticks: number[] = [];
  for (let t = Math.ceil(view.start / step) * step; t <= view.end + 1e-9; t += step) {
    ticks.push(Number(t.toPrecision(12)));
    if (ticks.length > 1000) break;
  }
  return ticks;
}

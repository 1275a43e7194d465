import { formatDuration } from './format.js';
import type { Palette } from './palette.js';
import { type Lane, lowerBound, type TimelineModel } from './timeline-model.js';
import { niceTicks, type TimeView } from './timeline-view.js';
import { TRACE_STATES } from './trace-types.js';

/** Vertical layout of the timeline in CSS pixels; the DOM lane labels use the same numbers. */
export interface TimelineLayout {
  axisHeight: number;
  laneHeight: number;
  laneGap: number;
}

export const DEFAULT_LAYOUT: TimelineLayout = { axisHeight: 24, laneHeight: 22, laneGap: 8 };

/** Top y (CSS px) of lane `i`. */
export function laneTop(layout: TimelineLayout, i: number): number {
  return layout.axisHeight + layout.laneGap / 2 + i * (layout.laneHeight + layout.laneGap);
}

/** Total canvas height (CSS px) for `lanes` lanes. */
export function timelineHeight(layout: TimelineLayout, lanes: number): number {
  return layout.axisHeight + Math.max(lanes, 1) * (layout.laneHeight + layout.laneGap);
}

/** Lane index under CSS y, or -1 between/outside lanes. */
export function laneAtY(layout: TimelineLayout, lanes: number, y: number): number {
  const rel = y - layout.axisHeight - layout.laneGap / 2;
  if (rel < 0) return -1;
  const i = Math.floor(rel / (layout.laneHeight + layout.laneGap));
  if (i >= lanes || rel - i * (layout.laneHeight + layout.laneGap) > layout.laneHeight) return -1;
  return i;
}

/** A horizontal span in CSS px to fill with one state's colour. */
export interface PixelRect {
  x: number;
  w: number;
}

/**
 * The rectangles to fill for one lane, per state (indexed like {@link TRACE_STATES}), in CSS px.
 *
 * This is what keeps 50,000 intervals interactive: only intervals overlapping the window are visited
 * (found by binary search), and intervals of the same state closer than half a pixel are merged, so
 * the output per state is bounded by about twice the width in pixels whatever the interval count.
 * Every interval that is visible gets at least one pixel, so a 1 µs hand-off in a 1 s view still
 * shows.
 */
export function laneRects(lane: Lane, view: TimeView, width: number): PixelRect[][] {
  const out: PixelRect[][] = TRACE_STATES.map(() => []);
  const span = view.end - view.start;
  if (!(span > 0) || width <= 0) return out;
  const scale = width / span;
  const pendingStart = new Float64Array(TRACE_STATES.length).fill(Number.NaN);
  const pendingEnd = new Float64Array(TRACE_STATES.length);
  const n = lane.starts.length;
  for (let i = lowerBound(lane.ends, view.start); i < n; i++) {
    const s = lane.starts[i];
    // Intervals that only touch the window's edges are not in it (zero-width ones still count).
    if (s > view.end || (s === view.end && lane.ends[i] > s)) break;
    if (lane.ends[i] === view.start && s < view.start) continue;
    const st = lane.states[i];
    const xa = Math.max(0, (s - view.start) * scale);
    const xb = Math.max(Math.min(width, (lane.ends[i] - view.start) * scale), xa + 1);
    if (!Number.isNaN(pendingStart[st]) && xa <= pendingEnd[st] + 0.5) {
      if (xb > pendingEnd[st]) pendingEnd[st] = xb;
    } else {
      if (!Number.isNaN(pendingStart[st])) {
        out[st].push({ x: pendingStart[st], w: pendingEnd[st] - pendingStart[st] });
      }
      pendingStart[st] = xa;
      pendingEnd[st] = xb;
    }
  }
  for (let st = 0; st < TRACE_STATES.length; st++) {
    if (!Number.isNaN(pendingStart[st]))
      out[st].push({ x: pendingStart[st], w: pendingEnd[st] - pendingStart[st] });
  }
  return out;
}

/** Options of {@link paintTimeline}. */
export interface PaintOptions {
  width: number;
  height: number;
  /** Device pixels per CSS pixel. */
  dpr: number;
  palette: Palette;
  layout: TimelineLayout;
  /** Hand-off arrows are drawn only when at most this many are in view (default 400). */
  maxArrows: number;
}

/** What one paint drew, for tests and the status line. */
export interface PaintResult {
  rects: number;
  arrows: number;
  /** Hand-offs in view that were not drawn because there were more than `maxArrows`. */
  arrowsHidden: number;
}

/** Paints the whole timeline for one window. Pure drawing: no DOM reads, no state. */
export function paintTimeline(
  ctx: CanvasRenderingContext2D,
  model: TimelineModel,
  view: TimeView,
  opts: PaintOptions,
): PaintResult {
  const { width, height, dpr, palette, layout } = opts;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.fillStyle = palette.background;
  ctx.fillRect(0, 0, width, height);
  const span = view.end - view.start;
  const xOf = (t: number) => ((t - view.start) / span) * width;

  // Axis: ticks, labels, faint grid lines through the lanes.
  ctx.font = '11px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  ctx.lineWidth = 1;
  const ticks = niceTicks(view, Math.max(2, Math.floor(width / 110)));
  for (const t of ticks) {
    const x = Math.round(xOf(t)) + 0.5;
    ctx.strokeStyle = palette.grid;
    ctx.beginPath();
    ctx.moveTo(x, layout.axisHeight - 6);
    ctx.lineTo(x, height);
    ctx.stroke();
    ctx.fillStyle = palette.mutedText;
    const label = formatDuration(t);
    const w = ctx.measureText(label).width;
    ctx.fillText(label, Math.min(Math.max(x + 3, 0), width - w - 2), layout.axisHeight / 2 - 2);
  }

  let rects = 0;
  model.lanes.forEach((lane, i) => {
    const y = laneTop(layout, i);
    ctx.fillStyle = palette.lane;
    ctx.fillRect(0, y, width, layout.laneHeight);
    const perState = laneRects(lane, view, width);
    perState.forEach((list, st) => {
      if (list.length === 0) return;
      ctx.fillStyle = palette.states[TRACE_STATES[st]];
      ctx.beginPath();
      for (const r of list) ctx.rect(r.x, y, r.w, layout.laneHeight);
      ctx.fill();
      rects += list.length;
    });
  });

  // Drop requests: a short mark above the asking thread's lane.
  const dr0 = lowerBound(model.dropTimes, view.start);
  let drops = 0;
  ctx.fillStyle = palette.dropRequest;
  for (let k = dr0; k < model.dropRequests.length && model.dropRequests[k].time <= view.end; k++) {
    if (++drops > opts.maxArrows) break;
    const d = model.dropRequests[k];
    const x = xOf(d.time);
    ctx.fillRect(x - 1, laneTop(layout, d.lane) - 3, 2, 3);
  }

  // Hand-off arrows, from the old holder's lane to the new one's, at the hand-off time.
  const times = model.handoffTimes;
  const h0 = lowerBound(times, view.start);
  const h1 = lowerBound(times, view.end + Number.EPSILON);
  const inView = h1 - h0;
  let arrows = 0;
  if (inView <= opts.maxArrows) {
    ctx.strokeStyle = palette.arrow;
    ctx.fillStyle = palette.arrow;
    ctx.lineWidth = 1;
    for (let k = h0; k < h1; k++) {
      const h = model.handoffs[k];
      const x = Math.round(xOf(h.time)) + 0.5;
      const down = h.toLane > h.fromLane;
      const y0 = laneTop(layout, h.fromLane) + (down ? layout.laneHeight : 0);
      const y1 = laneTop(layout, h.toLane) + (down ? 0 : layout.laneHeight);
      ctx.beginPath();
      ctx.moveTo(x, y0);
      ctx.lineTo(x, y1);
      ctx.stroke();
      const dir = down ? 1 : -1;
      ctx.beginPath();
      ctx.moveTo(x, y1);
      ctx.lineTo(x - 3, y1 - 5 * dir);
      ctx.lineTo(x + 3, y1 - 5 * dir);
      ctx.closePath();
      ctx.fill();
      arrows++;
    }
  }
  return { rects, arrows, arrowsHidden: inView - arrows };
}

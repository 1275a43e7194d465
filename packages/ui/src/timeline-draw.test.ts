import { describe, expect, it } from 'vitest';
import { lightPalette } from './palette.js';
import { recordingContext, roundRobinTrace } from './test-fixtures/traces.js';
import { DEFAULT_LAYOUT, laneAtY, laneRects, laneTop, paintTimeline } from './timeline-draw.js';
import { buildTimelineModel } from './timeline-model.js';
import type { Trace, TraceInterval } from './trace-types.js';

const opts = {
  width: 800,
  height: 200,
  dpr: 1,
  palette: lightPalette,
  layout: DEFAULT_LAYOUT,
  maxArrows: 400,
};

describe('laneRects', () => {
  it('places intervals proportionally in the window', () => {
    const lane = buildTimelineModel(roundRobinTrace(2, 4)).lanes[0];
    const rects = laneRects(lane, { start: 0, end: 20_000 }, 400);
    // running 0-5 ms and 10-15 ms; waiting 5-10 ms.
    expect(rects[0]).toEqual([
      { x: 0, w: 100 },
      { x: 200, w: 100 },
    ]);
    expect(rects[1]).toEqual([{ x: 100, w: 100 }]);
  });

  it('keeps the output bounded by the width for 50,000 intervals, and still shows every state', () => {
    const intervals: TraceInterval[] = [];
    const states = ['running', 'waiting', 'blocked', 'native'] as const;
    for (let i = 0; i < 50_000; i++)
      intervals.push({ thread: 0, state: states[i % 4], start: i * 20, end: i * 20 + 20 });
    const trace: Trace = { ...roundRobinTrace(1, 1), durationUs: 1_000_000, intervals, events: [] };
    const lane = buildTimelineModel(trace).lanes[0];
    const width = 800;
    const rects = laneRects(lane, { start: 0, end: 1_000_000 }, width);
    const total = rects.reduce((a, r) => a + r.length, 0);
    expect(total).toBeLessThanOrEqual(4 * (2 * width + 2));
    for (const r of rects) expect(r.length).toBeGreaterThan(0);
    // Zoomed into 1 % of the run only that part is visited and each interval is distinct again.
    const zoomed = laneRects(lane, { start: 500_000, end: 510_000 }, width);
    expect(zoomed.reduce((a, r) => a + r.length, 0)).toBe(500);
  });

  it('gives a sub-pixel interval one pixel', () => {
    const trace: Trace = {
      ...roundRobinTrace(1, 1),
      durationUs: 1_000_000,
      intervals: [{ thread: 0, state: 'native', start: 500_000, end: 500_001 }],
    };
    const rects = laneRects(buildTimelineModel(trace).lanes[0], { start: 0, end: 1_000_000 }, 100);
    expect(rects[3]).toEqual([{ x: 50, w: 1 }]);
  });
});

describe('paintTimeline', () => {
  it('draws hand-off arrows when few are in view and counts them as hidden otherwise', () => {
    const model = buildTimelineModel(roundRobinTrace(2, 10));
    const ctx = recordingContext();
    const r = paintTimeline(ctx, model, { start: 0, end: 50_000 }, opts);
    expect(r.arrows).toBe(9);
    expect(r.arrowsHidden).toBe(0);
    const few = paintTimeline(
      recordingContext(),
      model,
      { start: 0, end: 50_000 },
      { ...opts, maxArrows: 3 },
    );
    expect(few).toMatchObject({ arrows: 0, arrowsHidden: 9 });
    // Arrows are vertical lines between the two lanes at the hand-off time.
    const x = Math.round((5000 / 50_000) * 800) + 0.5;
    const moves = ctx.calls.filter((c) => c.name === 'moveTo' && c.args[0] === x);
    expect(moves.length).toBeGreaterThan(0);
  });

  it('fills each state with its palette colour', () => {
    const ctx = recordingContext();
    paintTimeline(ctx, buildTimelineModel(roundRobinTrace(2, 4)), { start: 0, end: 20_000 }, opts);
    const fills = ctx.calls.filter((c) => c.name === 'set:fillStyle').map((c) => c.args[0]);
    expect(fills).toContain(lightPalette.states.running);
    expect(fills).toContain(lightPalette.states.waiting);
    expect(fills).not.toContain(lightPalette.states.native);
  });
});

describe('lane geometry', () => {
  it('laneAtY inverts laneTop and is -1 between lanes', () => {
    for (let i = 0; i < 3; i++) expect(laneAtY(DEFAULT_LAYOUT, 3, laneTop(DEFAULT_LAYOUT, i) + 1)).toBe(i);
    expect(laneAtY(DEFAULT_LAYOUT, 3, laneTop(DEFAULT_LAYOUT, 1) - 1)).toBe(-1);
    expect(laneAtY(DEFAULT_LAYOUT, 3, 2)).toBe(-1);
    expect(laneAtY(DEFAULT_LAYOUT, 3, laneTop(DEFAULT_LAYOUT, 3) + 1)).toBe(-1);
  });
});

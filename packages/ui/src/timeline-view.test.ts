import { describe, expect, it } from 'vitest';
import { clampView, MIN_SPAN_US, niceTicks, panView, zoomView } from './timeline-view.js';

describe('timeline view math', () => {
  it('zooming keeps the time under the anchor in place', () => {
    const v = zoomView({ start: 0, end: 1000 }, 2, 0.25, 1000);
    expect(v.end - v.start).toBe(500);
    expect(v.start + 0.25 * (v.end - v.start)).toBeCloseTo(250);
  });

  it('zooming out never goes past the whole run', () => {
    expect(zoomView({ start: 100, end: 200 }, 1 / 100, 0.5, 1000)).toEqual({ start: 0, end: 1000 });
  });

  it('zooming in stops at the minimum span', () => {
    let v = { start: 0, end: 1000 };
    for (let i = 0; i < 100; i++) v = zoomView(v, 4, 0.5, 1000);
    expect(v.end - v.start).toBeCloseTo(MIN_SPAN_US);
  });

  it('panning is clamped to the run', () => {
    expect(panView({ start: 0, end: 100 }, -1, 1000)).toEqual({ start: 0, end: 100 });
    expect(panView({ start: 800, end: 900 }, 5, 1000)).toEqual({ start: 900, end: 1000 });
    expect(panView({ start: 100, end: 200 }, 0.5, 1000)).toEqual({ start: 150, end: 250 });
  });

  it('zooming in and back out returns exactly to the whole run', () => {
    let v = { start: 0, end: 435_123.7 };
    for (let i = 0; i < 5; i++) v = zoomView(v, 1.6, 0.5, 435_123.7);
    for (let i = 0; i < 5; i++) v = zoomView(v, 1 / 1.6, 0.5, 435_123.7);
    expect(v).toEqual({ start: 0, end: 435_123.7 });
  });

  it('clampView repairs non-finite input', () => {
    expect(clampView({ start: Number.NaN, end: Number.NaN }, 50)).toEqual({ start: 0, end: 50 });
  });

  it('niceTicks uses 1-2-5 steps inside the window', () => {
    expect(niceTicks({ start: 0, end: 1000 }, 5)).toEqual([0, 200, 400, 600, 800, 1000]);
    const t = niceTicks({ start: 3, end: 17 }, 3);
    expect(t).toEqual([5, 10, 15]);
  });
});

/**
 * How long one timeline frame takes to compute and issue for a large trace, against the naive way
 * (one rectangle per interval). Drawing goes to a counting no-op 2D context, so this measures the
 * timeline's own work (the part that grows with the trace), not the browser's rasteriser.
 */
import { lightPalette } from '../palette.js';
import { DEFAULT_LAYOUT, laneTop, paintTimeline, timelineHeight } from '../timeline-draw.js';
import { buildTimelineModel, type TimelineModel } from '../timeline-model.js';
import type { TimeView } from '../timeline-view.js';
import { TRACE_STATES, type Trace, type TraceInterval } from '../trace-types.js';

/** A trace of `threads` threads taking turns every `sliceUs`, `intervals` intervals in all. */
export function syntheticTrace(threads: number, intervals: number, sliceUs = 20): Trace {
  const list: TraceInterval[] = [];
  const perThread = Math.ceil(intervals / threads);
  for (let t = 0; t < threads; t++) {
    for (let i = 0; i < perThread; i++) {
      list.push({ thread: t, state: TRACE_STATES[(i + t) % 2], start: i * sliceUs, end: (i + 1) * sliceUs });
    }
  }
  return {
    version: 1,
    runtime: 'sim',
    policy: 'cpython',
    cores: threads,
    switchIntervalMs: sliceUs / 1000,
    durationUs: perThread * sliceUs,
    threads: Array.from({ length: threads }, (_, i) => ({ id: i, name: `Thread-${i + 1}` })),
    intervals: list.slice(0, intervals),
    events: [],
  };
}

/** A 2D context that only counts calls. */
function countingContext(): CanvasRenderingContext2D & { calls: number } {
  const target = { calls: 0 };
  return new Proxy(target, {
    get(t, key: string) {
      if (key === 'calls') return t.calls;
      if (key === 'measureText') return () => ({ width: 40 });
      return () => {
        t.calls++;
      };
    },
    set() {
      return true;
    },
  }) as unknown as CanvasRenderingContext2D & { calls: number };
}

/** The naive frame: a fillRect for every interval in view. */
function paintNaive(
  ctx: CanvasRenderingContext2D,
  model: TimelineModel,
  view: TimeView,
  width: number,
): void {
  const scale = width / (view.end - view.start);
  model.lanes.forEach((lane, i) => {
    const y = laneTop(DEFAULT_LAYOUT, i);
    for (let k = 0; k < lane.starts.length; k++) {
      if (lane.ends[k] < view.start || lane.starts[k] > view.end) continue;
      ctx.fillStyle = lightPalette.states[TRACE_STATES[lane.states[k]]];
      ctx.fillRect((lane.starts[k] - view.start) * scale, y, (lane.ends[k] - lane.starts[k]) * scale, 22);
    }
  });
}

/** Result of {@link benchTimelineFrame}. */
export interface TimelineFrameBench {
  intervals: number;
  /** Median ms per frame, timeline's paint. */
  paintMs: number;
  /** Median ms per frame, one rectangle per interval. */
  naiveMs: number;
  /** Context calls per frame, timeline's paint and naive. */
  paintCalls: number;
  naiveCalls: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Measures whole-run frames (the worst case: every interval in view) of both ways, interleaved. */
export function benchTimelineFrame(
  intervals = 50_000,
  threads = 4,
  width = 1200,
  reps = 15,
): TimelineFrameBench {
  const model = buildTimelineModel(syntheticTrace(threads, intervals));
  const view = { start: 0, end: model.durationUs };
  const height = timelineHeight(DEFAULT_LAYOUT, threads);
  const opts = { width, height, dpr: 1, palette: lightPalette, layout: DEFAULT_LAYOUT, maxArrows: 400 };
  const paint: number[] = [];
  const naive: number[] = [];
  let paintCalls = 0;
  let naiveCalls = 0;
  for (let r = 0; r < reps; r++) {
    const a = countingContext();
    let t0 = performance.now();
    paintTimeline(a, model, view, opts);
    paint.push(performance.now() - t0);
    paintCalls = a.calls;
    const b = countingContext();
    t0 = performance.now();
    paintNaive(b, model, view, width);
    naive.push(performance.now() - t0);
    naiveCalls = b.calls;
  }
  return { intervals, paintMs: median(paint), naiveMs: median(naive), paintCalls, naiveCalls };
}

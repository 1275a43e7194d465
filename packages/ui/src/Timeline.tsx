import {
  type CSSProperties,
  type KeyboardEvent,
  type PointerEvent,
  useEffect,
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { formatDuration } from './format.js';
import { type Palette, paletteFor, STATE_LABELS, type Theme } from './palette.js';
import {
  DEFAULT_LAYOUT,
  laneAtY,
  laneTop,
  type PaintResult,
  paintTimeline,
  type TimelineLayout,
  timelineHeight,
} from './timeline-draw.js';
import {
  buildTimelineModel,
  type Handoff,
  intervalAt,
  lowerBound,
  type TimelineModel,
} from './timeline-model.js';
import { clampView, panView, type TimeView, zoomView } from './timeline-view.js';
import { TRACE_STATES, type Trace, type TraceInterval } from './trace-types.js';

/** Props of {@link Timeline}. */
export interface TimelineProps {
  /** The run to draw. A new trace resets the zoom. */
  trace: Trace;
  /** Built-in colours (default `light`); ignored when `palette` is given. */
  theme?: Theme;
  palette?: Palette;
  /** Lane and axis sizes in CSS pixels. */
  layout?: Partial<TimelineLayout>;
  /**
   * Width of the thread-name column in CSS pixels. Default: fits the longest name, between 56 and
   * 168 px and at most 30 % of the component's width (names are cut with an ellipsis; hover shows
   * them whole).
   */
  labelWidth?: number;
  /**
   * Show at least this much time (µs) at full zoom-out: give two timelines the same value to draw
   * them on one scale (e.g. a run and a faster run side by side).
   */
  minDurationUs?: number;
  /** Hand-off arrows are drawn when at most this many are in view (default 400). */
  maxArrows?: number;
  /** Accessible name of the timeline (default describes the run). */
  label?: string;
  /** Called after every paint, with what was drawn (e.g. to measure click-to-paint time). */
  onPaint?: (result: PaintResult, trace: Trace) => void;
  className?: string;
  style?: CSSProperties;
}

interface Hover {
  x: number;
  y: number;
  lane: number;
  time: number;
  interval: TraceInterval | undefined;
  /** A hand-off arrow within a few pixels of the pointer, when there is one. */
  handoff: Handoff | undefined;
}

/** How close (CSS px) the pointer must be to a hand-off arrow to show it. */
const ARROW_HIT_PX = 4;

/** The hand-off nearest to `time` within `tolerance` µs, or undefined. */
function handoffNear(model: TimelineModel, time: number, tolerance: number): Handoff | undefined {
  let best: Handoff | undefined;
  for (let k = lowerBound(model.handoffTimes, time - tolerance); k < model.handoffs.length; k++) {
    const h = model.handoffs[k];
    if (h.time > time + tolerance) break;
    if (!best || Math.abs(h.time - time) < Math.abs(best.time - time)) best = h;
  }
  return best;
}

const ZOOM_STEP = 1.6;

/**
 * A canvas timeline of a run: one lane per thread, coloured by state (running, waiting for the GIL,
 * blocked, native), with GIL hand-off arrows and drop-request marks.
 *
 * Zoom: the +/− buttons, Ctrl/⌘ + wheel (or pinch), or `+`/`-` keys; pan: drag, horizontal wheel,
 * or the arrow keys; `0` resets. Hovering shows the interval under the pointer. Drawing cost depends
 * on the canvas width, not on the number of intervals (see `laneRects`), so traces with 50,000
 * intervals stay interactive.
 */
export function Timeline(props: TimelineProps) {
  const { trace, theme = 'light', maxArrows = 400, onPaint } = props;
  const palette = props.palette ?? paletteFor(theme);
  const layout: TimelineLayout = { ...DEFAULT_LAYOUT, ...props.layout };
  const { minDurationUs = 0 } = props;
  const model = useMemo(() => {
    const m = buildTimelineModel(trace);
    return minDurationUs > m.durationUs ? { ...m, durationUs: minDurationUs } : m;
  }, [trace, minDurationUs]);
  const full: TimeView = { start: 0, end: model.durationUs };
  // The view belongs to one model: a new trace shows in full without an extra render.
  const [viewState, setViewState] = useState<{ model: TimelineModel; view: TimeView }>({ model, view: full });
  const view = viewState.model === model ? viewState.view : full;
  const setView = (next: TimeView) => setViewState({ model, view: clampView(next, model.durationUs) });

  const rootRef = useRef<HTMLDivElement>(null);
  const wrapRef = useRef<HTMLDivElement>(null);
  const [rootWidth, setRootWidth] = useState(0);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [width, setWidth] = useState(0);
  const [hover, setHover] = useState<Hover | null>(null);
  const [painted, setPainted] = useState<PaintResult | null>(null);
  const drag = useRef<{ x: number; view: TimeView } | null>(null);
  const helpId = useId();
  const height = timelineHeight(layout, model.lanes.length);
  const longest = model.lanes.reduce((m, l) => Math.max(m, l.label.length), 0);
  const labelWidth =
    props.labelWidth ??
    Math.min(Math.max(56, longest * 7 + 14), 168, rootWidth > 0 ? Math.floor(rootWidth * 0.3) : 168);

  useLayoutEffect(() => {
    const el = wrapRef.current;
    const root = rootRef.current;
    if (!el || !root) return;
    const measure = () => {
      setWidth(Math.max(50, Math.floor(el.clientWidth || 600)));
      setRootWidth(Math.floor(root.clientWidth));
    };
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    ro.observe(root);
    return () => ro.disconnect();
  }, []);

  const onPaintRef = useRef(onPaint);
  onPaintRef.current = onPaint;
  // biome-ignore lint/correctness/useExhaustiveDependencies: repaint exactly when what is drawn changes
  useLayoutEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || width === 0) return;
    const dpr = Math.min(typeof window !== 'undefined' ? window.devicePixelRatio || 1 : 1, 3);
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    const result = paintTimeline(ctx, model, view, { width, height, dpr, palette, layout, maxArrows });
    setPainted((p) =>
      p && p.rects === result.rects && p.arrows === result.arrows && p.arrowsHidden === result.arrowsHidden
        ? p
        : result,
    );
    onPaintRef.current?.(result, trace);
  }, [
    model,
    view.start,
    view.end,
    width,
    height,
    palette,
    maxArrows,
    layout.axisHeight,
    layout.laneHeight,
    layout.laneGap,
  ]);

  // Wheel zoom needs preventDefault, which React's passive wheel listener cannot do.
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const onWheel = (e: WheelEvent) => {
      const rect = canvas.getBoundingClientRect();
      const anchor = rect.width > 0 ? (e.clientX - rect.left) / rect.width : 0.5;
      if (e.ctrlKey || e.metaKey) {
        e.preventDefault();
        setViewState((s) => {
          const v = s.model === model ? s.view : { start: 0, end: model.durationUs };
          return { model, view: zoomView(v, Math.exp(-e.deltaY / 200), anchor, model.durationUs) };
        });
      } else if (Math.abs(e.deltaX) > Math.abs(e.deltaY) || e.shiftKey) {
        e.preventDefault();
        const d = (e.shiftKey ? e.deltaY : e.deltaX) / Math.max(rect.width, 1);
        setViewState((s) => {
          const v = s.model === model ? s.view : { start: 0, end: model.durationUs };
          return { model, view: panView(v, d, model.durationUs) };
        });
      }
    };
    canvas.addEventListener('wheel', onWheel, { passive: false });
    return () => canvas.removeEventListener('wheel', onWheel);
  }, [model]);

  const pointAt = (e: PointerEvent<HTMLCanvasElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    const x = e.clientX - rect.left;
    const y = e.clientY - rect.top;
    const w = rect.width || width;
    return { x, y, time: view.start + (x / w) * (view.end - view.start) };
  };

  const onPointerMove = (e: PointerEvent<HTMLCanvasElement>) => {
    const p = pointAt(e);
    if (drag.current) {
      const w = e.currentTarget.getBoundingClientRect().width || width;
      setView(panView(drag.current.view, -(p.x - drag.current.x) / w, model.durationUs));
      return;
    }
    const lane = laneAtY(layout, model.lanes.length, p.y);
    if (lane < 0) {
      setHover(null);
      return;
    }
    const w = e.currentTarget.getBoundingClientRect().width || width;
    const near = handoffNear(model, p.time, (ARROW_HIT_PX / w) * (view.end - view.start));
    // Only arrows drawn in this view, and only in the lanes the arrow spans.
    const shown = painted !== null && painted.arrows > 0;
    const spans =
      near && lane >= Math.min(near.fromLane, near.toLane) && lane <= Math.max(near.fromLane, near.toLane);
    setHover({
      x: p.x,
      y: p.y,
      lane,
      time: p.time,
      interval: intervalAt(model.lanes[lane], p.time),
      handoff: shown && spans ? near : undefined,
    });
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const next = viewForKey(e.key, view, model.durationUs);
    if (next) {
      e.preventDefault();
      setView(next);
    }
  };

  const zoomed = view.start > 0 || view.end < model.durationUs;
  const buttonStyle: CSSProperties = {
    font: 'inherit',
    fontSize: 13,
    padding: '2px 10px',
    borderRadius: 4,
    border: `1px solid ${palette.grid}`,
    background: palette.lane,
    color: palette.text,
    cursor: 'pointer',
  };
  const description =
    props.label ??
    `Timeline of ${model.lanes.length} thread${model.lanes.length === 1 ? '' : 's'} over ${formatDuration(model.durationUs)}, ${trace.policy} policy`;

  return (
    <div
      ref={rootRef}
      className={props.className}
      style={{ color: palette.text, background: palette.background, ...props.style }}
      data-gilkit-timeline=""
      data-intervals={trace.intervals.length}
    >
      <div
        style={{
          display: 'flex',
          flexWrap: 'wrap',
          gap: 8,
          alignItems: 'center',
          marginBottom: 6,
          fontSize: 13,
        }}
      >
        <button
          type="button"
          style={buttonStyle}
          onClick={() => setView(zoomView(view, ZOOM_STEP, 0.5, model.durationUs))}
          aria-label="Zoom in"
        >
          +
        </button>
        <button
          type="button"
          style={buttonStyle}
          onClick={() => setView(zoomView(view, 1 / ZOOM_STEP, 0.5, model.durationUs))}
          aria-label="Zoom out"
        >
          −
        </button>
        <button type="button" style={buttonStyle} onClick={() => setView(full)} disabled={!zoomed}>
          Reset zoom
        </button>
        <span style={{ color: palette.mutedText }} aria-live="polite">
          {formatDuration(view.start)} – {formatDuration(view.end)}
          {painted && painted.arrowsHidden > 0 ? ` · zoom in to see ${painted.arrowsHidden} hand-offs` : ''}
        </span>
      </div>
      <div style={{ display: 'flex', position: 'relative' }}>
        <ol
          aria-label="Threads"
          style={{
            listStyle: 'none',
            margin: 0,
            padding: 0,
            width: labelWidth,
            flex: 'none',
            position: 'relative',
            height,
          }}
        >
          {model.lanes.map((lane, i) => (
            <li
              key={lane.thread}
              data-lane={lane.thread}
              title={lane.label}
              style={{
                position: 'absolute',
                top: laneTop(layout, i),
                height: layout.laneHeight,
                lineHeight: `${layout.laneHeight}px`,
                width: labelWidth - 8,
                overflow: 'hidden',
                textOverflow: 'ellipsis',
                whiteSpace: 'nowrap',
                fontSize: 13,
              }}
            >
              {lane.label}
            </li>
          ))}
        </ol>
        <div ref={wrapRef} style={{ flex: 1, minWidth: 0, position: 'relative' }}>
          <canvas
            ref={canvasRef}
            tabIndex={0}
            role="img"
            aria-label={description}
            aria-describedby={helpId}
            style={{
              display: 'block',
              width: '100%',
              height,
              cursor: drag.current ? 'grabbing' : 'crosshair',
              touchAction: 'pan-y',
              outlineOffset: 2,
            }}
            onKeyDown={onKeyDown}
            onPointerMove={onPointerMove}
            onPointerLeave={() => {
              if (!drag.current) setHover(null);
            }}
            onPointerDown={(e) => {
              drag.current = { x: pointAt(e).x, view };
              e.currentTarget.setPointerCapture?.(e.pointerId);
              setHover(null);
            }}
            onPointerUp={(e) => {
              drag.current = null;
              e.currentTarget.releasePointerCapture?.(e.pointerId);
            }}
          />
          {hover && (
            <div
              role="tooltip"
              style={{
                position: 'absolute',
                left: Math.min(hover.x + 12, Math.max(0, width - 220)),
                top: hover.y + 14,
                width: 208,
                pointerEvents: 'none',
                background: palette.background,
                color: palette.text,
                border: `1px solid ${palette.grid}`,
                borderRadius: 6,
                padding: '6px 8px',
                fontSize: 12,
                lineHeight: 1.4,
                boxShadow: '0 2px 8px rgba(0,0,0,0.2)',
                zIndex: 2,
              }}
            >
              {hover.handoff && (
                <div style={{ marginBottom: 4 }}>
                  <strong>GIL hand-off</strong> at {formatDuration(hover.handoff.time)}:{' '}
                  {model.lanes[hover.handoff.fromLane].label} → {model.lanes[hover.handoff.toLane].label}
                </div>
              )}
              <strong>{model.lanes[hover.lane].label}</strong>
              {hover.interval ? (
                <>
                  <div>
                    <Swatch color={palette.states[hover.interval.state]} />{' '}
                    {STATE_LABELS[hover.interval.state]}
                  </div>
                  <div>
                    {formatDuration(hover.interval.start)} → {formatDuration(hover.interval.end)} (
                    {formatDuration(hover.interval.end - hover.interval.start)})
                  </div>
                  {hover.interval.detail && <div>{hover.interval.detail}</div>}
                  {hover.interval.core !== undefined && <div>core {hover.interval.core}</div>}
                </>
              ) : (
                <div>not alive at {formatDuration(hover.time)}</div>
              )}
            </div>
          )}
        </div>
      </div>
      <ul
        aria-label="Legend"
        style={{
          display: 'flex',
          flexWrap: 'wrap',
          gap: '4px 14px',
          listStyle: 'none',
          padding: 0,
          margin: '6px 0 0',
          fontSize: 12,
        }}
      >
        {TRACE_STATES.map((s) => (
          <li key={s}>
            <Swatch color={palette.states[s]} /> {STATE_LABELS[s]}
          </li>
        ))}
        <li>
          <span aria-hidden="true" style={{ color: palette.arrow }}>
            ↓
          </span>{' '}
          GIL hand-off
        </li>
        <li>
          <Swatch color={palette.dropRequest} /> drop request
        </li>
      </ul>
      <p
        id={helpId}
        style={{ position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)' }}
      >
        Keys: plus and minus zoom, left and right arrows pan, 0 resets. Drag to pan; Ctrl and wheel zooms.
      </p>
    </div>
  );
}

/** The view after a key press, or null when the key is not ours. */
function viewForKey(key: string, view: TimeView, duration: number): TimeView | null {
  switch (key) {
    case '+':
    case '=':
      return zoomView(view, ZOOM_STEP, 0.5, duration);
    case '-':
      return zoomView(view, 1 / ZOOM_STEP, 0.5, duration);
    case 'ArrowLeft':
      return panView(view, -0.2, duration);
    case 'ArrowRight':
      return panView(view, 0.2, duration);
    case '0':
    case 'Home':
      return { start: 0, end: duration };
    default:
      return null;
  }
}

function Swatch({ color }: { color: string }) {
  return (
    <span
      aria-hidden="true"
      style={{
        display: 'inline-block',
        width: 10,
        height: 10,
        borderRadius: 2,
        background: color,
        verticalAlign: 'baseline',
      }}
    />
  );
}

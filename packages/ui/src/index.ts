export { formatDuration, formatPercent, formatRatio } from './format.js';
export { darkPalette, lightPalette, type Palette, paletteFor, STATE_LABELS, type Theme } from './palette.js';
export {
  RunComparisonChart,
  type RunComparisonChartProps,
  type RunSummary,
  summarizeRun,
} from './RunComparisonChart.js';
export { StatsTable, type StatsTableProps } from './StatsTable.js';
export { computeTraceStats, type ThreadStats, type TraceStats } from './stats.js';
export { Timeline, type TimelineProps } from './Timeline.js';
export {
  DEFAULT_LAYOUT,
  laneRects,
  type PaintOptions,
  type PaintResult,
  type PixelRect,
  paintTimeline,
  type TimelineLayout,
} from './timeline-draw.js';
export { buildTimelineModel, type Handoff, type Lane, type TimelineModel } from './timeline-model.js';
export { clampView, niceTicks, panView, type TimeView, zoomView } from './timeline-view.js';
export {
  TRACE_STATES,
  type Trace,
  type TraceEvent,
  type TraceEventKind,
  type TraceInterval,
  type TraceState,
  type TraceThread,
} from './trace-types.js';

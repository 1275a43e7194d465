import type { CSSProperties } from 'react';
import { formatDuration, formatRatio } from './format.js';
import { type Palette, paletteFor, type Theme } from './palette.js';
import { computeTraceStats } from './stats.js';
import type { Trace } from './trace-types.js';

/** One run to compare: what the chart needs of it. */
export interface RunSummary {
  /** Stable key. */
  id: string;
  /** Shown next to the bar, e.g. `countdown · 2 threads · cpython`. */
  label: string;
  /** Wall time of the run, µs. */
  durationUs: number;
  /** CPU time of all threads, µs (draws the lighter bar behind). */
  cpuUs?: number;
}

/** Summarises a trace for {@link RunComparisonChart}. */
export function summarizeRun(id: string, label: string, trace: Trace): RunSummary {
  const s = computeTraceStats(trace);
  return { id, label, durationUs: s.durationUs, cpuUs: s.cpuUs };
}

/** Props of {@link RunComparisonChart}. */
export interface RunComparisonChartProps {
  runs: readonly RunSummary[];
  /** Run the ratios are relative to (default: the first run). */
  baselineId?: string;
  theme?: Theme;
  palette?: Palette;
  /** Accessible title (default "Wall time per run"). */
  title?: string;
  className?: string;
  style?: CSSProperties;
}

/**
 * Horizontal bars of wall time per run (shorter is faster), with CPU time as a lighter bar behind
 * and each run's speed relative to a baseline run (`2.00×` = twice as fast as the baseline).
 */
export function RunComparisonChart(props: RunComparisonChartProps) {
  const { runs, theme = 'light', title = 'Wall time per run' } = props;
  const palette = props.palette ?? paletteFor(theme);
  const baseline = runs.find((r) => r.id === props.baselineId) ?? runs[0];
  const max = Math.max(1, ...runs.map((r) => Math.max(r.durationUs, r.cpuUs ?? 0)));
  return (
    <figure
      className={props.className}
      style={{ margin: 0, color: palette.text, ...props.style }}
      data-gilkit-runs=""
    >
      <figcaption style={{ fontWeight: 600, fontSize: 13, marginBottom: 6 }}>{title}</figcaption>
      {runs.length === 0 ? (
        <p style={{ color: palette.mutedText, fontSize: 13, margin: 0 }}>No runs yet.</p>
      ) : (
        <ol style={{ listStyle: 'none', padding: 0, margin: 0, display: 'grid', gap: 6 }}>
          {runs.map((r) => {
            const ratio = baseline ? baseline.durationUs / r.durationUs : Number.NaN;
            const text = `${formatDuration(r.durationUs)} wall${r.cpuUs !== undefined ? `, ${formatDuration(r.cpuUs)} CPU` : ''}${r === baseline ? ' (baseline)' : `, ${formatRatio(ratio)} vs baseline`}`;
            return (
              <li key={r.id} data-run={r.id} style={{ fontSize: 12 }}>
                <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8, flexWrap: 'wrap' }}>
                  <span>{r.label}</span>
                  <span style={{ color: palette.mutedText, fontVariantNumeric: 'tabular-nums' }}>{text}</span>
                </div>
                <div
                  role="img"
                  aria-label={`${r.label}: ${text}`}
                  style={{ position: 'relative', height: 12, background: palette.lane, borderRadius: 3 }}
                >
                  {r.cpuUs !== undefined && (
                    <div
                      style={{
                        position: 'absolute',
                        inset: 0,
                        width: `${(r.cpuUs / max) * 100}%`,
                        background: palette.states.running,
                        opacity: 0.3,
                        borderRadius: 3,
                      }}
                    />
                  )}
                  <div
                    style={{
                      position: 'absolute',
                      top: 2,
                      bottom: 2,
                      left: 0,
                      width: `${(r.durationUs / max) * 100}%`,
                      background: palette.states.running,
                      borderRadius: 3,
                    }}
                  />
                </div>
              </li>
            );
          })}
        </ol>
      )}
    </figure>
  );
}

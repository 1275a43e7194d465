import { type CSSProperties, useMemo } from 'react';
import { formatDuration, formatPercent, formatRatio } from './format.js';
import { type Palette, paletteFor, type Theme } from './palette.js';
import { computeTraceStats } from './stats.js';
import type { Trace } from './trace-types.js';

/** Props of {@link StatsTable}. */
export interface StatsTableProps {
  trace: Trace;
  theme?: Theme;
  palette?: Palette;
  /** Table caption (default "Per-thread statistics"). */
  caption?: string;
  className?: string;
  style?: CSSProperties;
}

/**
 * Per-thread figures of a run (CPU time, GIL wait, blocked and native time, hand-offs received) and
 * a summary line (wall time, total CPU, speedup vs sequential), computed with
 * {@link computeTraceStats}.
 */
export function StatsTable(props: StatsTableProps) {
  const { trace, theme = 'light', caption = 'Per-thread statistics' } = props;
  const palette = props.palette ?? paletteFor(theme);
  const stats = useMemo(() => computeTraceStats(trace), [trace]);
  const cell: CSSProperties = {
    padding: '4px 8px',
    borderBottom: `1px solid ${palette.grid}`,
    textAlign: 'right',
    whiteSpace: 'nowrap',
  };
  const head: CSSProperties = { ...cell, fontWeight: 600, color: palette.mutedText };
  const first: CSSProperties = { ...cell, textAlign: 'left' };
  const summary: [string, string, string][] = [
    ['wall', 'Wall time', formatDuration(stats.durationUs)],
    ['cpu', 'CPU time (all threads)', formatDuration(stats.cpuUs)],
    ['speedup', 'Speedup vs sequential', formatRatio(stats.speedup)],
    ['wait', 'GIL wait (all threads)', formatDuration(stats.gilWaitUs)],
    ['handoffs', 'Hand-offs', String(stats.handoffs)],
    ['drops', 'Drop requests', String(stats.dropRequests)],
  ];
  return (
    <div className={props.className} style={{ color: palette.text, ...props.style }} data-gilkit-stats="">
      <dl style={{ display: 'flex', flexWrap: 'wrap', gap: '4px 18px', margin: '0 0 8px', fontSize: 13 }}>
        {summary.map(([key, name, value]) => (
          <div key={key} data-stat={key}>
            <dt style={{ display: 'inline', color: palette.mutedText }}>{name}: </dt>
            <dd style={{ display: 'inline', margin: 0, fontWeight: 600 }}>{value}</dd>
          </div>
        ))}
      </dl>
      <div style={{ overflowX: 'auto' }}>
        <table
          style={{
            borderCollapse: 'collapse',
            fontSize: 13,
            fontVariantNumeric: 'tabular-nums',
            minWidth: '100%',
          }}
        >
          <caption style={{ textAlign: 'left', fontWeight: 600, padding: '0 0 4px' }}>{caption}</caption>
          <thead>
            <tr>
              <th scope="col" style={{ ...head, textAlign: 'left' }}>
                Thread
              </th>
              <th scope="col" style={head}>
                CPU
              </th>
              <th scope="col" style={head}>
                GIL wait
              </th>
              <th scope="col" style={head}>
                Blocked
              </th>
              <th scope="col" style={head}>
                Native
              </th>
              <th scope="col" style={head}>
                Share of wall
              </th>
              <th scope="col" style={head}>
                Hand-offs in
              </th>
            </tr>
          </thead>
          <tbody>
            {stats.threads.map((s) => (
              <tr key={s.thread} data-thread={s.thread}>
                <th scope="row" style={{ ...first, fontWeight: 500 }}>
                  {s.name}
                </th>
                <td style={cell}>{formatDuration(s.runningUs)}</td>
                <td style={cell}>{formatDuration(s.waitingUs)}</td>
                <td style={cell}>{formatDuration(s.blockedUs)}</td>
                <td style={cell}>{formatDuration(s.nativeUs)}</td>
                <td style={cell}>{formatPercent((s.runningUs + s.nativeUs) / stats.durationUs)}</td>
                <td style={cell}>{s.handoffsIn}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

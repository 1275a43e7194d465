/**
 * A plain-text timeline of a trace (what `gilkit run --timeline` prints): one row per thread, one
 * column per time bucket, the character of the state that filled most of the bucket.
 */
import type { Trace, TraceState } from './trace.js';

/** Characters per state; a space means the thread did not exist yet or had ended. */
export const TIMELINE_CHARS: Readonly<Record<TraceState, string>> = {
  running: '#',
  waiting: '.',
  blocked: '_',
  native: '~',
};

/** Renders `trace` as text `width` columns wide (default 72), with a legend and a time axis. */
export function asciiTimeline(trace: Trace, width = 72): string {
  const d = trace.durationUs;
  if (!(d > 0)) return '(empty trace)\n';
  const bucket = d / width;
  const nameWidth = Math.min(16, Math.max(...trace.threads.map((t) => t.name.length)));
  const rows: string[] = [];
  for (const th of trace.threads) {
    const fill = Array.from({ length: width }, () => ({ running: 0, waiting: 0, blocked: 0, native: 0 }));
    for (const iv of trace.intervals) {
      if (iv.thread !== th.id) continue;
      const first = Math.floor(iv.start / bucket);
      const last = Math.min(width - 1, Math.floor(iv.end / bucket));
      for (let c = first; c <= last; c++) {
        const lo = Math.max(iv.start, c * bucket);
        const hi = Math.min(iv.end, (c + 1) * bucket);
        if (hi > lo) fill[c][iv.state] += hi - lo;
      }
    }
    let line = '';
    for (const f of fill) {
      let best: TraceState | undefined;
      let most = 0;
      for (const s of ['running', 'native', 'waiting', 'blocked'] as TraceState[]) {
        if (f[s] > most) {
          most = f[s];
          best = s;
        }
      }
      line += best ? TIMELINE_CHARS[best] : ' ';
    }
    rows.push(`${th.name.slice(0, nameWidth).padEnd(nameWidth)} |${line}|`);
  }
  const end = d >= 1000 ? `${(d / 1000).toFixed(d >= 10_000 ? 0 : 1)} ms` : `${Math.round(d)} us`;
  rows.push(`${' '.repeat(nameWidth)}  0${end.padStart(width)}`);
  rows.push(`${' '.repeat(nameWidth)}  # running  . waiting for the GIL/core  _ blocked  ~ native`);
  return `${rows.join('\n')}\n`;
}

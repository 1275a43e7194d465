import { expect } from 'vitest';
import { type ChromeTraceEvent, toChromeTrace } from '../chrome-trace.js';
import type { Trace } from '../trace.js';

/** Checks what Perfetto needs: named threads, strictly nested X spans per track, paired flows. */
export function checkChromeTrace(trace: Trace): ChromeTraceEvent[] {
  const ct = toChromeTrace(trace);
  const parsed = JSON.parse(JSON.stringify(ct)) as { traceEvents: ChromeTraceEvent[] };
  const evs = parsed.traceEvents;
  const named = new Set(
    evs.filter((e) => e.ph === 'M' && e.name === 'thread_name').map((e) => `${e.pid}/${e.tid}`),
  );
  for (const th of trace.threads) expect(named.has(`${th.group ?? 0}/${th.id}`)).toBe(true);
  const byTrack = new Map<string, ChromeTraceEvent[]>();
  for (const e of evs) {
    expect(typeof e.ts).toBe('number');
    expect(Number.isFinite(e.ts)).toBe(true);
    if (e.ph !== 'X') continue;
    expect(e.dur).toBeGreaterThanOrEqual(0);
    const k = `${e.pid}/${e.tid}`;
    if (!byTrack.has(k)) byTrack.set(k, []);
    byTrack.get(k)!.push(e);
  }
  for (const spans of byTrack.values()) {
    spans.sort((a, b) => a.ts - b.ts);
    for (let i = 1; i < spans.length; i++) {
      // Adjacent spans may touch; any overlap would break strict nesting.
      // (compared in whole nanoseconds, as trace viewers do after parsing microsecond floats)
      expect(Math.round(spans[i].ts * 1000)).toBeGreaterThanOrEqual(
        Math.round((spans[i - 1].ts + spans[i - 1].dur!) * 1000),
      );
    }
  }
  const starts = evs.filter((e) => e.ph === 's');
  const finishes = evs.filter((e) => e.ph === 'f');
  expect(starts.map((e) => e.id).sort()).toEqual(finishes.map((e) => e.id).sort());
  return evs;
}

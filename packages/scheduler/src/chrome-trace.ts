/**
 * Export of a {@link Trace} to the Chrome Trace Event Format (the JSON object form), which Perfetto
 * (ui.perfetto.dev), chrome://tracing and speedscope open.
 *
 * Mapping: one process per thread group (interpreter or process; group 0 when absent), one track
 * per thread named by `thread_name` metadata, one complete (`X`) event per interval, instant (`i`)
 * events for drop requests and forced switches, and a flow arrow (`s` -> `f`) from the previous
 * holder to the new one for every hand-off. Perfetto requires the complete events of a track to
 * nest strictly: trace intervals of a thread never overlap, and timestamps are rounded to whole
 * nanoseconds with the same rounding for both ends, so adjacent spans touch but never overlap.
 */
import type { Trace } from './trace.js';

/** One Chrome trace event (only the fields gilkit writes). */
export interface ChromeTraceEvent {
  name: string;
  cat?: string;
  ph: 'X' | 'i' | 's' | 'f' | 'M';
  /** Microseconds. */
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  /** Instant scope (`t` = thread). */
  s?: 't';
  /** Flow id (`s`/`f`). */
  id?: number;
  /** Flow binding point: `e` = enclosing slice. */
  bp?: 'e';
  args?: Record<string, string | number>;
}

/** The JSON object form of a Chrome trace. */
export interface ChromeTrace {
  traceEvents: ChromeTraceEvent[];
  displayTimeUnit: 'ms' | 'ns';
  otherData: Record<string, string | number>;
}

const round = (us: number) => Math.round(us * 1000) / 1000;

/** Converts a trace to Chrome Trace Event JSON (call `JSON.stringify` on the result to save it). */
export function toChromeTrace(trace: Trace): ChromeTrace {
  const pidOf = new Map<number, number>();
  const out: ChromeTraceEvent[] = [];
  const groups = new Set<number>();
  for (const th of trace.threads) {
    const pid = th.group ?? 0;
    pidOf.set(th.id, pid);
    groups.add(pid);
    out.push({ name: 'thread_name', ph: 'M', ts: 0, pid, tid: th.id, args: { name: th.name } });
    out.push({ name: 'thread_sort_index', ph: 'M', ts: 0, pid, tid: th.id, args: { sort_index: th.id } });
  }
  const groupLabel =
    trace.policy === 'processes'
      ? 'process'
      : trace.policy === 'per-interpreter'
        ? 'interpreter'
        : 'interpreter';
  for (const g of groups) {
    out.push({ name: 'process_name', ph: 'M', ts: 0, pid: g, tid: 0, args: { name: `${groupLabel} ${g}` } });
  }
  for (const iv of trace.intervals) {
    const ts = round(iv.start);
    const end = round(iv.end);
    const ev: ChromeTraceEvent = {
      name: iv.state,
      cat: 'thread-state',
      ph: 'X',
      ts,
      dur: round(end - ts),
      pid: pidOf.get(iv.thread) ?? 0,
      tid: iv.thread,
    };
    const args: Record<string, string | number> = {};
    if (iv.detail !== undefined) args.detail = iv.detail;
    if (iv.core !== undefined) args.core = iv.core;
    if (Object.keys(args).length > 0) ev.args = args;
    out.push(ev);
  }
  let flow = 0;
  for (const ev of trace.events) {
    const pid = pidOf.get(ev.thread) ?? 0;
    const ts = round(ev.time);
    if (ev.kind === 'drop-request' || ev.kind === 'forced-switch') {
      const args: Record<string, string | number> = {};
      if (ev.to !== undefined) args.holder = ev.to;
      out.push({ name: ev.kind, cat: 'gil', ph: 'i', s: 't', ts, pid, tid: ev.thread, args });
    } else if (ev.kind === 'handoff' && ev.from !== undefined) {
      const id = ++flow;
      const fromPid = pidOf.get(ev.from) ?? pid;
      out.push({ name: 'gil handoff', cat: 'gil', ph: 's', id, ts, pid: fromPid, tid: ev.from, bp: 'e' });
      out.push({ name: 'gil handoff', cat: 'gil', ph: 'f', id, ts, pid, tid: ev.thread, bp: 'e' });
    }
  }
  const otherData: Record<string, string | number> = {
    runtime: trace.runtime,
    policy: trace.policy,
    cores: trace.cores,
    switchIntervalMs: trace.switchIntervalMs,
  };
  if (trace.seed !== undefined) otherData.seed = trace.seed;
  return { traceEvents: out, displayTimeUnit: 'ms', otherData };
}

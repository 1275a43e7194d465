import type { Trace, TraceState } from './trace-types.js';

/** Time one thread spent in each state, and its share of the GIL traffic. */
export interface ThreadStats {
  thread: number;
  name: string;
  /** Executing bytecode (CPU time under the GIL), µs. */
  runningUs: number;
  /** Runnable but waiting for the GIL (or a core), µs. */
  waitingUs: number;
  /** In a blocking call without the GIL, µs. */
  blockedUs: number;
  /** Native work without the GIL, µs. */
  nativeUs: number;
  /** Times the GIL was handed to this thread by another one. */
  handoffsIn: number;
  /** Drop requests this thread made while waiting. */
  dropRequests: number;
}

/** Per-thread and whole-run figures of a trace. */
export interface TraceStats {
  durationUs: number;
  threads: ThreadStats[];
  /** Sum over threads of running + native time: the work, µs. */
  cpuUs: number;
  /** Sum over threads of time spent waiting for the GIL, µs. */
  gilWaitUs: number;
  handoffs: number;
  dropRequests: number;
  forcedSwitches: number;
  /**
   * Speedup against running the same work sequentially on one core: `cpuUs / durationUs`. A
   * sequential run would take about `cpuUs` (the same instructions, one after another), so under a
   * GIL this stays near 1 whatever the thread count, and without one it approaches the number of
   * busy cores.
   */
  speedup: number;
}

const FIELD: Record<TraceState, 'runningUs' | 'waitingUs' | 'blockedUs' | 'nativeUs'> = {
  running: 'runningUs',
  waiting: 'waitingUs',
  blocked: 'blockedUs',
  native: 'nativeUs',
};

/** Computes {@link TraceStats} from a trace's intervals and events. */
export function computeTraceStats(trace: Trace): TraceStats {
  const byId = new Map<number, ThreadStats>();
  const threads = trace.threads.map((t) => {
    const s: ThreadStats = {
      thread: t.id,
      name: t.name,
      runningUs: 0,
      waitingUs: 0,
      blockedUs: 0,
      nativeUs: 0,
      handoffsIn: 0,
      dropRequests: 0,
    };
    byId.set(t.id, s);
    return s;
  });
  let maxEnd = 0;
  for (const iv of trace.intervals) {
    const s = byId.get(iv.thread);
    if (!s) continue;
    const field = FIELD[iv.state];
    if (field) s[field] += iv.end - iv.start;
    if (iv.end > maxEnd) maxEnd = iv.end;
  }
  let handoffs = 0;
  let dropRequests = 0;
  let forcedSwitches = 0;
  for (const ev of trace.events) {
    if (ev.kind === 'handoff') {
      handoffs++;
      const to = byId.get(ev.to ?? ev.thread);
      if (to) to.handoffsIn++;
    } else if (ev.kind === 'drop-request') {
      dropRequests++;
      const s = byId.get(ev.thread);
      if (s) s.dropRequests++;
    } else if (ev.kind === 'forced-switch') {
      forcedSwitches++;
    }
  }
  const durationUs = Math.max(trace.durationUs, maxEnd);
  const cpuUs = threads.reduce((a, s) => a + s.runningUs + s.nativeUs, 0);
  const gilWaitUs = threads.reduce((a, s) => a + s.waitingUs, 0);
  return {
    durationUs,
    threads,
    cpuUs,
    gilWaitUs,
    handoffs,
    dropRequests,
    forcedSwitches,
    speedup: durationUs > 0 ? cpuUs / durationUs : Number.NaN,
  };
}

/**
 * Summary statistics of a {@link Trace}: what the CLI prints under a run, what the ui shows next to
 * the timeline and what the bench turns into ratios. Everything is derived from the trace alone, so
 * it works the same for simulated and real runs.
 */
import type { Trace, TraceInterval, TraceState } from './trace.js';

/** Distribution of a set of latencies, in microseconds. Zeros when `count` is 0. */
export interface LatencyStats {
  count: number;
  meanUs: number;
  p50Us: number;
  p90Us: number;
  p99Us: number;
  maxUs: number;
}

/** Per-thread totals. Times in microseconds. */
export interface ThreadStats {
  id: number;
  name: string;
  group?: number;
  /** Time executing bytecode (holding the GIL when there is one). */
  runningUs: number;
  /** Time runnable but waiting for the GIL or a core. */
  waitingUs: number;
  /** Time in blocking calls without the GIL (sleep, I/O, locks, joins). */
  blockedUs: number;
  /** Time in native work without the GIL. */
  nativeUs: number;
  /** GIL acquisitions by this thread. */
  takes: number;
  /** Hand-offs to this thread (it took the GIL from another thread). */
  handoffsIn: number;
  /** Drop requests this thread set while waiting. */
  dropRequests: number;
  /** Forced switches this thread underwent as the holder. */
  forcedSwitches: number;
  /** From the end of each blocked interval to the start of the next running interval. */
  wakeLatency: LatencyStats;
}

/** Whole-run totals. */
export interface TraceStats {
  durationUs: number;
  /** Sum over threads of running + native time: the work done. */
  cpuUs: number;
  /** Sum over threads of waiting time (GIL or core). */
  gilWaitUs: number;
  /** Share of runnable time spent waiting: `gilWaitUs / (gilWaitUs + runningUs)`; 0 without runnable time. */
  gilWaitFraction: number;
  /** Sum of blocked time. */
  blockedUs: number;
  handoffs: number;
  takes: number;
  dropRequests: number;
  forcedSwitches: number;
  /**
   * `cpuUs / durationUs`: how many cores were busy on average. For CPU-bound threads this is the
   * speed-up against running the same work sequentially on one core (1 under a GIL, up to the core
   * count without one).
   */
  speedupVsSequential: number;
  /** Wake-up latency (blocked end to running) over all threads. */
  wakeLatency: LatencyStats;
  /**
   * I/O round trips: from the start of each blocked interval whose `detail` starts with `io` to the
   * moment its thread runs again (the I/O time plus retaking the GIL, what a socket echo measures).
   */
  ioLatency: LatencyStats;
  threads: ThreadStats[];
}

/**
 * Percentiles use the nearest-rank method on the sorted sample: `p` of n values is element
 * `ceil(p/100 * n) - 1`.
 */
export function latencyStats(samples: readonly number[]): LatencyStats {
  const n = samples.length;
  if (n === 0) return { count: 0, meanUs: 0, p50Us: 0, p90Us: 0, p99Us: 0, maxUs: 0 };
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => s[Math.max(0, Math.ceil((p / 100) * n) - 1)];
  let sum = 0;
  for (const v of s) sum += v;
  return { count: n, meanUs: sum / n, p50Us: at(50), p90Us: at(90), p99Us: at(99), maxUs: s[n - 1] };
}

/** Computes per-thread and total statistics of a trace. */
export function summarize(trace: Trace): TraceStats {
  const byThread = new Map<number, TraceInterval[]>();
  for (const th of trace.threads) byThread.set(th.id, []);
  for (const iv of trace.intervals) byThread.get(iv.thread)?.push(iv);

  const allWake: number[] = [];
  const allIo: number[] = [];
  const threads: ThreadStats[] = trace.threads.map((th) => {
    const ivs = byThread.get(th.id) ?? [];
    const time: Record<TraceState, number> = { running: 0, waiting: 0, blocked: 0, native: 0 };
    const wake: number[] = [];
    for (let i = 0; i < ivs.length; i++) {
      const iv = ivs[i];
      time[iv.state] += iv.end - iv.start;
      if (iv.state !== 'blocked') continue;
      const next = ivs.slice(i + 1).find((x) => x.state === 'running');
      if (!next) continue;
      wake.push(next.start - iv.end);
      if (iv.detail?.startsWith('io')) allIo.push(next.start - iv.start);
    }
    allWake.push(...wake);
    const st: ThreadStats = {
      id: th.id,
      name: th.name,
      runningUs: time.running,
      waitingUs: time.waiting,
      blockedUs: time.blocked,
      nativeUs: time.native,
      takes: 0,
      handoffsIn: 0,
      dropRequests: 0,
      forcedSwitches: 0,
      wakeLatency: latencyStats(wake),
    };
    if (th.group !== undefined) st.group = th.group;
    return st;
  });
  const index = new Map(threads.map((t) => [t.id, t]));
  let handoffs = 0;
  let takes = 0;
  let dropRequests = 0;
  let forcedSwitches = 0;
  for (const ev of trace.events) {
    const t = index.get(ev.thread);
    switch (ev.kind) {
      case 'handoff':
        handoffs++;
        if (t) t.handoffsIn++;
        break;
      case 'take':
        takes++;
        if (t) t.takes++;
        break;
      case 'drop-request':
        dropRequests++;
        if (t) t.dropRequests++;
        break;
      case 'forced-switch':
        forcedSwitches++;
        if (t) t.forcedSwitches++;
        break;
      case 'drop':
        break;
    }
  }
  let cpuUs = 0;
  let runningUs = 0;
  let gilWaitUs = 0;
  let blockedUs = 0;
  for (const t of threads) {
    cpuUs += t.runningUs + t.nativeUs;
    runningUs += t.runningUs;
    gilWaitUs += t.waitingUs;
    blockedUs += t.blockedUs;
  }
  const d = trace.durationUs;
  return {
    durationUs: d,
    cpuUs,
    gilWaitUs,
    gilWaitFraction: gilWaitUs + runningUs > 0 ? gilWaitUs / (gilWaitUs + runningUs) : 0,
    blockedUs,
    handoffs,
    takes,
    dropRequests,
    forcedSwitches,
    speedupVsSequential: d > 0 ? cpuUs / d : 0,
    wakeLatency: latencyStats(allWake),
    ioLatency: latencyStats(allIo),
    threads,
  };
}

/** Formats microseconds for people: `850 us`, `12.3 ms`, `1.52 s`. */
export function formatUs(us: number): string {
  if (us < 1000) return `${us < 10 ? us.toFixed(1) : Math.round(us)} us`;
  if (us < 1e6) return `${(us / 1000).toFixed(us < 1e4 ? 2 : 1)} ms`;
  return `${(us / 1e6).toFixed(2)} s`;
}

/** A plain-text table of the stats (what `gilkit run` prints after the program's output). */
export function formatStats(stats: TraceStats): string {
  const rows: string[][] = [['thread', 'running', 'waiting', 'blocked', 'native', 'takes', 'handoffs in']];
  for (const t of stats.threads) {
    rows.push([
      t.name,
      formatUs(t.runningUs),
      formatUs(t.waitingUs),
      formatUs(t.blockedUs),
      formatUs(t.nativeUs),
      String(t.takes),
      String(t.handoffsIn),
    ]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (r: string[]) =>
    r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  const out = [line(rows[0]), ...rows.slice(1).map(line)];
  out.push(
    `duration ${formatUs(stats.durationUs)}, cpu ${formatUs(stats.cpuUs)}, speedup vs sequential ${stats.speedupVsSequential.toFixed(2)}x, ` +
      `waiting ${(stats.gilWaitFraction * 100).toFixed(1)}% of runnable time, hand-offs ${stats.handoffs}, drop requests ${stats.dropRequests}, forced switches ${stats.forcedSwitches}`,
  );
  if (stats.ioLatency.count > 0) {
    const l = stats.ioLatency;
    out.push(
      `I/O latency: p50 ${formatUs(l.p50Us)}, p90 ${formatUs(l.p90Us)}, p99 ${formatUs(l.p99Us)}, mean ${formatUs(l.meanUs)} (${l.count} round trips)`,
    );
  }
  return `${out.join('\n')}\n`;
}

import type { Trace, TraceEvent, TraceInterval } from '../trace-types.js';

/**
 * A CPython-like trace made by hand: `threads` CPU-bound threads take turns holding the GIL for
 * `sliceUs` each (the others wait), with a hand-off event at every switch, until `slices` slices
 * have run. Lets the components be tested without the simulator.
 */
export function roundRobinTrace(threads: number, slices: number, sliceUs = 5000): Trace {
  const intervals: TraceInterval[] = [];
  const events: TraceEvent[] = [];
  const lastEnd = new Array<number>(threads).fill(0);
  for (let k = 0; k < slices; k++) {
    const t = k % threads;
    const start = k * sliceUs;
    if (start > lastEnd[t]) intervals.push({ thread: t, state: 'waiting', start: lastEnd[t], end: start });
    intervals.push({ thread: t, state: 'running', start, end: start + sliceUs, core: 0 });
    lastEnd[t] = start + sliceUs;
    if (k > 0) events.push({ kind: 'handoff', time: start, thread: t, from: (k - 1) % threads, to: t });
  }
  intervals.sort((a, b) => a.start - b.start);
  return {
    version: 1,
    runtime: 'sim',
    policy: 'cpython',
    cores: threads,
    switchIntervalMs: sliceUs / 1000,
    seed: 1,
    durationUs: slices * sliceUs,
    threads: Array.from({ length: threads }, (_, i) => ({ id: i, name: `Thread-${i + 1}` })),
    intervals,
    events,
  };
}

/** Two threads running in parallel on two cores for `us` µs each, no GIL. */
export function parallelTrace(us: number): Trace {
  return {
    version: 1,
    runtime: 'sim',
    policy: 'free-threaded',
    cores: 2,
    switchIntervalMs: 5,
    durationUs: us,
    threads: [
      { id: 1, name: 'A' },
      { id: 2, name: 'B' },
    ],
    intervals: [
      { thread: 1, state: 'running', start: 0, end: us },
      { thread: 2, state: 'running', start: 0, end: us },
    ],
    events: [],
  };
}

/** A canvas 2D context that records the calls made on it (jsdom has no canvas). */
export function recordingContext(): CanvasRenderingContext2D & {
  calls: { name: string; args: unknown[] }[];
} {
  const calls: { name: string; args: unknown[] }[] = [];
  const props: Record<string, unknown> = { calls };
  return new Proxy(props, {
    get(target, key: string) {
      if (key in target) return target[key];
      if (key === 'measureText') return (s: string) => ({ width: s.length * 6 });
      return (...args: unknown[]) => {
        calls.push({ name: key, args });
      };
    },
    set(target, key: string, value) {
      target[key] = value;
      calls.push({ name: `set:${key}`, args: [value] });
      return true;
    },
  }) as unknown as CanvasRenderingContext2D & { calls: { name: string; args: unknown[] }[] };
}

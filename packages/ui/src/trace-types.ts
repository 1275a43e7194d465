/**
 * The trace shape the components draw: a structural copy of version 1 of `@gilkit/scheduler`'s
 * `Trace` (CONTRACTS.md section 2), restricted to the fields the components read.
 *
 * Why a copy and not an import: a trace is plain JSON (a saved run, a Chrome-trace round trip, a
 * docs fixture), and drawing one should not pull the simulator into a page. The types are
 * structural, so a scheduler `Trace` is assignable to {@link Trace} here; the playground's
 * typecheck passes one to these components and so keeps the two in step.
 *
 * @module
 */

/** What a thread was doing during an interval (see the scheduler's `TraceState`). */
export type TraceState = 'running' | 'waiting' | 'blocked' | 'native';

/** Every interval state, in legend order. */
export const TRACE_STATES: readonly TraceState[] = ['running', 'waiting', 'blocked', 'native'];

/** Instant events of the GIL protocol (see the scheduler's `TraceEventKind`). */
export type TraceEventKind = 'drop-request' | 'forced-switch' | 'handoff' | 'take' | 'drop';

/** One thread of a run. */
export interface TraceThread {
  id: number;
  name: string;
  /** Interpreter or process the thread belongs to (per-interpreter and processes policies). */
  group?: number;
}

/** One span of one thread in one state; a thread's intervals are sorted and never overlap. */
export interface TraceInterval {
  thread: number;
  state: TraceState;
  /** Microseconds from the start of the run. */
  start: number;
  /** Microseconds from the start of the run, `>= start`. */
  end: number;
  detail?: string;
  core?: number;
}

/** One instant event; events are sorted by `time`. */
export interface TraceEvent {
  kind: TraceEventKind;
  /** Microseconds from the start of the run. */
  time: number;
  thread: number;
  from?: number;
  to?: number;
  gil?: number;
}

/** A complete run, as produced by SimRuntime or WorkerRuntime. */
export interface Trace {
  version: 1;
  runtime: 'sim' | 'workers';
  policy: 'cpython' | 'legacy' | 'fifo' | 'free-threaded' | 'per-interpreter' | 'processes';
  cores: number;
  switchIntervalMs: number;
  seed?: number;
  /** Length of the run in microseconds. */
  durationUs: number;
  threads: TraceThread[];
  intervals: TraceInterval[];
  events: TraceEvent[];
}

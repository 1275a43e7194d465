/**
 * The trace schema shared by both runtimes (SimRuntime and WorkerRuntime) and by everything that
 * renders or measures a run (`@gilkit/ui`, `@gilkit/bench`, the docs and the playground).
 *
 * Published contract (see CONTRACTS.md section 2). Changes are additive only: new optional fields,
 * never renamed or retyped ones. `version` changes only if that promise has to be broken.
 *
 * Time is in microseconds (floating point) from the start of the run, on one clock for all threads:
 * virtual time in the simulator, `performance.now()` relative to the run start in WorkerRuntime.
 *
 * @module
 */

/** Which runtime produced the trace. */
export type TraceRuntime = 'sim' | 'workers';

/**
 * The GIL policy a run used.
 *
 * - `cpython`: CPython >= 3.2 GIL (switch interval, drop request, forced switching, OS picks waiter).
 * - `legacy`: Python 2 GIL (release and re-acquire every 100 ticks, no hand-off).
 * - `fifo`: a GIL handed to waiters in strict arrival order.
 * - `free-threaded`: no GIL (PEP 703), threads run in parallel, refcounts cost more.
 * - `per-interpreter`: one GIL per interpreter (PEP 684); `group` on a thread names its interpreter.
 * - `processes`: one process per worker, each with its own GIL; `group` names the process.
 */
export type TracePolicy = 'cpython' | 'legacy' | 'fifo' | 'free-threaded' | 'per-interpreter' | 'processes';

/** Every policy name, in a stable order (for pickers and validation). */
export const TRACE_POLICIES: readonly TracePolicy[] = [
  'cpython',
  'legacy',
  'fifo',
  'free-threaded',
  'per-interpreter',
  'processes',
];

/** One thread of the run. */
export interface TraceThread {
  /** Thread id, unique in the trace; the main thread is 0 when the program has one. */
  id: number;
  /** Python-visible name (`MainThread`, `Thread-1`, or the `name=` given to `Thread`). */
  name: string;
  /** Interpreter (per-interpreter policy) or process (processes policy) the thread belongs to. */
  group?: number;
}

/**
 * What a thread was doing during an interval.
 *
 * - `running`: executing bytecode (holding the GIL when the policy has one) on a core.
 * - `waiting`: runnable but waiting for the GIL, or holding nothing and waiting for a core.
 * - `blocked`: in a blocking call without the GIL (sleep, lock, join, event, I/O).
 * - `native`: running native code without the GIL (e.g. `hashlib.sha256` over a large buffer).
 */
export type TraceState = 'running' | 'waiting' | 'blocked' | 'native';

/** Every interval state, in a stable order (legends, colour maps). */
export const TRACE_STATES: readonly TraceState[] = ['running', 'waiting', 'blocked', 'native'];

/**
 * One span of one thread in one state. Intervals of one thread never overlap and are sorted by
 * `start`; `start <= end`. Gaps mean the thread did not exist yet or had finished.
 */
export interface TraceInterval {
  /** {@link TraceThread.id} */
  thread: number;
  state: TraceState;
  /** Microseconds from the start of the run. */
  start: number;
  /** Microseconds from the start of the run; `>= start`. */
  end: number;
  /** Human-readable reason, e.g. `sleep 0.01`, `lock 3`, `join Thread-1`, `core` (waiting for a CPU). */
  detail?: string;
  /** Virtual or real core the thread ran on, when known (running and native intervals). */
  core?: number;
}

/**
 * Instant events of the GIL protocol.
 *
 * - `drop-request`: a waiter timed out after a full switch interval without a hand-off and asked
 *   the holder (`to`) to drop; `thread` is the waiter.
 * - `forced-switch`: the holder dropped because of a drop request and may not retake the GIL until
 *   another thread took it; `thread` is the dropper.
 * - `handoff`: the GIL passed from `from` to `to` (`thread` = `to`), i.e. the taker is not the
 *   last holder (CPython's `switch_number` increments).
 * - `take`: `thread` acquired the GIL (whether or not it was the last holder).
 * - `drop`: `thread` released the GIL (breaker, blocking call, exit).
 */
export type TraceEventKind = 'drop-request' | 'forced-switch' | 'handoff' | 'take' | 'drop';

/** Every event kind, in a stable order. */
export const TRACE_EVENT_KINDS: readonly TraceEventKind[] = [
  'drop-request',
  'forced-switch',
  'handoff',
  'take',
  'drop',
];

/** One instant event. Events are sorted by `time`. */
export interface TraceEvent {
  kind: TraceEventKind;
  /** Microseconds from the start of the run. */
  time: number;
  /** The acting thread (see {@link TraceEventKind} for which one per kind). */
  thread: number;
  /** Previous holder (hand-offs). */
  from?: number;
  /** New holder (hand-offs) or the holder asked to drop (drop requests). */
  to?: number;
  /** GIL the event belongs to when there are several (per-interpreter, processes): the group. */
  gil?: number;
}

/** A complete record of one run. Plain JSON: structured-clone and `JSON.stringify` safe. */
export interface Trace {
  /** Schema version; always 1 for this schema. */
  version: 1;
  runtime: TraceRuntime;
  policy: TracePolicy;
  /** Cores the run had (virtual cores in the simulator). */
  cores: number;
  /** GIL switch interval in milliseconds (CPython default 5). */
  switchIntervalMs: number;
  /** PRNG seed of a simulated run; absent for real runs. */
  seed?: number;
  /** Length of the run in microseconds (end of the last interval). */
  durationUs: number;
  threads: TraceThread[];
  intervals: TraceInterval[];
  events: TraceEvent[];
}

/** Thrown by {@link assertTrace} for a value that is not a valid {@link Trace}. */
export class TraceFormatError extends Error {
  readonly code = 'ERR_GILKIT_TRACE_FORMAT';
  override name = 'TraceFormatError';
}

/**
 * Checks that `value` is a well-formed version-1 trace (types, known enum values, `start <= end`,
 * per-thread intervals sorted and non-overlapping, intervals and events referring to known threads).
 * Useful before rendering a trace loaded from a file.
 *
 * @throws TraceFormatError naming the first problem found.
 */
export function assertTrace(value: unknown): asserts value is Trace {
  const fail = (msg: string): never => {
    throw new TraceFormatError(`invalid trace: ${msg}`);
  };
  if (typeof value !== 'object' || value === null) fail('not an object');
  const t = value as Record<string, unknown>;
  if (t.version !== 1) fail(`version must be 1, got ${String(t.version)}`);
  if (t.runtime !== 'sim' && t.runtime !== 'workers') fail(`unknown runtime ${String(t.runtime)}`);
  if (!TRACE_POLICIES.includes(t.policy as TracePolicy)) fail(`unknown policy ${String(t.policy)}`);
  for (const k of ['cores', 'switchIntervalMs', 'durationUs'] as const) {
    if (typeof t[k] !== 'number' || !Number.isFinite(t[k])) fail(`${k} must be a finite number`);
  }
  if (!Array.isArray(t.threads) || !Array.isArray(t.intervals) || !Array.isArray(t.events)) {
    fail('threads, intervals and events must be arrays');
  }
  const ids = new Set<number>();
  for (const th of t.threads as TraceThread[]) {
    if (typeof th.id !== 'number' || typeof th.name !== 'string')
      fail('thread needs numeric id and string name');
    if (ids.has(th.id)) fail(`duplicate thread id ${th.id}`);
    ids.add(th.id);
  }
  const lastEnd = new Map<number, number>();
  for (const iv of t.intervals as TraceInterval[]) {
    if (!ids.has(iv.thread)) fail(`interval of unknown thread ${iv.thread}`);
    if (!TRACE_STATES.includes(iv.state)) fail(`unknown interval state ${String(iv.state)}`);
    if (!(iv.start <= iv.end))
      fail(`interval of thread ${iv.thread} ends before it starts (${iv.start} > ${iv.end})`);
    const prev = lastEnd.get(iv.thread) ?? Number.NEGATIVE_INFINITY;
    // A tiny tolerance: WorkerRuntime timestamps are floats from different workers.
    if (iv.start < prev - 1e-6)
      fail(`intervals of thread ${iv.thread} overlap or are unsorted at ${iv.start}`);
    lastEnd.set(iv.thread, iv.end);
  }
  let lastTime = Number.NEGATIVE_INFINITY;
  for (const ev of t.events as TraceEvent[]) {
    if (!TRACE_EVENT_KINDS.includes(ev.kind)) fail(`unknown event kind ${String(ev.kind)}`);
    if (!ids.has(ev.thread)) fail(`event of unknown thread ${ev.thread}`);
    if (ev.time < lastTime - 1e-6) fail(`events are not sorted by time at ${ev.time}`);
    lastTime = ev.time;
  }
}

/**
 * GIL policies as values. The engine has one code path; a policy only says which lock algorithm
 * guards bytecode (if any), how threads are grouped under locks, and what extra costs apply.
 */
import type { TracePolicy } from '../trace.js';

/** Which lock algorithm guards bytecode execution. */
export type GilAlgorithm =
  /** CPython >= 3.2: timed waits, drop request after a full interval without a hand-off, forced switching, OS picks the waiter. */
  | 'cpython'
  /** Python 2: release and re-acquire every N ticks; the woken waiter races the releaser. */
  | 'legacy'
  /** Like cpython's timing, but the GIL is handed to waiters in arrival order. */
  | 'fifo'
  /** No GIL at all. */
  | 'none';

/** What the engine needs to know about a policy. */
export interface PolicySpec {
  name: TracePolicy;
  gil: GilAlgorithm;
  /** Every started thread gets its own group (interpreter or process) and thus its own GIL. */
  groupPerThread: boolean;
  /** Threads are processes: start-up and pickling costs apply. */
  processes: boolean;
  /** Refcounting without a GIL costs extra per instruction (free-threaded build). */
  freeThreadedRefcounts: boolean;
}

/** The six policies. */
export const POLICIES: Readonly<Record<TracePolicy, PolicySpec>> = {
  cpython: {
    name: 'cpython',
    gil: 'cpython',
    groupPerThread: false,
    processes: false,
    freeThreadedRefcounts: false,
  },
  legacy: {
    name: 'legacy',
    gil: 'legacy',
    groupPerThread: false,
    processes: false,
    freeThreadedRefcounts: false,
  },
  fifo: { name: 'fifo', gil: 'fifo', groupPerThread: false, processes: false, freeThreadedRefcounts: false },
  'free-threaded': {
    name: 'free-threaded',
    gil: 'none',
    groupPerThread: false,
    processes: false,
    freeThreadedRefcounts: true,
  },
  'per-interpreter': {
    name: 'per-interpreter',
    gil: 'cpython',
    groupPerThread: true,
    processes: false,
    freeThreadedRefcounts: false,
  },
  processes: {
    name: 'processes',
    gil: 'cpython',
    groupPerThread: true,
    processes: true,
    freeThreadedRefcounts: false,
  },
};

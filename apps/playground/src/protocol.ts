import type { Trace } from '@gilkit/scheduler';
import type { Policy, Runtime } from './settings.js';

/**
 * Messages between the page and the run worker. The page sends one {@link RunRequest}; the worker
 * answers with any number of `stdout` messages and then exactly one `done` or `failed`. The page
 * stops a simulated run by terminating the worker, never by asking it: a runaway simulation never
 * reads messages. A real-threads run keeps the run worker's event loop free (its threads are nested
 * workers), so the page first sends a {@link StopRequest}: the worker terminates every thread worker
 * and answers `stopped`; then the page terminates it (also after a grace period without an answer).
 */
export interface RunRequest {
  type: 'run';
  source: string;
  options: {
    runtime: Runtime;
    policy: Policy;
    cores: number;
    switchIntervalMs: number;
    seed: number;
  };
}

/** Stop the real-threads run in progress (see above). */
export interface StopRequest {
  type: 'stop';
}

/** A Python exception the program raised (it still produced a trace). */
export interface PythonException {
  type: string;
  message: string;
  /** CPython-style traceback, ending with the `Type: message` line, when the runtime provides one. */
  traceback?: string;
}

export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'stdout'; text: string }
  /** Answer to a {@link StopRequest}: every thread worker of the run is terminated. */
  | { type: 'stopped' }
  | { type: 'done'; output: string; exception: PythonException | null; trace: Trace; elapsedMs: number }
  /**
   * `runProgram` rejected: bad options, a run limit or a deadlock. Limits and deadlocks carry the
   * output and trace up to that point.
   */
  | { type: 'failed'; name: string; message: string; output?: string; trace?: Trace };

import type { Trace } from '@gilkit/scheduler';
import type { Policy, Runtime } from './settings.js';

/**
 * Messages between the page and the run worker. The page sends one {@link RunRequest}; the worker
 * answers with any number of `stdout` messages and then exactly one `done` or `failed`. The page
 * stops a run by terminating the worker, never by asking it: a runaway program never reads messages.
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
  | { type: 'done'; output: string; exception: PythonException | null; trace: Trace; elapsedMs: number }
  /**
   * `runProgram` rejected: bad options, a run limit or a deadlock. Limits and deadlocks carry the
   * output and trace up to that point.
   */
  | { type: 'failed'; name: string; message: string; output?: string; trace?: Trace };

/**
 * The worker plumbing WorkerRuntime needs, behind one small interface so the same coordinator runs
 * on Node `worker_threads` (platform-node.ts) and on browser Web Workers (platform-web.ts). Nothing
 * here touches a platform API.
 */
import type { WorkerInit, WorkerMessage } from './protocol.js';

/** What the coordinator hears from one thread's worker. */
export interface ThreadWorkerEvents {
  /** A message the worker posted (`start` a thread, `done`). */
  message(m: WorkerMessage): void;
  /** An uncaught error in the worker (it is dying or dead; `exit` follows). */
  error(message: string): void;
  /**
   * The worker is gone, whether it finished, crashed or was terminated. Called exactly once, after
   * every message the worker posted has been delivered.
   */
  exit(): void;
}

/** One spawned worker. */
export interface ThreadWorker {
  /** Stops the worker now (idempotent). `exit` still follows. */
  terminate(): void;
}

/** Spawning workers and asking about the machine, per JS platform. */
export interface WorkerPlatform {
  /** `node` or `web`: which worker API backs this platform. */
  readonly name: 'node' | 'web';
  /** Starts a worker running one MiniPy thread described by `init`. */
  spawn(init: WorkerInit, on: ThreadWorkerEvents): ThreadWorker;
  /** Logical cores available (the trace's `cores`). */
  cores(): number;
  /** Throws `RuntimeUnavailableError` when real threads cannot run here (no SharedArrayBuffer, ...). */
  check(): void;
}

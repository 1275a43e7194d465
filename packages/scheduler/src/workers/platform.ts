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
   * The thread's worker is gone or released (parked for another thread), whether the thread
   * finished, crashed or was terminated. Called exactly once, after every message the worker posted
   * for this thread has been delivered.
   */
  exit(): void;
}

/** The worker running one thread. */
export interface ThreadWorker {
  /** Stops the worker now (idempotent; nothing once the thread's worker was released). `exit` still follows. */
  terminate(): void;
}

/** How a thread's worker is obtained. */
export interface SpawnOptions {
  /**
   * May the thread run on a worker that ran an earlier thread, and may its worker run a later one
   * (default true)? Platforms without reuse ignore it.
   */
  reuse?: boolean;
}

/** Spawning workers and asking about the machine, per JS platform. */
export interface WorkerPlatform {
  /** `node` or `web`: which worker API backs this platform. */
  readonly name: 'node' | 'web';
  /** Runs the MiniPy thread described by `init` on a worker (a new one, or a parked one). */
  spawn(init: WorkerInit, on: ThreadWorkerEvents, options?: SpawnOptions): ThreadWorker;
  /** Logical cores available (the trace's `cores`). */
  cores(): number;
  /** Throws `RuntimeUnavailableError` when real threads cannot run here (no SharedArrayBuffer, ...). */
  check(): void;
}

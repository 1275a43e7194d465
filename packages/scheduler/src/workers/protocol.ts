/**
 * Messages between the WorkerRuntime (main thread) and its workers, and what each worker is
 * started with. Shared by both sides; nothing here touches Node APIs.
 */
import type { TracePolicy } from '../trace.js';

/** What a MiniPy thread's worker starts with (Node: a `run` command; Web Workers: the first message). */
export interface WorkerInit {
  role: 'main' | 'thread';
  id: number;
  name: string;
  source: string;
  filename: string;
  policy: TracePolicy;
  /**
   * Thread target in the shared heap: the callable and a tuple of arguments (one reference each,
   * which the new thread releases once its frame holds its own).
   */
  targetRef?: number;
  argsRef?: number;
  /** The `threading.Thread` object (one reference, handed to the new interpreter's thread table). */
  threadRef?: number;
  /** Thread target without a shared heap (per-interpreter, processes): a global name, plain data. */
  target?: string;
  args?: unknown[];
  control: SharedArrayBuffer;
  primitives: SharedArrayBuffer;
  ring: SharedArrayBuffer;
  output: SharedArrayBuffer;
  /** The GIL guarding this thread (absent when free-threaded). */
  gil?: SharedArrayBuffer;
  /**
   * The shared heap every thread's interpreter lives in (absent under per-interpreter/processes,
   * where each thread has its own heap).
   */
  heap?: SharedArrayBuffer;
  /** Common clock origin (absolute ms). */
  startMs: number;
  /**
   * Web Workers only: the name of a Web Lock the worker holds for as long as it lives, so the
   * coordinator learns of a death no `error` event reports (the browser has no `exit` event).
   */
  exitLock?: string;
  /** Fault injection for tests: exit the worker while holding the GIL after this many instructions. */
  crashAfterInstructions?: number;
  /** How the injected crash kills the worker: silently (`exit`) or by an uncaught error (`throw`). */
  crashHow?: 'exit' | 'throw';
}

/**
 * Main -> Node worker: run a thread (the worker runs one at a time, then says `released`), or end.
 * (Web Workers get `{ init }` once instead.)
 */
export type WorkerCommand = { type: 'run'; init: WorkerInit } | { type: 'close' };

/**
 * Worker -> main. (`alive`: a Web Worker holds its `exitLock`; Node workers never send it.
 * `released`: a Node worker's thread has ended and the worker may run another; sent after `done`.)
 */
export type WorkerMessage =
  | { type: 'alive'; id: number }
  | {
      type: 'start';
      id: number;
      name: string;
      targetRef?: number;
      argsRef?: number;
      threadRef?: number;
      target?: string;
      args?: unknown[];
    }
  | { type: 'done'; id: number; error: { type: string; message: string; traceback: string } | null }
  | { type: 'released'; id: number };

/**
 * Messages between the WorkerRuntime (main thread) and its workers, and what each worker is
 * started with. Shared by both sides; nothing here touches Node APIs.
 */
import type { TracePolicy } from '../trace.js';

/** `workerData` of a MiniPy thread's worker. */
export interface WorkerInit {
  role: 'main' | 'thread';
  id: number;
  name: string;
  source: string;
  filename: string;
  policy: TracePolicy;
  /** Thread target: a module-level function name, and plain-data arguments. */
  target?: string;
  args?: unknown[];
  control: SharedArrayBuffer;
  primitives: SharedArrayBuffer;
  ring: SharedArrayBuffer;
  output: SharedArrayBuffer;
  /** The GIL guarding this thread (absent when free-threaded). */
  gil?: SharedArrayBuffer;
  /** Shared heap holding the module's data globals (absent when threads do not share globals). */
  heap?: SharedArrayBuffer;
  /** Common clock origin (absolute ms). */
  startMs: number;
  /** Fault injection for tests: exit the worker while holding the GIL after this many instructions. */
  crashAfterInstructions?: number;
}

/** Worker -> main. */
export type WorkerMessage =
  | { type: 'start'; id: number; name: string; target: string; args: unknown[] }
  | { type: 'done'; id: number; error: { type: string; message: string; traceback: string } | null };

/**
 * {@link WorkerPlatform} on Node `worker_threads`, with warm workers kept for the next thread.
 *
 * Every worker is its own V8 isolate, so each compiles the MiniPy eval loop for itself: tens of
 * milliseconds of slow bytecode before the loop is optimised (and again after each deopt), on top of
 * the worker's start-up. CPython's threads share one compiled interpreter. So a worker whose
 * thread ended cleanly is parked (unref'd: it never keeps the process alive) and the next thread of
 * any run takes the most recently parked one. A worker that crashed or was terminated is never
 * reused; parked workers end after {@link IDLE_TIMEOUT_MS}, through {@link closeIdleWorkers}, or when
 * the process has nothing else to do.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { SpawnOptions, ThreadWorker, ThreadWorkerEvents, WorkerPlatform } from './platform.js';
import type { WorkerCommand, WorkerInit, WorkerMessage } from './protocol.js';

/** How long a parked worker waits for another thread before it ends. */
export const IDLE_TIMEOUT_MS = 10_000;
/** At most this many parked workers (the oldest ends first). */
export const MAX_IDLE_WORKERS = 8;

/** The worker script: next to this module in dist/, or dist/ when running from src/ (tests). */
function workerUrl(): URL {
  const here = import.meta.url;
  return here.includes('/src/workers/')
    ? new URL('../../dist/workers/worker.js', here)
    : new URL('./worker.js', here);
}

/** Parked workers, oldest first, with the timer that ends each. */
const parked: { worker: Worker; timer: ReturnType<typeof setTimeout> }[] = [];
let created = 0;

function unpark(w: Worker): boolean {
  const i = parked.findIndex((p) => p.worker === w);
  if (i < 0) return false;
  clearTimeout(parked[i].timer);
  parked.splice(i, 1);
  return true;
}

let exitHook = false;

function park(w: Worker): void {
  w.unref();
  if (!exitHook) {
    // When nothing else is left to do, end the parked workers before the process exits, as if
    // they had ended with their threads (Node 20 can hang at exit while an isolate's optimising
    // compile job is still in flight, nodejs/node#54918; a worker that has ended has none).
    exitHook = true;
    process.on('beforeExit', () => {
      if (parked.length > 0) void closeIdleWorkers();
    });
  }
  const timer = setTimeout(() => {
    if (unpark(w)) void w.terminate();
  }, IDLE_TIMEOUT_MS);
  timer.unref();
  parked.push({ worker: w, timer });
  while (parked.length > MAX_IDLE_WORKERS) {
    const oldest = parked[0].worker;
    unpark(oldest);
    void oldest.terminate();
  }
}

function newWorker(): Worker {
  const w = new Worker(workerUrl());
  created++;
  // A parked worker that dies (it should not) is simply forgotten.
  w.once('exit', () => unpark(w));
  return w;
}

/**
 * Ends every parked worker of this process (workers running a thread are not affected). Parked
 * workers never keep the process alive; this frees their memory now rather than after
 * {@link IDLE_TIMEOUT_MS}.
 */
export async function closeIdleWorkers(): Promise<void> {
  const ws = parked.map((p) => p.worker);
  for (const w of ws) unpark(w);
  await Promise.all(ws.map((w) => w.terminate()));
}

/** Workers parked now, and workers created by this process so far (for tests and benchmarks). */
export function workerPoolStats(): { idle: number; created: number } {
  return { idle: parked.length, created };
}

export const nodePlatform: WorkerPlatform = {
  name: 'node',
  spawn(init: WorkerInit, on: ThreadWorkerEvents, options: SpawnOptions = {}): ThreadWorker {
    const reuse = options.reuse !== false;
    const w = (reuse ? parked.at(-1)?.worker : undefined) ?? newWorker();
    unpark(w);
    w.ref();
    let ended = false;
    let terminated = false;
    const end = () => {
      if (ended) return;
      ended = true;
      w.off('message', onMessage);
      w.off('error', onError);
      w.off('exit', end);
      on.exit();
    };
    const onMessage = (m: WorkerMessage) => {
      if (m.type !== 'released') {
        on.message(m);
        return;
      }
      // Every message of the thread came before this one (one port, in order).
      if (reuse && !terminated) {
        park(w);
        end();
      } else {
        // Not for reuse: `exit` follows.
        void w.terminate();
      }
    };
    const onError = (e: Error) => on.error(e.message);
    w.on('message', onMessage);
    w.on('error', onError);
    // Node delivers every posted message before `exit`.
    w.on('exit', end);
    w.postMessage({ type: 'run', init } satisfies WorkerCommand);
    return {
      terminate: () => {
        if (ended || terminated) return;
        terminated = true;
        void w.terminate();
      },
    };
  },
  cores: () => availableParallelism(),
  check: () => {},
};

/**
 * {@link WorkerPlatform} on Node `worker_threads`, with warm workers kept for the next thread.
 *
 * Every worker is its own V8 isolate, so each compiles the MiniPy eval loop for itself: tens of
 * milliseconds of slow bytecode before the loop is optimised (and again after each deopt), on top of
 * the worker's start-up. CPython's threads share one compiled interpreter. So a worker whose
 * thread ended cleanly is parked (unref'd: it never keeps the process alive) and the next thread of
 * any run takes the most recently parked one. A worker that crashed or was terminated is never
 * reused; parked workers end as parking.ts says, through {@link closeIdleWorkers}, or when the
 * process has nothing else to do.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ParkingLot } from './parking.js';
import type { SpawnOptions, ThreadWorker, ThreadWorkerEvents, WorkerPlatform } from './platform.js';
import type { WorkerCommand, WorkerInit, WorkerMessage } from './protocol.js';

/** The worker script: next to this module in dist/, or dist/ when running from src/ (tests). */
function workerUrl(): URL {
  const here = import.meta.url;
  return here.includes('/src/workers/')
    ? new URL('../../dist/workers/worker.js', here)
    : new URL('./worker.js', here);
}

let created = 0;
let exitHook = false;

/** Parked workers: unref'd, so they never keep the process alive. */
const parked = new ParkingLot<Worker>({
  parked: (w) => {
    w.unref();
    if (exitHook) return;
    // When nothing else is left to do, end the parked workers before the process exits, as if
    // they had ended with their threads (Node 20 can hang at exit while an isolate's optimising
    // compile job is still in flight, nodejs/node#54918; a worker that has ended has none).
    exitHook = true;
    process.on('beforeExit', () => {
      if (parked.size > 0) void closeIdleWorkers();
    });
  },
  unparked: (w) => w.ref(),
  end: async (w) => {
    await w.terminate();
  },
});

function newWorker(): Worker {
  const w = new Worker(workerUrl());
  created++;
  // A parked worker that dies (it should not) is simply forgotten.
  w.once('exit', () => parked.remove(w));
  return w;
}

/**
 * Ends every parked worker of this process (workers running a thread are not affected). Parked
 * workers never keep the process alive; this frees their memory now rather than after
 * 10 s unused.
 */
export function closeIdleWorkers(): Promise<void> {
  return parked.closeAll();
}

/** Workers parked now, and workers created by this process so far (for tests and benchmarks). */
export function workerPoolStats(): { idle: number; created: number } {
  return { idle: parked.size, created };
}

export const nodePlatform: WorkerPlatform = {
  name: 'node',
  spawn(init: WorkerInit, on: ThreadWorkerEvents, options: SpawnOptions = {}): ThreadWorker {
    const reuse = options.reuse !== false;
    const w = (reuse ? parked.take() : undefined) ?? newWorker();
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
        parked.park(w);
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

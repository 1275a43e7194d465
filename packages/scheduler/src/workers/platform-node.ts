/** {@link WorkerPlatform} on Node `worker_threads`: `workerData` carries the init, `exit` is native. */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ThreadWorker, ThreadWorkerEvents, WorkerPlatform } from './platform.js';
import type { WorkerInit, WorkerMessage } from './protocol.js';

/** The worker script: next to this module in dist/, or dist/ when running from src/ (tests). */
function workerUrl(): URL {
  const here = import.meta.url;
  return here.includes('/src/workers/')
    ? new URL('../../dist/workers/worker.js', here)
    : new URL('./worker.js', here);
}

export const nodePlatform: WorkerPlatform = {
  name: 'node',
  spawn(init: WorkerInit, on: ThreadWorkerEvents): ThreadWorker {
    const w = new Worker(workerUrl(), { workerData: init });
    w.on('message', (m: WorkerMessage) => on.message(m));
    w.on('error', (e) => on.error(e.message));
    // Node delivers every posted message before `exit`.
    w.on('exit', () => on.exit());
    return { terminate: () => void w.terminate() };
  },
  cores: () => availableParallelism(),
  check: () => {},
};

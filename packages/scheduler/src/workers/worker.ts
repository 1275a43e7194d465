/** Node worker entry of the WorkerRuntime: `workerData` is the thread's init (see thread-main.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import type { WorkerInit, WorkerMessage } from './protocol.js';
import { runThread } from './thread-main.js';

const init = workerData as WorkerInit;

/** Fault injection: die where the thread stands (GIL held), silently or by an uncaught error. */
function crash(): never {
  if (init.crashHow === 'throw') throw new Error('fault injection: the worker crashed while holding the GIL');
  process.exit(3);
}

runThread(init, (m: WorkerMessage) => parentPort!.postMessage(m), crash);

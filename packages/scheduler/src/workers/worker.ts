/** Node worker entry of the WorkerRuntime: `workerData` is the thread's init (see thread-main.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import type { WorkerInit, WorkerMessage } from './protocol.js';
import { runThread } from './thread-main.js';

runThread(
  workerData as WorkerInit,
  (m: WorkerMessage) => parentPort!.postMessage(m),
  () => process.exit(3),
);

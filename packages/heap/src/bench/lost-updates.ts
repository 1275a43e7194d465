/**
 * The demonstration behind the refcount modes: several workers incref and decref the same object
 * with no GIL. In `gil` mode (plain read-modify-write) updates get lost and verify() reports the
 * corrupted count; `atomic` and `biased` modes stay exact. A demo for the bench and the docs, not
 * a test: how many updates are lost depends on the machine and its load.
 */
import { Worker } from 'node:worker_threads';
import { Heap } from '../heap.js';
import type { RefcountMode } from '../layout.js';

/** Outcome of one run. */
export interface LostUpdateResult {
  mode: RefcountMode;
  workers: number;
  iterations: number;
  /** Refcount every thread's balanced incref/decref pairs should leave behind. */
  expected: number;
  /** What the object's refcount word says afterwards. */
  actual: number;
  /** Problems verify() found (empty when exact). */
  verifyErrors: string[];
}

const source = `
const { workerData, parentPort } = require('node:worker_threads');
import(workerData.heapUrl).then(({ Heap }) => {
  const heap = Heap.attach(workerData.buffer, { threadId: workerData.threadId });
  const gate = new Int32Array(workerData.gate);
  Atomics.add(gate, 0, 1);
  while (Atomics.load(gate, 0) < workerData.workers) {}
  // Increfs first, decrefs after: with lost updates the object is left over- or under-counted.
  for (let i = 0; i < workerData.iterations; i++) heap.incref(workerData.obj);
  for (let i = 0; i < workerData.iterations; i++) heap.decref(workerData.obj);
  heap.mergeQueued();
  parentPort.postMessage('done');
}).catch((err) => parentPort.postMessage(String(err)));
`;

/** Run `workers` threads of `iterations` incref+decref each on one object, without any lock. */
export async function runLostUpdates(
  mode: RefcountMode,
  workers = 4,
  iterations = 1_000_000,
): Promise<LostUpdateResult> {
  const heap = Heap.create({ bytes: 1 << 20, refcountMode: mode });
  // Reserve refs so a lost decref can never drive the count to zero and free the object mid-run.
  const reserve = workers * iterations;
  const obj = heap.newList();
  for (let k = 0; k < reserve; k++) heap.incref(obj);
  const gate = new SharedArrayBuffer(4);
  const heapUrl = new URL('../index.js', import.meta.url).href;
  await Promise.all(
    Array.from({ length: workers }, (_, k) => {
      const w = new Worker(source, {
        eval: true,
        workerData: { buffer: heap.buffer, obj, gate, workers, iterations, threadId: k + 1, heapUrl },
      });
      return new Promise<void>((resolve, reject) => {
        w.once('message', (msg) => (msg === 'done' ? resolve() : reject(new Error(String(msg)))));
        w.once('error', reject);
      }).finally(() => w.terminate());
    }),
  );
  heap.mergeQueued();
  const expected = 1 + reserve;
  const actual = heap.refcount(obj);
  const verifyErrors = heap.verify({ roots: new Array<number>(expected).fill(obj) }).errors;
  return { mode, workers, iterations, expected, actual, verifyErrors };
}

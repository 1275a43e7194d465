/**
 * Worker side of the heap suite's race demonstration: `increments` increfs (then as many decrefs)
 * on one shared object, with or without a GIL around each pair of operations. In `gil` refcount
 * mode without a GIL, the plain read-modify-write loses updates: two workers read the same count
 * and both write count+1.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Heap } from '@gilkit/heap';
import { Gil } from '@gilkit/lock';

interface Data {
  heap: SharedArrayBuffer;
  gil: SharedArrayBuffer | null;
  ref: number;
  increments: number;
  start: SharedArrayBuffer;
  threadId: number;
}

const d = workerData as Data;
const heap = Heap.attach(d.heap, { threadId: d.threadId });
const gil = d.gil ? Gil.from(d.gil) : null;
const start = new Int32Array(d.start);
// Start together, so the increments really overlap.
Atomics.add(start, 0, 1);
Atomics.notify(start, 0);
for (let seen = Atomics.load(start, 0); seen < Atomics.load(start, 1); seen = Atomics.load(start, 0)) {
  Atomics.wait(start, 0, seen, 20);
}
for (let i = 0; i < d.increments; i++) {
  if (gil) gil.take();
  heap.incref(d.ref);
  if (gil) gil.drop();
}
parentPort!.postMessage('done');

/**
 * Worker side of the raw-GIL baseline of `measureHandoffOverhead`: two of these hold a bare
 * @gilkit/lock Gil in turn the way the eval loop does (spin, check `dropRequested()` as at a
 * breaker, drop, retake), recording the time from each drop to the other thread's take on the
 * common clock. No vm, no heap, no trace: the lock's own hand-off cost.
 */
import { workerData } from 'node:worker_threads';
import { Gil } from '@gilkit/lock';

interface Data {
  gil: SharedArrayBuffer;
  /** Float64: [0] last drop time (ms, absolute), [1] sum of gaps, [2] number of gaps; Int32 words 12: stop, 13: last holder. */
  shared: SharedArrayBuffer;
  switches: number;
}

const { gil: buf, shared, switches } = workerData as Data;
const gil = Gil.from(buf);
const f = new Float64Array(shared);
const stop = new Int32Array(shared, 48, 1);
/** Gil thread id of the last holder (written under the GIL). */
const lastHolder = new Int32Array(shared, 52, 1);
const now = () => performance.timeOrigin + performance.now();
while (Atomics.load(stop, 0) === 0) {
  gil.take();
  if (lastHolder[0] !== gil.threadId && f[0] > 0) {
    f[1] += now() - f[0];
    // Each gap also goes to its slot after the header (8 doubles), for the median.
    f[8 + f[2]] = now() - f[0];
    f[2] += 1;
    if (f[2] >= switches) Atomics.store(stop, 0, 1);
  }
  lastHolder[0] = gil.threadId;
  // Run "bytecode" until the other thread asks for the GIL, checking as the eval loop does.
  while (!gil.dropRequested() && Atomics.load(stop, 0) === 0) {
    for (let i = 0; i < 200; i++) f[3] += i;
  }
  f[0] = now();
  gil.drop();
}

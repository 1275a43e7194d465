/**
 * Worker side of the Gil tests. `workerData.scenario` picks what the worker does with the GIL in
 * `workerData.buffer`; results go back with postMessage.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Gil } from '../index.js';

interface Data {
  scenario: 'counter' | 'cpu' | 'die-holding' | 'wait-take' | 'log-take' | 'async-take';
  buffer: SharedArrayBuffer;
  /** counter: Int32Array word 0 is the shared counter. cpu: history log (word 0 = length). */
  shared: SharedArrayBuffer;
  iterations: number;
  /** cpu: index of the worker's progress word in `shared` (after the log). */
  progressIndex?: number;
  /** cpu: give the GIL up with `drop(); take()` instead of `yield()`. */
  split?: boolean;
  /** Start barrier: word 0 counts ready workers; they start when it reaches `parties`. */
  start?: SharedArrayBuffer;
  parties?: number;
}

const data = workerData as Data;
const port = parentPort!;
const gil = Gil.from(data.buffer);
const shared = new Int32Array(data.shared);
port.postMessage({ type: 'ready', gilId: gil.threadId });
if (data.start) {
  // Start together, so the workers really contend instead of running one after another.
  const go = new Int32Array(data.start);
  Atomics.add(go, 0, 1);
  Atomics.notify(go, 0);
  for (let v = Atomics.load(go, 0); v < data.parties!; v = Atomics.load(go, 0)) Atomics.wait(go, 0, v, 50);
}

switch (data.scenario) {
  case 'counter': {
    // Non-atomic read-modify-write: only mutual exclusion keeps the final count exact.
    for (let i = 0; i < data.iterations; i++) {
      gil.take();
      const v = shared[0]!;
      shared[0] = v + 1;
      gil.drop();
    }
    port.postMessage({ type: 'done' });
    break;
  }
  case 'cpu': {
    // A CPU-bound "interpreter": work units between eval-breaker checks; on a drop request (or
    // legacy tick) it yields. Every (re)acquisition appends our id to the shared history log, and
    // records whether that take followed a drop request we honoured.
    const log = shared;
    const append = (value: number) => {
      const n = log[0]!;
      if (n + 1 < data.progressIndex!) {
        log[n + 1] = value;
        log[0] = n + 1;
      }
    };
    let sink = 0;
    let yields = 0;
    let requested = 0;
    gil.take();
    append(gil.threadId);
    for (let i = 0; i < data.iterations; i++) {
      for (let k = 0; k < 200; k++) sink = (sink * 31 + k) | 0;
      log[data.progressIndex!] = i + 1;
      if (gil.dropRequested()) {
        const viaRequest = gil.policy.name !== 'legacy';
        if (viaRequest) requested++;
        yields++;
        if (data.split) {
          gil.drop();
          gil.take();
        } else {
          gil.yield();
        }
        // Negative entry: a take right after a drop request; the previous entry must be someone else.
        append(viaRequest ? -gil.threadId : gil.threadId);
      }
    }
    gil.drop();
    port.postMessage({ type: 'done', yields, requested, sink });
    break;
  }
  case 'die-holding': {
    gil.take();
    port.postMessage({ type: 'holding' });
    // Exit without dropping: the GIL stays locked by our id until someone calls recover().
    process.exit(3);
    break;
  }
  case 'log-take': {
    // Appends our id to the shared log (word 0 = length) while holding the GIL.
    gil.take();
    const n = shared[0]!;
    shared[n + 1] = gil.threadId;
    shared[0] = n + 1;
    gil.drop();
    port.postMessage({ type: 'done' });
    break;
  }
  case 'async-take': {
    // Nothing but the pending Atomics.waitAsync keeps this worker's event loop busy while the GIL
    // is held elsewhere: the worker must stay alive until it gets the GIL.
    const ok = await gil.takeAsync();
    const holder = gil.holder();
    gil.drop();
    port.postMessage({ type: 'done', ok, holder });
    break;
  }
  case 'wait-take': {
    const ok = gil.take({ timeoutMs: data.iterations });
    const holder = gil.holder();
    if (ok) gil.drop();
    port.postMessage({ type: 'done', ok, holder });
    break;
  }
}

/**
 * Web Worker entry of the WorkerRuntime (a module worker). Each message is a thread's init (see
 * thread-main.ts); the worker runs one thread at a time and says `released` when it may run another
 * (platform-web.ts keeps it). With the first init the worker takes the Web Lock named
 * `init.exitLock` and never releases it: the browser frees it when the worker dies, however it dies,
 * which is how a coordinator detects a death without an `exit` event. Every thread starts with an
 * `alive` message (the lock is held by then). The thread runs synchronously; it blocks with
 * Atomics.wait, which Web Workers allow.
 */
import type { WorkerInit, WorkerMessage } from './protocol.js';
import { runThread } from './thread-main.js';
import type { WorkerScopeLike } from './web-types.js';

const scope = globalThis as unknown as WorkerScopeLike;
const post = (m: WorkerMessage) => scope.postMessage(m);

let crashHow: WorkerInit['crashHow'];
/** Thrown to unwind the thread after `close()`; caught in {@link run}, so no error is reported. */
const CLOSED = Symbol('closed');
/** Whether this worker holds its exit lock (taken with the first thread, held for life). */
let locked = false;

/**
 * Fault injection: die where the thread stands (GIL held). `throw`: an uncaught error, which fires
 * `error` at the coordinator. `exit`: `close()` and unwind quietly; the worker ends with its task and
 * fires nothing, so only the Web Lock tells the coordinator.
 */
function crash(): never {
  if (crashHow === 'throw') throw new Error('fault injection: the worker crashed while holding the GIL');
  scope.close?.();
  throw CLOSED;
}

function run(init: WorkerInit): void {
  crashHow = init.crashHow;
  try {
    runThread(init, post, crash);
  } catch (e) {
    if (e !== CLOSED) throw e;
    return;
  }
  post({ type: 'released', id: init.id });
}

scope.onmessage = (event) => {
  const { init } = event.data as { init: WorkerInit };
  const locks = scope.navigator?.locks;
  if (!init.exitLock || !locks) {
    run(init);
    return;
  }
  const start = () => {
    post({ type: 'alive', id: init.id });
    // Run in a fresh task: an uncaught error must reach the worker's `error` event, not a promise.
    setTimeout(() => run(init), 0);
  };
  if (locked) {
    start();
    return;
  }
  locked = true;
  void locks.request(init.exitLock, () => {
    start();
    return new Promise<never>(() => {});
  });
};

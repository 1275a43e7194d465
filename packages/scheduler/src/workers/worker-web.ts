/**
 * Web Worker entry of the WorkerRuntime (a module worker). The first message is the thread's init
 * (see thread-main.ts). Before running, the worker takes the Web Lock named `init.exitLock` and never
 * releases it: the browser frees it when the worker dies, however it dies, which is how the
 * coordinator detects a death without an `exit` event. The thread then runs synchronously; it blocks
 * with Atomics.wait, which Web Workers allow.
 */
import type { WorkerInit, WorkerMessage } from './protocol.js';
import { runThread } from './thread-main.js';
import type { WorkerScopeLike } from './web-types.js';

const scope = globalThis as unknown as WorkerScopeLike;
const post = (m: WorkerMessage) => scope.postMessage(m);

let crashHow: WorkerInit['crashHow'];
/** Thrown to unwind the thread after `close()`; caught in {@link run}, so no error is reported. */
const CLOSED = Symbol('closed');

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
  try {
    runThread(init, post, crash);
  } catch (e) {
    if (e !== CLOSED) throw e;
  }
}

scope.onmessage = (event) => {
  scope.onmessage = null;
  const { init } = event.data as { init: WorkerInit };
  crashHow = init.crashHow;
  const locks = scope.navigator?.locks;
  if (!init.exitLock || !locks) {
    run(init);
    return;
  }
  void locks.request(init.exitLock, () => {
    post({ type: 'alive', id: init.id });
    // Run in a fresh task: an uncaught error must reach the worker's `error` event, not this promise.
    setTimeout(() => run(init), 0);
    return new Promise<never>(() => {});
  });
};

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

/** Fault injection: an uncaught error kills the thread where it stands (GIL held) and fires `error`. */
function crash(): never {
  throw new Error('fault injection: the worker crashed while holding the GIL');
}

scope.onmessage = (event) => {
  scope.onmessage = null;
  const { init } = event.data as { init: WorkerInit };
  const locks = scope.navigator?.locks;
  if (!init.exitLock || !locks) {
    runThread(init, post, crash);
    return;
  }
  void locks.request(init.exitLock, () => {
    post({ type: 'alive', id: init.id });
    // Run in a fresh task: an uncaught error must reach the worker's `error` event, not this promise.
    setTimeout(() => runThread(init, post, crash), 0);
    return new Promise<never>(() => {});
  });
};

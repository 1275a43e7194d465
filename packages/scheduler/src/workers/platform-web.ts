/**
 * {@link WorkerPlatform} on browser Web Workers (module workers; bundlers see the
 * `new Worker(new URL('./worker-web.js', import.meta.url), { type: 'module' })` pattern and bundle the
 * worker). Needs a cross-origin isolated page (SharedArrayBuffer). The coordinator never blocks, so
 * it may run on a page's main thread or inside a worker.
 *
 * A browser has no worker `exit` event, so a death is detected three ways: the worker posts `done`
 * (then it is terminated here), an uncaught error fires `error` (then it is terminated here), or the
 * Web Lock the worker holds while alive is granted to us (it died some other way).
 */
import { RuntimeUnavailableError } from '../errors.js';
import type { ThreadWorker, ThreadWorkerEvents, WorkerPlatform } from './platform.js';
import type { WorkerInit, WorkerMessage } from './protocol.js';
import type { BrowserGlobals, WebWorkerConstructor, WebWorkerLike } from './web-types.js';

/** The browser's `Worker`, named as such: bundlers recognise `new Worker(new URL(...))` literally. */
declare const Worker: WebWorkerConstructor;

const g = globalThis as unknown as BrowserGlobals;
let spawned = 0;

/** Whether real threads can run in this context, and if not, why. */
export function webWorkersUnavailable(): string | null {
  if (typeof SharedArrayBuffer === 'undefined' || g.crossOriginIsolated === false) {
    return 'the workers runtime needs SharedArrayBuffer, so the page must be cross-origin isolated (serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)';
  }
  if (typeof g.Worker !== 'function')
    return 'the workers runtime needs Web Workers, which this context lacks';
  return null;
}

export const webPlatform: WorkerPlatform = {
  name: 'web',
  spawn(init: WorkerInit, on: ThreadWorkerEvents): ThreadWorker {
    const w: WebWorkerLike = new Worker(new URL('./worker-web.js', import.meta.url), { type: 'module' });
    const locks = g.navigator?.locks;
    const exitLock = locks ? `gilkit-thread-${init.startMs}-${++spawned}-${init.id}` : undefined;
    let exited = false;
    const exit = () => {
      if (exited) return;
      exited = true;
      w.terminate();
      w.onmessage = null;
      w.onerror = null;
      on.exit();
    };
    w.onmessage = (e) => {
      const m = e.data as WorkerMessage;
      if (m.type === 'alive') {
        // Granted only once the worker is gone, whatever killed it.
        void locks?.request(exitLock!, () => setTimeout(exit, 0));
        return;
      }
      on.message(m);
      // The thread ran to its end; a Web Worker would idle forever instead of exiting.
      if (m.type === 'done') exit();
    };
    w.onerror = (e) => {
      e.preventDefault();
      on.error(e.message || 'the worker failed to load or crashed');
      exit();
    };
    w.postMessage({ init: { ...init, exitLock } });
    return { terminate: exit };
  },
  cores: () => g.navigator?.hardwareConcurrency ?? 1,
  check: () => {
    const why = webWorkersUnavailable();
    if (why) throw new RuntimeUnavailableError(why);
  },
};

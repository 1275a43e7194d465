/**
 * {@link WorkerPlatform} on browser Web Workers (module workers; bundlers see the
 * `new Worker(new URL('./worker-web.js', import.meta.url), { type: 'module' })` pattern and bundle the
 * worker). Needs a cross-origin isolated page (SharedArrayBuffer). The coordinator never blocks, so
 * it may run on a page's main thread or inside a worker.
 *
 * Kept workers, as in Node (platform-node.ts): a worker whose thread ended cleanly says `released`
 * and is parked; the next thread takes the most recently parked one, whose eval loop the browser has
 * already optimised. Parked workers end as parking.ts says, or at {@link closeIdleWorkers}.
 *
 * A browser has no worker `exit` event, so a thread's end is detected three ways: its worker says
 * `released` (then it is parked, or terminated when not kept), an uncaught error fires `error`
 * (then it is terminated here), or the Web Lock the worker holds while alive is granted to us (it
 * died some other way). Each thread's coordinator queues its own request for that lock and
 * withdraws it (AbortSignal) when the thread has ended.
 */
import { RuntimeUnavailableError } from '../errors.js';
import { ParkingLot } from './parking.js';
import type { SpawnOptions, ThreadWorker, ThreadWorkerEvents, WorkerPlatform } from './platform.js';
import type { WorkerInit, WorkerMessage } from './protocol.js';
import type { BrowserGlobals, WebWorkerConstructor, WebWorkerLike } from './web-types.js';

/** The browser's `Worker`, named as such: bundlers recognise `new Worker(new URL(...))` literally. */
declare const Worker: WebWorkerConstructor;

const g = globalThis as unknown as BrowserGlobals;
let spawned = 0;

/** A worker and the name of the Web Lock it holds while alive (none without Web Locks). */
interface WebThreadWorker {
  worker: WebWorkerLike;
  exitLock: string | undefined;
  /** While parked: withdraws the watch for its death when it leaves the lot. */
  parkedWatch?: AbortController;
}

/** Calls `onDeath` once the worker holding `name` is gone, unless `signal` aborts first. */
function watchDeath(name: string | undefined, signal: AbortSignal, onDeath: () => void): void {
  const locks = g.navigator?.locks;
  if (!locks || !name) return;
  // Granted only once the worker is gone, whatever killed it; rejected when withdrawn.
  locks.request(name, { signal }, () => setTimeout(onDeath, 0)).catch(() => {});
}

const parked = new ParkingLot<WebThreadWorker>({
  parked: (w) => {
    w.parkedWatch = new AbortController();
    // A parked worker that dies (it should not) is forgotten rather than handed a thread.
    w.worker.onerror = (e) => {
      e.preventDefault();
      if (parked.remove(w)) w.worker.terminate();
    };
    watchDeath(w.exitLock, w.parkedWatch.signal, () => parked.remove(w));
  },
  unparked: (w) => {
    w.parkedWatch?.abort();
    w.parkedWatch = undefined;
    w.worker.onerror = null;
  },
  end: (w) => w.worker.terminate(),
});

/** Ends every parked worker (workers running a thread are not affected). */
export function closeIdleWorkers(): Promise<void> {
  return parked.closeAll();
}

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
  spawn(init: WorkerInit, on: ThreadWorkerEvents, options: SpawnOptions = {}): ThreadWorker {
    const reuse = options.reuse !== false;
    const kept = reuse ? parked.take() : undefined;
    const t: WebThreadWorker = kept ?? {
      worker: new Worker(new URL('./worker-web.js', import.meta.url), { type: 'module' }),
      exitLock: g.navigator?.locks ? `gilkit-thread-${init.startMs}-${++spawned}-${init.id}` : undefined,
    };
    const w = t.worker;
    const watch = new AbortController();
    let ended = false;
    const exit = (keep: boolean) => {
      if (ended) return;
      ended = true;
      watch.abort();
      w.onmessage = null;
      w.onerror = null;
      if (keep) parked.park(t);
      else w.terminate();
      on.exit();
    };
    w.onmessage = (e) => {
      const m = e.data as WorkerMessage;
      if (m.type === 'alive') {
        watchDeath(t.exitLock, watch.signal, () => exit(false));
        return;
      }
      // The thread ran to its end and every message of it came before this one.
      if (m.type === 'released') {
        exit(reuse);
        return;
      }
      on.message(m);
    };
    w.onerror = (e) => {
      e.preventDefault();
      on.error(e.message || 'the worker failed to load or crashed');
      exit(false);
    };
    w.postMessage({ init: { ...init, exitLock: t.exitLock } });
    return { terminate: () => exit(false) };
  },
  cores: () => g.navigator?.hardwareConcurrency ?? 1,
  check: () => {
    const why = webWorkersUnavailable();
    if (why) throw new RuntimeUnavailableError(why);
  },
};

/**
 * The body of a WorkerRuntime worker, whatever the platform: runs one MiniPy thread.
 *
 * Shared heap (GIL policies, free-threaded): every worker attaches the run's heap and compiles the
 * program, assigning the same code ids (code-ids.ts). The main thread builds its interpreter, publishes
 * the globals dict and runs the module body. Another thread, once it holds the GIL, builds an
 * interpreter that adopts that globals dict and calls its target (a heap reference) with the args
 * tuple it was handed. Own heaps (per-interpreter, processes): a thread first runs the program's
 * prelude (its defs, imports and module-level locks/events, see prelude.ts), then its target by name.
 *
 * Bytecode runs only while the thread holds the GIL; at a breaker stop (drop request) it drops and
 * retakes it; blocking calls drop it in the host. On exit the thread releases what its interpreter
 * holds, marks itself done (waking joiners) and drops the GIL, in that order.
 */
import { Heap } from '@gilkit/heap';
import { Gil } from '@gilkit/lock';
import { Interpreter, resetCodeIds, type VmThread } from '@gilkit/vm';
import { compileErrorInfo } from '../vm-api.js';
import { assignCodeIds, checkCodeIds, publishCodeIds } from './code-ids.js';
import { DONE_EXCEPTION, DONE_OK, GLOBALS_REF, THREAD_STATE } from './layout.js';
import { threadPrelude } from './prelude.js';
import type { WorkerInit, WorkerMessage } from './protocol.js';
import { TraceRing } from './ring.js';
import type { WorldStopper } from './stop-the-world.js';
import { WorkerHost } from './worker-host.js';

type ErrorInfo = { type: string; message: string; traceback: string };

/** Containers allocated since the last collection before the next (CPython's gen-0 style). */
const GC_BASE_THRESHOLD = 7000;
/** How long a stop-the-world waits for the other threads to park before giving up this time. */
const STW_TIMEOUT_MS = 200;

/**
 * Cycle collection of the shared heap, which the vm leaves to the runtime (it collects only a heap
 * it has to itself). `collect()` needs the world stopped. Under a GIL the holder, between two
 * `run()` calls, is at a safe point and the other threads are stopped (waiting for the GIL or
 * blocked in the host, every reference they hold counted). Without a GIL the collecting thread
 * stops the world first (stop-the-world.ts), as CPython's free-threaded build does.
 */
class SharedHeapCollector {
  #threshold = GC_BASE_THRESHOLD;
  constructor(
    readonly heap: Heap,
    readonly stopper: WorldStopper | undefined,
  ) {}
  maybeCollect(): void {
    if (this.heap.gcCount() < this.#threshold) return;
    let freed = 0;
    if (this.stopper) {
      if (!this.stopper.stop(STW_TIMEOUT_MS)) {
        this.#threshold = Math.min(this.#threshold * 2, 1 << 22);
        return;
      }
      try {
        freed = this.heap.collect();
      } finally {
        this.stopper.restart();
      }
    } else freed = this.heap.collect();
    // Nothing found: look less often (bounded), as the vm does for its own heaps.
    this.#threshold = freed > 0 ? GC_BASE_THRESHOLD : Math.min(this.#threshold * 2, 1 << 22);
  }
}

/**
 * Runs the thread described by `init` to its end. `post` talks to the coordinator; `crash` kills
 * this worker abruptly (fault injection), the platform's way.
 */
export function runThread(init: WorkerInit, post: (m: WorkerMessage) => void, crash: () => never): void {
  // A kept worker's previous thread and its heap are gone: this program's code objects take ids
  // from 0, as in a new worker (code-ids.ts).
  resetCodeIds();
  const ctrl = new Int32Array(init.control);
  const ring = new TraceRing(init.ring, init.startMs);
  const gil = init.gil ? Gil.from(init.gil) : undefined;
  const heap = init.heap ? Heap.attach(init.heap) : undefined;
  const host = new WorkerHost(init, gil, heap, ring, post, crash);
  let interp: Interpreter | undefined;

  const finish = (error: ErrorInfo | null): void => {
    // Threads this one started just before it ended still get their start message.
    host.flushStarts();
    if (error && init.role === 'thread')
      host.writeErr(`Exception in thread ${init.name}:\n${error.traceback}`);
    if (heap) {
      // Still under the GIL: drop this thread's references. The main thread's interpreter owns
      // the globals dict; other threads may still run, so it stays (as CPython's __main__ does).
      if (init.role === 'thread') interp?.close();
      heap.detach();
      host.stopper?.detach();
    }
    Atomics.store(ctrl, THREAD_STATE + init.id, error ? DONE_EXCEPTION : DONE_OK);
    Atomics.notify(ctrl, THREAD_STATE + init.id);
    ring.end(init.id);
    if (gil) gil.drop();
    post({ type: 'done', id: init.id, error });
  };
  /** A failure before the thread's code runs: reported like an exception in the thread. */
  const failEarly = (e: unknown): void => {
    // A Python exception (e.g. the target's TypeError for bad arguments) as CPython reports it in
    // the thread; anything else (code ids that disagree) as a RuntimeError with its message.
    const message = e instanceof Error ? e.message : String(e);
    const info = interp?.describe(e) ??
      compileErrorInfo(e, init.source) ?? {
        type: 'RuntimeError',
        message,
        traceback: `Traceback (most recent call last):\nRuntimeError: ${message}\n`,
      };
    finish(info);
  };

  let th: VmThread;
  if (init.role === 'main') {
    // The first thread: nobody else touches the heap yet, so it builds before taking the GIL.
    interp = new Interpreter({ host, filename: init.filename, heap });
    host.interp = interp;
    try {
      const code = interp.compile(init.source);
      if (heap) {
        publishCodeIds(ctrl, assignCodeIds(code));
        Atomics.store(ctrl, GLOBALS_REF, interp.globals);
      }
      th = interp.mainThread(code);
    } catch (e) {
      const info = compileErrorInfo(e, init.source);
      if (!info) throw e;
      host.state('running');
      if (gil) gil.take();
      finish(info);
      return;
    }
    host.takeGil();
  } else if (heap) {
    const targetRef = init.targetRef as number;
    const argsRef = init.argsRef as number;
    host.state('waiting', 'start');
    host.takeGil();
    try {
      interp = new Interpreter({
        host,
        filename: init.filename,
        heap,
        globals: Atomics.load(ctrl, GLOBALS_REF),
      });
      host.interp = interp;
      checkCodeIds(ctrl, assignCodeIds(interp.compile(init.source)));
      const args: number[] = [];
      for (let i = 0; i < heap.tupleLen(argsRef); i++) args.push(heap.tupleGet(argsRef, i));
      // current_thread() in this thread is the Thread object start() was called on (the table
      // owns the reference the start message carried).
      if (init.threadRef !== undefined) {
        interp.moduleContext.threads.set(init.id, init.threadRef);
        init.threadRef = undefined;
      }
      th = interp.threadFor(targetRef as never, args, { id: init.id, name: init.name });
    } catch (e) {
      failEarly(e);
      return;
    } finally {
      // The frame holds its own references now (or there is none): release the ones the start
      // message carried.
      heap.decref(argsRef);
      heap.decref(targetRef);
      if (init.threadRef !== undefined) heap.decref(init.threadRef);
    }
  } else {
    host.state('waiting', 'start');
    interp = new Interpreter({ host, filename: init.filename });
    host.interp = interp;
    host.prelude = true;
    interp.exec(threadPrelude(init.source));
    host.prelude = false;
    host.takeGil();
    th = interp.threadForGlobal(init.target as string, init.args ?? [], { id: init.id, name: init.name });
  }
  const collector = heap ? new SharedHeapCollector(heap, host.stopper) : undefined;
  for (;;) {
    const r = th.run(50_000);
    host.countInstructions(r.executed);
    switch (r.reason) {
      case 'budget':
        collector?.maybeCollect();
        continue;
      case 'breaker':
        collector?.maybeCollect();
        host.switchGil();
        continue;
      case 'finished':
        finish(null);
        return;
      case 'error':
        finish(r.error ?? null);
        return;
      case 'blocked':
        throw new Error('WorkerRuntime: the eval loop suspended, but the worker host blocks for real');
    }
  }
}

/**
 * The WorkerRuntime coordinator, platform-neutral: MiniPy threads as real threads. One worker per
 * MiniPy thread, one real @gilkit/lock Gil (per interpreter/process under `per-interpreter`/
 * `processes`, none when `free-threaded`), ONE shared @gilkit/heap in which every thread's
 * interpreter lives (one heap per thread under `per-interpreter`/`processes`), trace events in a
 * shared ring on a common clock. The workers come from a {@link WorkerPlatform}:
 * Node `worker_threads` (runtime.ts, `@gilkit/scheduler/workers` in Node) or browser Web Workers
 * (browser.ts, the same entry's `browser` condition). The coordinator never blocks: it only
 * listens to worker messages and polls shared memory on a timer, so it runs on a browser's main
 * thread too.
 *
 * Crashes: a worker that dies without finishing (uncaught JS error, exit) is marked crashed, which
 * makes every `join()` on it raise; if it held the GIL, the GIL is recovered for the others
 * (`Gil.recover`), so nobody waits forever.
 */
import { Heap, type VerifyReport } from '@gilkit/heap';
import { Gil } from '@gilkit/lock';
import { RunLimitError } from '../errors.js';
import type { RunProgramOptions, RunProgramResult } from '../run-program.js';
import type { ExceptionInfo } from '../sim/unit.js';
import { summarize } from '../stats.js';
import type { Trace, TracePolicy, TraceThread } from '../trace.js';
import {
  CONTROL_WORDS,
  DONE_CRASHED,
  GIL_ID,
  MAX_THREADS,
  NEXT_THREAD,
  OUTPUT_BYTES,
  OUTPUT_USED,
  STDERR_USED,
  STREAM_BYTES,
  THREAD_STATE,
} from './layout.js';
import type { ThreadWorker, WorkerPlatform } from './platform.js';
import type { WorkerInit, WorkerMessage } from './protocol.js';
import { absoluteNowMs, createRingBuffer, DETAILS, TraceRing } from './ring.js';
import { uncountDeadThread } from './stop-the-world.js';
import { PRIMITIVES_BYTES } from './worker-host.js';

/** Options of {@link WorkerRuntime}. */
export interface WorkerRuntimeOptions {
  /** GIL policy (default `cpython`). `legacy`/`fifo` use the lock's policies of the same name. */
  policy?: TracePolicy;
  /** Switch interval in ms (default 5). */
  switchIntervalMs?: number;
  /** File name in tracebacks. */
  filename?: string;
  /** Streams output while the program runs. */
  stdout?: (text: string) => void;
  /** Streams what CPython writes to stderr (`Exception in thread ...`). */
  stderr?: (text: string) => void;
  /** Terminate all workers and reject after this many ms of wall time (default 60 000). */
  timeoutMs?: number;
  /** Size of the shared heap in bytes (default 64 MiB; the heap does not grow). */
  heapBytes?: number;
  /**
   * Refcount mode of the shared heap under `free-threaded` (default `biased`, PEP 703); GIL
   * policies always use `gil`.
   */
  refcountMode?: 'biased' | 'atomic';
  /**
   * After the run, check the shared heap's invariants with `@gilkit/heap`'s verifier (a full walk
   * of the buffer: for tests and debugging); the report is `heapReport` in the result.
   */
  verifyHeap?: boolean;
  /**
   * Run threads on workers kept from earlier threads, and keep this run's workers for later ones
   * (default true; Node `worker_threads` and browser Web Workers alike). Each worker is its own JS
   * engine that compiles the eval loop for itself, so on a kept worker an empty thread's start and
   * join take 1-3 ms instead of ~80 ms, and the thread runs on an eval loop that is already
   * optimised. In Node kept workers never keep the process alive; `closeIdleWorkers()` ends them.
   */
  reuseWorkers?: boolean;
  /** Stops the run: every worker is terminated and `run()` rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Fault injection for tests: the worker of the thread with this name exits while holding the GIL. */
  crashThread?: {
    name: string;
    afterInstructions: number;
    /**
     * `exit` (default): the worker ends without an error event (Node: `process.exit`; browser:
     * `self.close()`); `throw`: an uncaught error ends it (an `error` event).
     */
    how?: 'exit' | 'throw';
  };
}

/** What {@link WorkerRuntimeCore.run} resolves with. */
export type WorkerRunResult = RunProgramResult & {
  gilStats: ReturnType<Gil['stats']> | undefined;
  /** With `verifyHeap`: the shared heap's verification after every thread ended. */
  heapReport?: VerifyReport;
};

/**
 * The coordinator on a given {@link WorkerPlatform}. Use `WorkerRuntime` from
 * `@gilkit/scheduler/workers`, which picks the platform (Node or browser).
 */
export class WorkerRuntimeCore {
  readonly options: WorkerRuntimeOptions;
  readonly #platform: WorkerPlatform;

  constructor(options: WorkerRuntimeOptions, platform: WorkerPlatform) {
    this.#platform = platform;
    const policy = options.policy ?? 'cpython';
    if (!['cpython', 'legacy', 'fifo', 'free-threaded', 'per-interpreter', 'processes'].includes(policy)) {
      throw new RangeError(`options.policy must be a TracePolicy, got ${String(policy)}`);
    }
    if (options.refcountMode !== undefined && !['biased', 'atomic'].includes(options.refcountMode)) {
      throw new RangeError(
        `options.refcountMode must be 'biased' or 'atomic', got ${String(options.refcountMode)}`,
      );
    }
    const iv = options.switchIntervalMs ?? 5;
    if (!(iv > 0))
      throw new RangeError(`options.switchIntervalMs must be a positive number, got ${String(iv)}`);
    this.options = options;
  }

  /** Runs `source` on real threads; resolves when every thread has ended. */
  run(source: string): Promise<WorkerRunResult> {
    const o = this.options;
    try {
      this.#platform.check();
    } catch (e) {
      return Promise.reject(e);
    }
    const platform = this.#platform;
    const policy = o.policy ?? 'cpython';
    const switchIntervalMs = o.switchIntervalMs ?? 5;
    const filename = o.filename ?? '<string>';
    const control = new SharedArrayBuffer(CONTROL_WORDS * 4);
    const ctrl = new Int32Array(control);
    Atomics.store(ctrl, NEXT_THREAD, 2);
    const primitives = new SharedArrayBuffer(PRIMITIVES_BYTES);
    const ringBuffer = createRingBuffer();
    const output = new SharedArrayBuffer(OUTPUT_BYTES);
    const startMs = absoluteNowMs();
    const ring = new TraceRing(ringBuffer, startMs);
    const gilPolicy = policy === 'legacy' || policy === 'fifo' ? policy : 'cpython';
    const ownGil = policy === 'per-interpreter' || policy === 'processes';
    const gil = policy === 'free-threaded' ? undefined : Gil.create({ policy: gilPolicy, switchIntervalMs });
    // Threads share objects as CPython threads do, except across interpreters and processes.
    let heap: Heap | undefined;
    try {
      heap = ownGil
        ? undefined
        : Heap.create({
            bytes: o.heapBytes ?? 64 << 20,
            shared: true,
            taggedInts: true,
            refcountMode: policy === 'free-threaded' ? (o.refcountMode ?? 'biased') : 'gil',
          });
    } catch (e) {
      return Promise.reject(e);
    }
    // The coordinator never touches objects: give its thread id back to the workers.
    heap?.detach();
    const threads: TraceThread[] = [];
    const workers = new Map<number, ThreadWorker>();
    const gils = new Map<number, Gil>();
    const out = new Uint8Array(output);
    /** Reads new bytes of one stream (stdout or stderr half of the output buffer). */
    const stream = (usedWord: number, base: number, sink: ((text: string) => void) | undefined) => {
      const decoder = new TextDecoder();
      let emitted = 0;
      return () => {
        const used = Math.min(Atomics.load(ctrl, usedWord), STREAM_BYTES);
        if (used <= emitted) return '';
        const text = decoder.decode(out.slice(base + emitted, base + used), { stream: true });
        emitted = used;
        if (text) sink?.(text);
        return text;
      };
    };
    const flush = stream(OUTPUT_USED, 0, o.stdout);
    const flushErr = stream(STDERR_USED, STREAM_BYTES, o.stderr);

    return new Promise((resolve, reject) => {
      let exception: ExceptionInfo | null = null;
      let text = '';
      let errText = '';
      let live = 0;
      let settled = false;
      const poll = setInterval(() => {
        text += flush();
        errText += flushErr();
      }, 20);
      const timer = setTimeout(() => {
        fail(
          new RunLimitError(
            `workers runtime: the program ran longer than ${o.timeoutMs ?? 60_000} ms`,
            text + flush(),
            buildTrace(),
          ),
        );
      }, o.timeoutMs ?? 60_000);

      const buildTrace = (): Trace => {
        const decoded = ring.decode(DETAILS);
        return {
          version: 1,
          runtime: 'workers',
          policy,
          cores: platform.cores(),
          switchIntervalMs,
          durationUs: decoded.durationUs,
          threads,
          intervals: decoded.intervals,
          events: decoded.events,
        };
      };
      const fail = (e: Error) => {
        if (settled) return;
        settled = true;
        clearInterval(poll);
        clearTimeout(timer);
        o.signal?.removeEventListener('abort', onAbort);
        for (const w of [...workers.values()]) w.terminate();
        reject(e);
      };
      const onAbort = () => {
        const reason: unknown = o.signal?.reason;
        fail(reason instanceof Error ? reason : new Error(String(reason ?? 'the run was aborted')));
      };
      const maybeDone = () => {
        if (live > 0 || settled) return;
        settled = true;
        clearInterval(poll);
        clearTimeout(timer);
        o.signal?.removeEventListener('abort', onAbort);
        text += flush();
        errText += flushErr();
        const trace = buildTrace();
        resolve({
          output: text,
          stderr: errText,
          exception,
          trace,
          stats: summarize(trace),
          gilStats: gil?.stats(),
          ...(o.verifyHeap && heap ? { heapReport: heap.verify() } : {}),
        });
      };

      const spawn = (
        id: number,
        name: string,
        role: 'main' | 'thread',
        start?: Extract<WorkerMessage, { type: 'start' }>,
      ) => {
        if (settled) return;
        if (id >= MAX_THREADS) {
          fail(new RangeError(`workers runtime: at most ${MAX_THREADS - 1} threads per run`));
          return;
        }
        let threadGil = gil;
        if (ownGil) {
          threadGil = Gil.create({ policy: 'cpython', switchIntervalMs });
          gils.set(id, threadGil);
        }
        const group = ownGil ? id - 1 : undefined;
        threads.push(group === undefined ? { id, name } : { id, name, group });
        const init: WorkerInit = {
          role,
          id,
          name,
          source,
          filename,
          policy,
          targetRef: start?.targetRef,
          argsRef: start?.argsRef,
          threadRef: start?.threadRef,
          target: start?.target,
          args: start?.args,
          control,
          primitives,
          ring: ringBuffer,
          output,
          gil: threadGil?.buffer,
          heap: heap?.buffer as SharedArrayBuffer | undefined,
          startMs,
        };
        if (o.crashThread?.name === name) {
          init.crashAfterInstructions = o.crashThread.afterInstructions;
          init.crashHow = o.crashThread.how ?? 'exit';
        }
        live++;
        let done = false;
        const w = platform.spawn(
          init,
          {
            message: (m) => {
              if (m.type === 'start') spawn(m.id, m.name, 'thread', m);
              else if (m.type === 'done') {
                done = true;
                if (m.id === 1) exception = m.error;
              }
            },
            error: (message) => {
              errText += `Fatal error in thread ${name}: ${message}\n`;
              o.stderr?.(`Fatal error in thread ${name}: ${message}\n`);
            },
            exit: () => {
              workers.delete(id);
              if (!done) this.#recoverCrashed(ctrl, id, threadGil, ring);
              live--;
              maybeDone();
            },
          },
          { reuse: o.reuseWorkers !== false },
        );
        workers.set(id, w);
      };
      if (o.signal?.aborted) {
        onAbort();
        return;
      }
      o.signal?.addEventListener('abort', onAbort, { once: true });
      spawn(1, 'MainThread', 'main');
    });
  }

  /** A worker died before finishing: fail its joins and free the GIL if it held it. */
  #recoverCrashed(ctrl: Int32Array, id: number, gil: Gil | undefined, ring: TraceRing): void {
    // A thread that died attached to the heap would hold up every stop-the-world (free-threaded).
    uncountDeadThread(ctrl, id);
    Atomics.store(ctrl, THREAD_STATE + id, DONE_CRASHED);
    Atomics.notify(ctrl, THREAD_STATE + id);
    ring.end(id);
    const gilId = Atomics.load(ctrl, GIL_ID + id);
    if (gil && gilId !== 0) gil.recover(gilId);
  }
}

/** `runProgram(..., { runtime: 'workers' })` lands here (through the platform's entry). */
export async function runProgramOn(
  platform: WorkerPlatform,
  source: string,
  options: RunProgramOptions,
): Promise<RunProgramResult> {
  const r = await new WorkerRuntimeCore(
    {
      policy: options.policy,
      switchIntervalMs: options.switchIntervalMs,
      filename: options.filename,
      stdout: options.stdout,
      stderr: options.stderr,
      signal: options.signal,
    },
    platform,
  ).run(source);
  return { output: r.output, stderr: r.stderr, exception: r.exception, trace: r.trace, stats: r.stats };
}

/**
 * `Pool`: Python's `multiprocessing.Pool` in JS idiom, on piscina. Each worker is a "process" with
 * its own module state (and, for MiniPy tasks, its own heap and GIL).
 *
 * This file is the public surface and the pool's state machine (RUN -> CLOSE -> joined, or
 * -> TERMINATE); scheduling lives in dispatcher.ts, the calls in map-call.ts and imap-call.ts.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ResourceLimits } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { watchAbort } from './abort-watch.js';
import { ApplyCall, type ApplyListener } from './apply-call.js';
import { AsyncResult, deferred } from './async-result.js';
import { type Chunk, taskKey } from './chunk.js';
import { Dispatcher } from './dispatcher.js';
import {
  BrokenPoolError,
  PoolAbortError,
  PoolTerminatedError,
  PoolTypeError,
  PoolValueError,
} from './errors.js';
import { ImapCall } from './imap-call.js';
import { slotViews, TABLE_BYTES } from './layout.js';
import { MapCall } from './map-call.js';
import {
  type ApplyOptions,
  type PoolOptions as BaseOptions,
  type CallOptions,
  checkCallOptions,
  defaultChunksize,
  defaultHighWaterMark,
  type ImapOptions,
  type MapOptions,
  type ResolvedPoolOptions,
  resolvePoolOptions,
} from './options.js';
import type { WireError, WorkerConfig } from './protocol.js';
import { fromWireError } from './remote-error.js';
import { type Task, toWireTask } from './task.js';
import { WorkerRegistry } from './worker-registry.js';

/** Options of `new Pool(...)`. */
export interface PoolOptions extends BaseOptions {
  /** Worker heap limits (Node's `resourceLimits`); a worker exceeding them fails its chunk with WorkerLostError. */
  readonly resourceLimits?: ResourceLimits;
}

/** Python's pool states. */
export type PoolState = 'RUN' | 'CLOSE' | 'TERMINATE';

type ActiveCall = MapCall | ImapCall | ApplyCall;

/** The built worker entry; when running from source (tests), the one in dist/. */
function workerFilename(): string {
  const beside = new URL('./worker.js', import.meta.url);
  if (existsSync(fileURLToPath(beside))) return fileURLToPath(beside);
  return fileURLToPath(new URL('../dist/worker.js', import.meta.url));
}

function isIterable(value: unknown): value is Iterable<unknown> {
  return value != null && typeof (value as Iterable<unknown>)[Symbol.iterator] === 'function';
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return value != null && typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function';
}

/**
 * A pool of worker "processes" running tasks in parallel.
 *
 * @example
 * ```ts
 * await using pool = new Pool({ processes: 2 });
 * const squares = await pool.map({ module: new URL('./tasks.js', import.meta.url), name: 'square' }, [1, 2, 3]);
 * ```
 */
export class Pool {
  readonly #options: ResolvedPoolOptions;
  readonly #piscina: Piscina;
  readonly #registry = new WorkerRegistry(() => this.#piscina.threads);
  readonly #dispatcher: Dispatcher;
  readonly #calls = new Set<ActiveCall>();
  #state: PoolState = 'RUN';
  #broken: BrokenPoolError | null = null;
  #terminating: Promise<void> | null = null;
  #joining: Promise<void> | null = null;
  /** Stops watching the pool's own signal (once the pool has ended). */
  #unwatchSignal: (() => void) | undefined;

  constructor(options: PoolOptions = {}) {
    this.#options = resolvePoolOptions(options);
    const initializer =
      options.initializer === undefined ? null : toWireTask(options.initializer, 'options.initializer');
    const slotBuffer = new SharedArrayBuffer(TABLE_BYTES);
    const workerData: WorkerConfig = {
      slotBuffer,
      trackTime: this.#options.taskTimeoutMs > 0,
      maxTasksPerChild: this.#options.maxTasksPerChild,
      initializer,
      initargs: options.initargs ?? [],
    };
    const processes = this.#options.processes;
    this.#piscina = createPiscina({
      filename: workerFilename(),
      minThreads: processes,
      maxThreads: processes,
      concurrentTasksPerWorker: this.#options.batchesPerWorker,
      atomics: 'sync',
      recordTiming: false,
      workerData,
      ...(options.resourceLimits !== undefined ? { resourceLimits: options.resourceLimits } : {}),
    });
    // piscina emits 'error' for a worker failure that had no task attached; the dead worker is
    // replaced either way, and an unhandled 'error' event would crash the process.
    this.#piscina.on('error', () => undefined);
    this.#piscina.on('workerCreate', () => this.#registry.track(this.#piscina.threads));
    this.#registry.track(this.#piscina.threads);
    this.#dispatcher = new Dispatcher({
      piscina: this.#piscina,
      registry: this.#registry,
      slots: slotViews(slotBuffer),
      maxBatches: processes * this.#options.batchesPerWorker,
      maxBatchChunks: this.#options.maxTasksPerChild || Number.POSITIVE_INFINITY,
      taskTimeoutMs: this.#options.taskTimeoutMs,
      onInitError: (error) => this.#breakPool(error),
    });
    const signal = options.signal;
    if (signal?.aborted) void this.terminate();
    else if (signal !== undefined) this.#unwatchSignal = watchAbort(signal, () => void this.terminate());
  }

  /** Number of workers. */
  get processes(): number {
    return this.#options.processes;
  }

  /** `'RUN'`, `'CLOSE'` (after `close()`) or `'TERMINATE'` (after `terminate()` or a broken initializer). */
  get state(): PoolState {
    return this.#state;
  }

  /**
   * Calls `task` on every item and resolves with the results in input order (Python: `map`).
   * Items are sent in chunks of `chunksize` (default ceil(n / (4 * processes))). If items fail, it
   * rejects with the error of the first failed position once every chunk has settled.
   */
  map<R = unknown>(task: Task, iterable: Iterable<unknown>, options: MapOptions = {}): Promise<R[]> {
    try {
      return this.#runMap('map', task, iterable, false, options) as Promise<R[]>;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Like `map`, but each item is an argument list spread into `task` (Python: `starmap`). */
  starmap<R = unknown>(
    task: Task,
    iterable: Iterable<readonly unknown[]>,
    options: MapOptions = {},
  ): Promise<R[]> {
    try {
      return this.#runMap('starmap', task, iterable, true, options) as Promise<R[]>;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** `map` returning an `AsyncResult` (Python: `map_async`); bad arguments throw at once. */
  mapAsync<R = unknown>(
    task: Task,
    iterable: Iterable<unknown>,
    options: MapOptions & ApplyOptions<R[]> = {},
  ): AsyncResult<R[]> {
    const promise = this.#runMap('mapAsync', task, iterable, false, options) as Promise<R[]>;
    return asyncResultOf(promise, options);
  }

  /** `starmap` returning an `AsyncResult` (Python: `starmap_async`); bad arguments throw at once. */
  starmapAsync<R = unknown>(
    task: Task,
    iterable: Iterable<readonly unknown[]>,
    options: MapOptions & ApplyOptions<R[]> = {},
  ): AsyncResult<R[]> {
    const promise = this.#runMap('starmapAsync', task, iterable, true, options) as Promise<R[]>;
    return asyncResultOf(promise, options);
  }

  /**
   * Results in input order as an async iterable (Python: `imap`, default `chunksize` 1). The input
   * (sync or async iterable) is read lazily, at most `highWaterMark` chunks ahead of the consumer.
   * A failed item throws at its position. Bad arguments throw at once.
   */
  imap<R = unknown>(
    task: Task,
    iterable: Iterable<unknown> | AsyncIterable<unknown>,
    options: ImapOptions = {},
  ): AsyncIterableIterator<R> {
    return this.#runImap('imap', task, iterable, true, options) as AsyncIterableIterator<R>;
  }

  /** Like `imap`, but results come in completion order (Python: `imap_unordered`). */
  imapUnordered<R = unknown>(
    task: Task,
    iterable: Iterable<unknown> | AsyncIterable<unknown>,
    options: ImapOptions = {},
  ): AsyncIterableIterator<R> {
    return this.#runImap('imapUnordered', task, iterable, false, options) as AsyncIterableIterator<R>;
  }

  /** Calls `task(...args)` in a worker and resolves with its result (Python: `apply`). */
  apply<R = unknown>(task: Task, args: readonly unknown[] = [], options: CallOptions = {}): Promise<R> {
    try {
      const result = deferred<R>();
      this.#runApply('apply', task, args, options, result);
      return result.promise;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** `apply` returning an `AsyncResult`, with optional callbacks (Python: `apply_async`). Bad arguments throw at once. */
  applyAsync<R = unknown>(
    task: Task,
    args: readonly unknown[] = [],
    options: ApplyOptions<R> = {},
  ): AsyncResult<R> {
    const result = new AsyncResult<R>(options.callback, options.errorCallback);
    this.#runApply('applyAsync', task, args, options, result);
    return result;
  }

  /** No new calls; calls already made finish (an `imap` input is then read to its end). */
  close(): void {
    if (this.#state !== 'RUN') return;
    this.#state = 'CLOSE';
    for (const call of this.#calls) if (call instanceof ImapCall) call.readEagerly();
  }

  /**
   * Stops at once: pending calls reject with `PoolTerminatedError`, workers are terminated.
   * Resolves when they have exited.
   */
  terminate(): Promise<void> {
    if (this.#terminating !== null) return this.#terminating;
    this.#state = 'TERMINATE';
    this.#failAll(new PoolTerminatedError('the pool was terminated while this call was pending'));
    this.#dispatcher.stop();
    this.#unwatchSignal?.();
    this.#terminating = this.#piscina.destroy();
    return this.#terminating;
  }

  /**
   * Waits for the workers to exit: after `close()`, once every call's work is done; after
   * `terminate()`, once it has finished. Rejects with `PoolValueError` while the pool is running.
   */
  join(): Promise<void> {
    if (this.#state === 'RUN') return Promise.reject(new PoolValueError('Pool is still running'));
    if (this.#state === 'TERMINATE') return this.#terminating ?? this.terminate();
    this.#joining ??= (async () => {
      for (;;) {
        const imaps = [...this.#calls].filter((call): call is ImapCall => call instanceof ImapCall);
        await Promise.all(imaps.map((call) => call.whenInputDone()));
        await this.#dispatcher.whenIdle();
        if (
          [...this.#calls].every((call) => !(call instanceof ImapCall) || call.inputDone) &&
          this.#dispatcher.idle
        )
          break;
      }
      this.#unwatchSignal?.();
      if (this.#terminating === null) this.#terminating = this.#piscina.destroy();
      await this.#terminating;
    })();
    return this.#joining;
  }

  /** `await using pool = new Pool()`: terminates the pool on scope exit, as Python's `with Pool()` does. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.terminate();
  }

  #checkRunning(): void {
    if (this.#broken !== null) throw this.#broken;
    if (this.#state !== 'RUN') throw new PoolValueError('Pool not running');
  }

  #runMap(
    method: string,
    task: Task,
    iterable: Iterable<unknown>,
    star: boolean,
    options: MapOptions,
  ): Promise<unknown[]> {
    this.#checkRunning();
    const wire = toWireTask(task);
    checkCallOptions(options, method);
    if (!isIterable(iterable)) {
      throw new PoolTypeError(
        `${method}: iterable must be iterable, got ${iterable === null ? 'null' : typeof iterable}` +
          (isAsyncIterable(iterable) ? ' (an async iterable: use imap)' : ''),
      );
    }
    // A snapshot, as Python's list(iterable): later changes to the input do not reach the workers.
    const items = Array.isArray(iterable) ? iterable.slice() : Array.from(iterable);
    if (star) checkArgLists(items, method);
    const chunksize = options.chunksize ?? defaultChunksize(items.length, this.#options.processes);
    const call = new MapCall(method, wire, star, items, chunksize, options.onProgress);
    this.#start(call, options.signal, () => this.#dispatcher.submit(call.chunks));
    return call.promise;
  }

  #runApply(
    method: string,
    task: Task,
    args: readonly unknown[],
    options: CallOptions,
    listener: ApplyListener,
  ): void {
    this.#checkRunning();
    const wire = toWireTask(task);
    checkCallOptions(options, method);
    if (!Array.isArray(args)) throw new PoolTypeError(`${method}: args must be an array`);
    const calls = this.#calls;
    const signal = options.signal;
    // The listener also unregisters the call and stops watching its signal.
    let unwatch: (() => void) | undefined;
    const call: ApplyCall = new ApplyCall(method, wire, taskKey(wire), args, {
      settle(ok, valueOrError) {
        calls.delete(call);
        unwatch?.();
        listener.settle(ok, valueOrError);
      },
    });
    if (signal?.aborted) {
      call.fail(new PoolAbortError(`${method} was aborted`, { cause: signal.reason }));
      return;
    }
    calls.add(call);
    if (signal !== undefined) {
      unwatch = watchAbort(signal, () => {
        const error = new PoolAbortError(`${method} was aborted`, { cause: signal.reason });
        call.fail(error);
        this.#dispatcher.cancel(call, true, error);
      });
    }
    this.#dispatcher.submit(call.chunks);
  }

  #runImap(
    method: string,
    task: Task,
    iterable: Iterable<unknown> | AsyncIterable<unknown>,
    ordered: boolean,
    options: ImapOptions,
  ): AsyncIterableIterator<unknown> {
    this.#checkRunning();
    const wire = toWireTask(task);
    checkCallOptions(options, method);
    if (!isIterable(iterable) && !isAsyncIterable(iterable)) {
      throw new PoolTypeError(
        `${method}: iterable must be iterable or async iterable, got ${iterable === null ? 'null' : typeof iterable}`,
      );
    }
    const chunksize = options.chunksize ?? 1;
    let detach = (): void => undefined;
    const call = new ImapCall(
      {
        label: method,
        task: wire,
        star: false,
        ordered,
        chunksize,
        highWaterMark: options.highWaterMark ?? defaultHighWaterMark(chunksize, this.#options.processes),
        onProgress: options.onProgress,
        submit: (chunks: Chunk[]) => this.#dispatcher.submit(chunks),
        onClose: (closed, early) => {
          detach();
          if (early) this.#dispatcher.cancel(closed, false, new PoolAbortError(`${method} was closed`));
        },
      },
      iterable,
    );
    detach = this.#start(call, options.signal, () => undefined);
    return call.iterate();
  }

  /** Registers a call, wires its AbortSignal, then submits it. */
  /**
   * Registers a call, wires its AbortSignal, then submits it. Returns `detach`, which unregisters
   * the call and its abort listener (MapCall: done here when its promise settles; ImapCall: by its
   * onClose).
   */
  #start(call: MapCall | ImapCall, signal: AbortSignal | undefined, submit: () => void): () => void {
    if (signal?.aborted) {
      call.fail(new PoolAbortError(`${call.label} was aborted`, { cause: signal.reason }));
      return () => undefined;
    }
    this.#calls.add(call);
    const unwatch =
      signal === undefined
        ? undefined
        : watchAbort(signal, () => {
            const error = new PoolAbortError(`${call.label} was aborted`, { cause: signal.reason });
            call.fail(error);
            this.#dispatcher.cancel(call, true, error);
          });
    const detach = () => {
      this.#calls.delete(call);
      unwatch?.();
    };
    if (call instanceof MapCall) call.promise.then(detach, detach);
    submit();
    return detach;
  }

  #failAll(error: Error): void {
    const calls = [...this.#calls];
    this.#calls.clear();
    for (const call of calls) call.fail(error);
  }

  #breakPool(wire: WireError): void {
    if (this.#broken !== null) return;
    this.#broken = new BrokenPoolError(`the pool's initializer raised ${wire.name}: ${wire.message}`, {
      cause: fromWireError(wire),
    });
    this.#state = 'TERMINATE';
    this.#failAll(this.#broken);
    this.#dispatcher.stop();
    this.#unwatchSignal?.();
    this.#terminating = this.#piscina.destroy();
  }
}

function checkArgLists(items: readonly unknown[], method: string): void {
  for (let i = 0; i < items.length; i++) {
    if (!Array.isArray(items[i]))
      throw new PoolTypeError(`${method}: item ${i} must be an array of arguments`);
  }
}

function asyncResultOf<R>(promise: Promise<R>, options: ApplyOptions<R>): AsyncResult<R> {
  const result = new AsyncResult<R>(options.callback, options.errorCallback);
  promise.then(
    (value) => result.settle(true, value),
    (error: unknown) => result.settle(false, error),
  );
  return result;
}

/**
 * piscina loads the worker file with `require()` first and falls back to `import()`. On a Node with
 * `require(esm)` (20.19+, 22.12+) that first path loads our ESM worker through the synchronous ESM
 * loader, which crashed a whole test process once with V8's fatal "IsGraphAsync must be used on an
 * instantiated module" (Node 20.20, a worker being replaced mid-run). Turning `require(esm)` off in
 * the pool's workers sends piscina straight down its `import()` path, as on older Nodes. An explicit
 * `execArgv` replaces the inherited one and Worker refuses process-wide flags in it (a parent run
 * with V8 flags): then the workers keep the inherited options instead.
 */
function createPiscina(options: ConstructorParameters<typeof Piscina>[0]): Piscina {
  const features = process.features as { require_module?: boolean };
  if (features.require_module === true) {
    try {
      return new Piscina({ ...options, execArgv: [...process.execArgv, '--no-experimental-require-module'] });
    } catch (e) {
      if ((e as { code?: string }).code !== 'ERR_WORKER_INVALID_EXEC_ARGV') throw e;
    }
  }
  return new Piscina(options);
}

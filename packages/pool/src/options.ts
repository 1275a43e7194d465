/**
 * Main side: constructor and per-call option types, defaults and validation. Every message names
 * the option, as piscina's do.
 */
import { availableParallelism } from 'node:os';
import { PoolTypeError, PoolValueError } from './errors.js';
import type { Task } from './task.js';

/** Options of `new Pool(...)` (Python: `Pool(processes, initializer, initargs, maxtasksperchild)`). */
export interface PoolOptions {
  /** Number of workers ("processes"), an integer >= 1. Default: `os.availableParallelism()`. */
  readonly processes?: number;
  /** Run once in every worker before it takes tasks (also in replacement workers). */
  readonly initializer?: Task;
  /** Arguments for `initializer`. */
  readonly initargs?: readonly unknown[];
  /** A worker is replaced after completing this many chunks (Python's tasks). Default: never. */
  readonly maxTasksPerChild?: number;
  /**
   * An item that runs longer than this (ms) has its worker terminated and replaced; the chunk it
   * belongs to fails with `PoolTimeoutError`. Default: no limit.
   */
  readonly taskTimeoutMs?: number;
  /** Aborting it terminates the pool. */
  readonly signal?: AbortSignal;
  /**
   * Engine tuning: batches piscina may hold per worker (piscina's `concurrentTasksPerWorker`); more
   * than one lets the next batch wait inside the worker while the current one runs. Default 4.
   */
  readonly batchesPerWorker?: number;
}

/** Progress of a call, reported once per completed chunk. */
export interface Progress {
  /** Items finished (successfully or not). */
  readonly completed: number;
  /** Items in the call; `undefined` while an `imap` input has not been read to its end. */
  readonly total: number | undefined;
}

/** Options shared by every call. */
export interface CallOptions {
  /** Aborting it rejects the call with `PoolAbortError`; a running chunk's worker is replaced. */
  readonly signal?: AbortSignal;
}

/** Options of `map` and `starmap`. */
export interface MapOptions extends CallOptions {
  /** Items per chunk, an integer >= 1. Default: ceil(n / (4 * processes)), as in CPython. */
  readonly chunksize?: number;
  /** Called once per completed chunk. */
  readonly onProgress?: (progress: Progress) => void;
}

/** Options of `imap` and `imapUnordered`. */
export interface ImapOptions extends MapOptions {
  /**
   * Back-pressure: at most this many chunks are taken from the input and not yet consumed.
   * Default: enough chunks for about 2048 items, at least 8 per worker (`defaultHighWaterMark`):
   * tiny tasks need a deep pipeline to amortise messaging, and 2048 small items cost little memory.
   */
  readonly highWaterMark?: number;
}

/** Options of `applyAsync`. */
export interface ApplyOptions<T> extends CallOptions {
  /** Called with the result (Python: `callback`). */
  readonly callback?: (value: T) => void;
  /** Called with the error (Python: `error_callback`). */
  readonly errorCallback?: (error: Error) => void;
}

export interface ResolvedPoolOptions {
  readonly processes: number;
  readonly maxTasksPerChild: number;
  readonly taskTimeoutMs: number;
  readonly batchesPerWorker: number;
}

function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1;
}

function checkPositiveInteger(value: unknown, name: string): void {
  if (typeof value !== 'number')
    throw new PoolTypeError(`${name} must be a positive integer, got ${typeof value}`);
  if (!isPositiveInteger(value)) throw new PoolValueError(`${name} must be a positive integer, got ${value}`);
}

/** Validates the constructor options (throws at once). */
export function resolvePoolOptions(options: PoolOptions): ResolvedPoolOptions {
  if (typeof options !== 'object' || options === null) throw new PoolTypeError('options must be an object');
  const processes = options.processes ?? availableParallelism();
  checkPositiveInteger(processes, 'options.processes');
  if (options.maxTasksPerChild !== undefined)
    checkPositiveInteger(options.maxTasksPerChild, 'options.maxTasksPerChild');
  if (options.taskTimeoutMs !== undefined) {
    const t = options.taskTimeoutMs;
    if (typeof t !== 'number' || !(t > 0) || !Number.isFinite(t)) {
      throw new PoolValueError(`options.taskTimeoutMs must be a positive finite number, got ${String(t)}`);
    }
  }
  if (options.batchesPerWorker !== undefined)
    checkPositiveInteger(options.batchesPerWorker, 'options.batchesPerWorker');
  if (options.initargs !== undefined && !Array.isArray(options.initargs)) {
    throw new PoolTypeError('options.initargs must be an array');
  }
  if (options.initargs !== undefined && options.initializer === undefined) {
    throw new PoolValueError('options.initargs needs options.initializer');
  }
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) {
    throw new PoolTypeError('options.signal must be an AbortSignal');
  }
  return {
    processes,
    maxTasksPerChild: options.maxTasksPerChild ?? 0,
    taskTimeoutMs: options.taskTimeoutMs ?? 0,
    batchesPerWorker: options.batchesPerWorker ?? 4,
  };
}

/** Validates the options every call takes. */
export function checkCallOptions(options: unknown, method: string): void {
  if (typeof options !== 'object' || options === null)
    throw new PoolTypeError(`${method}: options must be an object`);
  const o = options as Record<string, unknown>;
  if (o.signal !== undefined && !(o.signal instanceof AbortSignal)) {
    throw new PoolTypeError(`${method}: options.signal must be an AbortSignal`);
  }
  if (o.chunksize !== undefined) checkPositiveInteger(o.chunksize, `${method}: options.chunksize`);
  if (o.highWaterMark !== undefined)
    checkPositiveInteger(o.highWaterMark, `${method}: options.highWaterMark`);
  for (const name of ['onProgress', 'callback', 'errorCallback']) {
    if (o[name] !== undefined && typeof o[name] !== 'function') {
      throw new PoolTypeError(`${method}: options.${name} must be a function`);
    }
  }
}

/** CPython's default chunksize for map: ceil(n / (4 * workers)), at least 1. */
export function defaultChunksize(n: number, processes: number): number {
  if (n === 0) return 1;
  return Math.ceil(n / (4 * processes));
}

/** Default `highWaterMark` of imap: ceil(2048 / chunksize) chunks, at least 8 per worker. */
export function defaultHighWaterMark(chunksize: number, processes: number): number {
  return Math.max(8 * processes, Math.ceil(2048 / chunksize));
}

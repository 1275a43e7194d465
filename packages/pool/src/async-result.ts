/**
 * Python's `multiprocessing.pool.AsyncResult` in JS idiom: `get`/`wait` return Promises and take
 * `{ timeoutMs }`; `ready()`/`successful()` answer synchronously.
 *
 * The pool settles it directly (`settle`); a Promise is only made when someone waits, so thousands
 * of `applyAsync` results cost no promise chains, and an ignored failure is never an unhandled
 * rejection.
 */
import { PoolTimeoutError, PoolValueError } from './errors.js';

/** Options of `AsyncResult.get` and `AsyncResult.wait`. */
export interface WaitOptions {
  /** Give up after this many ms (`get` rejects with `PoolTimeoutError`, `wait` just resolves). */
  readonly timeoutMs?: number;
}

export class AsyncResult<T> {
  #state: 'pending' | 'fulfilled' | 'rejected' = 'pending';
  #value: T | undefined;
  #error: Error | undefined;
  #waiters: (() => void)[] | null = null;
  readonly #callback: ((value: T) => void) | undefined;
  readonly #errorCallback: ((error: Error) => void) | undefined;

  /** @internal Created by the pool. */
  constructor(callback?: (value: T) => void, errorCallback?: (error: Error) => void) {
    this.#callback = callback;
    this.#errorCallback = errorCallback;
  }

  /** @internal The pool reports the outcome (once; later calls are ignored). */
  settle(ok: boolean, valueOrError: unknown): void {
    if (this.#state !== 'pending') return;
    if (ok) {
      this.#state = 'fulfilled';
      this.#value = valueOrError as T;
      if (this.#callback !== undefined) runCallback(this.#callback, this.#value);
    } else {
      this.#state = 'rejected';
      this.#error = valueOrError as Error;
      if (this.#errorCallback !== undefined) runCallback(this.#errorCallback, this.#error);
    }
    const waiters = this.#waiters;
    this.#waiters = null;
    if (waiters !== null) for (const wake of waiters) wake();
  }

  /** True once the call has completed (either way). */
  ready(): boolean {
    return this.#state !== 'pending';
  }

  /** True if the call completed without an error; throws `PoolValueError` if it is not ready. */
  successful(): boolean {
    if (this.#state === 'pending') throw new PoolValueError('AsyncResult is not ready');
    return this.#state === 'fulfilled';
  }

  /** Resolves when the result is ready or `timeoutMs` has passed, whichever is first. Never rejects. */
  async wait(options: WaitOptions = {}): Promise<void> {
    const timeoutMs = checkTimeout(options);
    if (this.#state === 'pending') await this.#whenReady(timeoutMs);
  }

  /**
   * The result: resolves with the value, rejects with the task's error, or rejects with
   * `PoolTimeoutError` if it is not ready within `timeoutMs` (the task keeps running).
   */
  async get(options: WaitOptions = {}): Promise<T> {
    const timeoutMs = checkTimeout(options);
    if (this.#state === 'pending') await this.#whenReady(timeoutMs);
    if (this.#state === 'fulfilled') return this.#value as T;
    if (this.#state === 'rejected') throw this.#error;
    throw new PoolTimeoutError(`AsyncResult.get: not ready within ${timeoutMs} ms`);
  }

  #whenReady(timeoutMs: number | undefined): Promise<void> {
    return new Promise<void>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const wake = () => {
        clearTimeout(timer);
        resolve();
      };
      (this.#waiters ??= []).push(wake);
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          const index = this.#waiters?.indexOf(wake) ?? -1;
          if (index >= 0) this.#waiters!.splice(index, 1);
          resolve();
        }, timeoutMs);
      }
    });
  }
}

function checkTimeout(options: WaitOptions): number | undefined {
  const t = options?.timeoutMs;
  if (t !== undefined && (typeof t !== 'number' || !(t >= 0))) {
    throw new PoolValueError(`options.timeoutMs must be a non-negative number, got ${String(t)}`);
  }
  return t;
}

/** Runs a user callback; an exception in it is re-thrown asynchronously, like an event listener's. */
export function runCallback<A>(fn: (arg: A) => void, arg: A): void {
  try {
    fn(arg);
  } catch (error) {
    queueMicrotask(() => {
      throw error;
    });
  }
}

/** An ApplyListener that settles a Promise (for `apply`). */
export function deferred<T>(): { promise: Promise<T>; settle(ok: boolean, valueOrError: unknown): void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, settle: (ok, valueOrError) => (ok ? resolve(valueOrError as T) : reject(valueOrError)) };
}

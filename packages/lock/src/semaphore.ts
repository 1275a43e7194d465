/*
   Semaphore: SEM_VALUE is the count and the futex word. acquire decrements it with a
   compareExchange while it is > 0, otherwise registers in SEM_WAITERS and sleeps while it is 0.
   release adds to it and notifies only if SEM_WAITERS is non-zero; the waiter increments
   SEM_WAITERS before its Atomics.wait re-checks SEM_VALUE == 0, so either the releaser sees the
   waiter or the waiter sees the new value (no lost wake-up).
*/

import { checkTimeout, ValueError } from './errors.js';
import { SEM_BOUND, SEM_BYTES, SEM_VALUE, SEM_WAITERS, TAG_SEMAPHORE } from './layout.js';
import { initWords, viewOf } from './primitive.js';
import { deadlineOf, remaining, runAsync, runSync, type SlowPath } from './wait.js';

/** Options of `acquire` and `acquireAsync`. */
export interface AcquireOptions {
  /** Give up after this many milliseconds and return false (default: wait forever). */
  timeoutMs?: number;
}

/** Options of `Semaphore.create`/`init`. */
export interface SemaphoreOptions {
  /** Like Python's `BoundedSemaphore`: releasing above the initial value is a ValueError. */
  bounded?: boolean;
}

function* acquireSlow(s: Int32Array, deadline: number): SlowPath<boolean> {
  for (;;) {
    const v = Atomics.load(s, SEM_VALUE);
    if (v > 0) {
      if (Atomics.compareExchange(s, SEM_VALUE, v, v - 1) === v) return true;
      continue;
    }
    const left = remaining(deadline);
    if (left === 0) return false;
    Atomics.add(s, SEM_WAITERS, 1);
    try {
      yield { index: SEM_VALUE, value: 0, timeoutMs: left };
    } finally {
      Atomics.sub(s, SEM_WAITERS, 1);
    }
  }
}

/** A counting semaphore shared through (buffer, byteOffset) (Python's `threading.Semaphore`). */
export class Semaphore {
  static readonly BYTES = SEM_BYTES;
  readonly buffer: SharedArrayBuffer;
  readonly byteOffset: number;
  readonly #s: Int32Array;

  /** Attaches to a Semaphore initialised at (buffer, byteOffset). */
  constructor(buffer: SharedArrayBuffer, byteOffset = 0) {
    this.#s = viewOf('Semaphore', buffer, byteOffset, SEM_BYTES, TAG_SEMAPHORE);
    this.buffer = buffer;
    this.byteOffset = byteOffset;
  }

  /** Initialises a Semaphore with `value` permits at (buffer, byteOffset). */
  static init(
    buffer: SharedArrayBuffer,
    byteOffset = 0,
    value = 1,
    options: SemaphoreOptions = {},
  ): Semaphore {
    if (!Number.isInteger(value) || value < 0 || value > 0x7fffffff) {
      throw new ValueError(`semaphore initial value must be an integer >= 0 (got ${String(value)})`);
    }
    const view = viewOf('Semaphore', buffer, byteOffset, SEM_BYTES, null);
    initWords(view, TAG_SEMAPHORE, [
      [SEM_VALUE, value],
      [SEM_BOUND, options.bounded ? value : -1],
    ]);
    return new Semaphore(buffer, byteOffset);
  }

  /** A new Semaphore in its own buffer. */
  static create(value = 1, options: SemaphoreOptions = {}): Semaphore {
    return Semaphore.init(new SharedArrayBuffer(SEM_BYTES), 0, value, options);
  }

  /** Current number of permits. */
  get value(): number {
    return Atomics.load(this.#s, SEM_VALUE);
  }

  /** Takes a permit, blocking until one is available; false if `timeoutMs` elapsed first. */
  acquire(options?: AcquireOptions): boolean {
    const timeoutMs = checkTimeout(options?.timeoutMs);
    if (this.tryAcquire()) return true;
    return runSync(this.#s, acquireSlow(this.#s, deadlineOf(timeoutMs)));
  }

  /** `acquire` without blocking the thread (Atomics.waitAsync). */
  acquireAsync(options?: AcquireOptions): Promise<boolean> {
    try {
      const timeoutMs = checkTimeout(options?.timeoutMs);
      if (this.tryAcquire()) return Promise.resolve(true);
      return runAsync(this.#s, acquireSlow(this.#s, deadlineOf(timeoutMs)));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** Takes a permit if one is available, never blocks. */
  tryAcquire(): boolean {
    const s = this.#s;
    for (let v = Atomics.load(s, SEM_VALUE); v > 0; v = Atomics.load(s, SEM_VALUE)) {
      if (Atomics.compareExchange(s, SEM_VALUE, v, v - 1) === v) return true;
    }
    return false;
  }

  /**
   * Returns `n` permits (default 1) and wakes up to `n` waiters. For a bounded semaphore, going
   * above the initial value is a ValueError ("Semaphore released too many times"), value unchanged.
   */
  release(n = 1): void {
    if (!Number.isInteger(n) || n < 1)
      throw new ValueError(`release(n): n must be an integer >= 1 (got ${n})`);
    const s = this.#s;
    const bound = Atomics.load(s, SEM_BOUND);
    if (bound >= 0) {
      for (;;) {
        const v = Atomics.load(s, SEM_VALUE);
        if (v + n > bound) throw new ValueError('Semaphore released too many times');
        if (Atomics.compareExchange(s, SEM_VALUE, v, v + n) === v) break;
      }
    } else {
      if (Atomics.load(s, SEM_VALUE) > 0x7fffffff - n) throw new ValueError('Semaphore value would overflow');
      Atomics.add(s, SEM_VALUE, n);
    }
    if (Atomics.load(s, SEM_WAITERS) !== 0) Atomics.notify(s, SEM_VALUE, n);
  }
}

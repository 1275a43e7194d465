/*
   Condition: a futex condition variable over a sequence word (COND_SEQ).

   wait():   read COND_SEQ while holding the lock, release the lock, Atomics.wait(COND_SEQ, seq),
             re-acquire. notify(): bump COND_SEQ (holding the lock), then Atomics.notify. A notify
             that lands between our release and our Atomics.wait changes COND_SEQ, so the wait
             returns 'not-equal' at once: no lost wake-ups. The price is that a racing waiter may
             wake although a notify(1) was meant for someone else, i.e. spurious wake-ups, which
             Python's Condition does not promise away either for this use; loop with `waitFor`.
*/

import { checkTimeout, RuntimeError, ValueError } from './errors.js';
import { COND_BYTES, COND_SEQ, COND_WAITERS, TAG_CONDITION } from './layout.js';
import { Mutex, RLock } from './mutex.js';
import { initWords, viewOf } from './primitive.js';
import { deadlineOf, remaining } from './wait.js';

type WaitAsyncFn = (
  a: Int32Array,
  index: number,
  value: number,
  timeout?: number,
) => { async: false; value: 'not-equal' | 'timed-out' } | { async: true; value: Promise<'ok' | 'timed-out'> };

/** Options of `wait`, `waitAsync` and `waitFor`. */
export interface WaitOptions {
  /** Give up after this many milliseconds (default: wait forever). */
  timeoutMs?: number;
}

/** A condition variable bound to a Mutex or RLock (Python's `threading.Condition`). */
export class Condition {
  static readonly BYTES = COND_BYTES;
  readonly buffer: SharedArrayBuffer;
  readonly byteOffset: number;
  /** The lock that must be held around `wait` and `notify`. */
  readonly lock: Mutex | RLock;
  readonly #s: Int32Array;

  /** Attaches to a Condition initialised at (buffer, byteOffset); `lock` is its (shared) lock. */
  constructor(lock: Mutex | RLock, buffer: SharedArrayBuffer, byteOffset = 0) {
    if (!(lock instanceof Mutex) && !(lock instanceof RLock)) {
      throw new ValueError('Condition: lock must be a Mutex or an RLock');
    }
    this.#s = viewOf('Condition', buffer, byteOffset, COND_BYTES, TAG_CONDITION);
    this.lock = lock;
    this.buffer = buffer;
    this.byteOffset = byteOffset;
  }

  /** Initialises a Condition at (buffer, byteOffset). */
  static init(lock: Mutex | RLock, buffer: SharedArrayBuffer, byteOffset = 0): Condition {
    initWords(viewOf('Condition', buffer, byteOffset, COND_BYTES, null), TAG_CONDITION);
    return new Condition(lock, buffer, byteOffset);
  }

  /** A new Condition in its own buffer, with a new Mutex unless a lock is given. */
  static create(lock: Mutex | RLock = Mutex.create()): Condition {
    return Condition.init(lock, new SharedArrayBuffer(COND_BYTES), 0);
  }

  /** Threads currently inside `wait`. */
  waiters(): number {
    return Atomics.load(this.#s, COND_WAITERS);
  }

  #release(): number {
    if (!this.lock.isOwned())
      throw new RuntimeError('cannot wait on un-acquired lock', 'ERR_RELEASE_UNLOCKED');
    if (this.lock instanceof RLock) return this.lock.releaseSave();
    this.lock.unlock();
    return 1;
  }

  /**
   * Releases the lock, sleeps until notified or `timeoutMs` elapsed, re-acquires the lock.
   * Returns false on timeout. The lock must be held (RuntimeError otherwise).
   */
  wait(options?: WaitOptions): boolean {
    const timeoutMs = checkTimeout(options?.timeoutMs);
    const s = this.#s;
    const seq = Atomics.load(s, COND_SEQ);
    const depth = this.#release();
    Atomics.add(s, COND_WAITERS, 1);
    let outcome: string;
    try {
      outcome = Atomics.wait(s, COND_SEQ, seq, timeoutMs);
    } finally {
      Atomics.sub(s, COND_WAITERS, 1);
      if (this.lock instanceof RLock) this.lock.acquireRestore(depth);
      else this.lock.lock();
    }
    return outcome !== 'timed-out';
  }

  /** `wait` that does not block the thread (Atomics.waitAsync); re-acquires with `lockAsync`. */
  async waitAsync(options?: WaitOptions): Promise<boolean> {
    const timeoutMs = checkTimeout(options?.timeoutMs);
    const waitAsyncFn = (Atomics as unknown as { waitAsync?: WaitAsyncFn }).waitAsync;
    if (!waitAsyncFn) throw new TypeError('Atomics.waitAsync is not available in this runtime');
    const s = this.#s;
    const seq = Atomics.load(s, COND_SEQ);
    const depth = this.#release();
    Atomics.add(s, COND_WAITERS, 1);
    let outcome: string;
    try {
      const r = waitAsyncFn(s, COND_SEQ, seq, timeoutMs);
      outcome = r.async ? await r.value : r.value;
    } finally {
      Atomics.sub(s, COND_WAITERS, 1);
      if (this.lock instanceof RLock) await this.lock.acquireRestoreAsync(depth);
      else await this.lock.lockAsync();
    }
    return outcome !== 'timed-out';
  }

  /**
   * Waits until `predicate()` is true (checked with the lock held) or the timeout elapsed;
   * returns the last value of the predicate (Python's `wait_for`).
   */
  waitFor(predicate: () => boolean, options?: WaitOptions): boolean {
    const deadline = deadlineOf(checkTimeout(options?.timeoutMs));
    let result = predicate();
    while (!result) {
      const left = remaining(deadline);
      if (left === 0) break;
      this.wait({ timeoutMs: left });
      result = predicate();
    }
    return result;
  }

  /** Wakes up to `n` waiters (default 1). The lock must be held (RuntimeError otherwise). */
  notify(n = 1): void {
    if (!Number.isInteger(n) || n < 0)
      throw new ValueError(`notify(n): n must be a non-negative integer (got ${n})`);
    if (!this.lock.isOwned())
      throw new RuntimeError('cannot notify on un-acquired lock', 'ERR_RELEASE_UNLOCKED');
    Atomics.add(this.#s, COND_SEQ, 1);
    if (n > 0 && Atomics.load(this.#s, COND_WAITERS) !== 0) Atomics.notify(this.#s, COND_SEQ, n);
  }

  /** Wakes all waiters. The lock must be held. */
  notifyAll(): void {
    if (!this.lock.isOwned())
      throw new RuntimeError('cannot notify on un-acquired lock', 'ERR_RELEASE_UNLOCKED');
    Atomics.add(this.#s, COND_SEQ, 1);
    if (Atomics.load(this.#s, COND_WAITERS) !== 0) Atomics.notify(this.#s, COND_SEQ);
  }
}

/*
   Event: EVENT_FLAG is the flag and the futex word. set() stores 1 and wakes every sleeper;
   wait() sleeps while the flag is 0. A set() between a waiter's check and its Atomics.wait makes
   the wait return 'not-equal' at once, so no wake-up is lost.
*/

import { checkTimeout } from './errors.js';
import { EVENT_BYTES, EVENT_FLAG, TAG_EVENT } from './layout.js';
import { initWords, viewOf } from './primitive.js';
import { deadlineOf, remaining, runAsync, runSync, type SlowPath } from './wait.js';

/** Options of `wait` and `waitAsync`. */
export interface EventWaitOptions {
  /** Give up after this many milliseconds (default: wait forever). */
  timeoutMs?: number;
}

function* waitSlow(s: Int32Array, deadline: number): SlowPath<boolean> {
  for (;;) {
    if (Atomics.load(s, EVENT_FLAG) !== 0) return true;
    const left = remaining(deadline);
    if (left === 0) return false;
    yield { index: EVENT_FLAG, value: 0, timeoutMs: left };
  }
}

/** A one-bit flag threads can wait for (Python's `threading.Event`). */
export class Event {
  static readonly BYTES = EVENT_BYTES;
  readonly buffer: SharedArrayBuffer;
  readonly byteOffset: number;
  readonly #s: Int32Array;

  /** Attaches to an Event initialised at (buffer, byteOffset). */
  constructor(buffer: SharedArrayBuffer, byteOffset = 0) {
    this.#s = viewOf('Event', buffer, byteOffset, EVENT_BYTES, TAG_EVENT);
    this.buffer = buffer;
    this.byteOffset = byteOffset;
  }

  /** Initialises a cleared Event at (buffer, byteOffset). */
  static init(buffer: SharedArrayBuffer, byteOffset = 0): Event {
    initWords(viewOf('Event', buffer, byteOffset, EVENT_BYTES, null), TAG_EVENT);
    return new Event(buffer, byteOffset);
  }

  /** A new cleared Event in its own buffer. */
  static create(): Event {
    return Event.init(new SharedArrayBuffer(EVENT_BYTES), 0);
  }

  /** Whether the flag is set (Python's `is_set`). */
  isSet(): boolean {
    return Atomics.load(this.#s, EVENT_FLAG) !== 0;
  }

  /** Sets the flag and wakes every waiter. */
  set(): void {
    if (Atomics.exchange(this.#s, EVENT_FLAG, 1) === 0) Atomics.notify(this.#s, EVENT_FLAG);
  }

  /** Clears the flag. */
  clear(): void {
    Atomics.store(this.#s, EVENT_FLAG, 0);
  }

  /** Blocks until the flag is set or `timeoutMs` elapsed; returns the flag. */
  wait(options?: EventWaitOptions): boolean {
    const timeoutMs = checkTimeout(options?.timeoutMs);
    if (this.isSet()) return true;
    return runSync(this.#s, waitSlow(this.#s, deadlineOf(timeoutMs)));
  }

  /** `wait` without blocking the thread (Atomics.waitAsync). */
  waitAsync(options?: EventWaitOptions): Promise<boolean> {
    try {
      const timeoutMs = checkTimeout(options?.timeoutMs);
      if (this.isSet()) return Promise.resolve(true);
      return runAsync(this.#s, waitSlow(this.#s, deadlineOf(timeoutMs)));
    } catch (err) {
      return Promise.reject(err);
    }
  }
}

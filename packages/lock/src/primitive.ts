/**
 * Attaching a primitive to (buffer, byteOffset): validation shared by Mutex, RLock, Condition,
 * Semaphore and Event. Each primitive's first word is a type tag (layout.ts), so a buffer region
 * holding something else, or nothing yet, fails with a clear error instead of misbehaving.
 */

import { InvalidHandleError, ValueError } from './errors.js';

/** Returns the Int32 view of a primitive's words after checking buffer, offset and (optionally) tag. */
export function viewOf(
  what: string,
  buffer: SharedArrayBuffer,
  byteOffset: number,
  bytes: number,
  tag: number | null,
): Int32Array {
  if (typeof SharedArrayBuffer === 'undefined' || !(buffer instanceof SharedArrayBuffer)) {
    throw new InvalidHandleError(`${what}: buffer must be a SharedArrayBuffer`);
  }
  if (!Number.isInteger(byteOffset) || byteOffset < 0 || byteOffset % 4 !== 0) {
    throw new ValueError(
      `${what}: byteOffset must be a non-negative multiple of 4 (got ${String(byteOffset)})`,
    );
  }
  if (byteOffset + bytes > buffer.byteLength) {
    throw new ValueError(
      `${what}: needs ${bytes} bytes at byteOffset ${byteOffset}, but the buffer has ${buffer.byteLength}`,
    );
  }
  const view = new Int32Array(buffer, byteOffset, bytes / 4);
  if (tag !== null && Atomics.load(view, 0) !== tag) {
    throw new InvalidHandleError(
      `${what}: invalid handle: no ${what} at byteOffset ${byteOffset} (initialise it with ${what}.init or ${what}.create)`,
    );
  }
  return view;
}

/** Zeroes a primitive's words, then publishes its tag (tag last: a tagged region is initialised). */
export function initWords(
  view: Int32Array,
  tag: number,
  fields: ReadonlyArray<readonly [number, number]> = [],
): void {
  for (let i = 1; i < view.length; i++) Atomics.store(view, i, 0);
  for (const [index, value] of fields) Atomics.store(view, index, value);
  Atomics.store(view, 0, tag);
}

/**
 * Per-object critical sections for modes without a GIL (PEP 703 gives every object an `ob_mutex`;
 * here the locks are striped: 256 futex words in the control block, object `ref` maps to stripe
 * `(ref >> 4) & 255`). Refcounts are safe in `atomic`/`biased` mode on their own; container
 * *contents* are not, so threads that mutate a shared list/dict/set hold its lock meanwhile.
 *
 * Deadlock rules: a thread holds at most one object lock at a time, or takes two with
 * `lockObjects2`, which locks the stripes in address order (CPython's Py_BEGIN_CRITICAL_SECTION2)
 * and takes a shared stripe once. A stripe lock is not re-entrant.
 */
import { C_OBJ_LOCKS, OBJ_LOCK_STRIPES } from './layout.js';

/** Stripe word index (into the heap's Int32Array) guarding `ref`. */
export function stripeOf(ref: number): number {
  return C_OBJ_LOCKS + ((ref >> 4) & (OBJ_LOCK_STRIPES - 1));
}

/** Take a stripe: one compareExchange when free, brief spin, then sleep on the word. */
export function lockStripe(i32: Int32Array, word: number): void {
  if (Atomics.compareExchange(i32, word, 0, 1) === 0) return;
  for (let spin = 0; spin < 64; spin++) {
    if (Atomics.load(i32, word) === 0 && Atomics.compareExchange(i32, word, 0, 1) === 0) return;
  }
  // "Held with waiters" (2) tells the unlocker to notify; re-mark it every time we wake.
  while (Atomics.exchange(i32, word, 2) !== 0) Atomics.wait(i32, word, 2, 10);
}

export function unlockStripe(i32: Int32Array, word: number): void {
  if (Atomics.exchange(i32, word, 0) === 2) Atomics.notify(i32, word, 1);
}

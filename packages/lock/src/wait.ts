/**
 * Waiting helpers shared by every primitive.
 *
 * Slow paths are written once, as generators that yield `WaitOp`s ("sleep on word `index` while
 * it holds `value`, at most `timeoutMs`") and receive the outcome. `runSync` drives one with
 * `Atomics.wait` (workers, Node main thread); `runAsync` with `Atomics.waitAsync` (threads that
 * must not block, e.g. a browser main thread). So the blocking and async forms cannot drift apart.
 * The GIL's contended take, on the critical path of every hand-off, uses the same idea as a plain
 * step function instead (gil.ts `#raceStep`): generator resumption and allocation were measurable
 * there.
 */

export type WaitOutcome = 'ok' | 'not-equal' | 'timed-out';

export interface WaitOp {
  readonly index: number;
  readonly value: number;
  readonly timeoutMs: number;
}

export type SlowPath<T> = Generator<WaitOp, T, WaitOutcome>;

/** Monotonic milliseconds (performance.now exists in Node >= 16 and in every worker). */
export const now: () => number = () => performance.now();

type WaitAsyncResult =
  | { async: false; value: 'not-equal' | 'timed-out' }
  | { async: true; value: Promise<'ok' | 'timed-out'> };
type WaitAsyncFn = (a: Int32Array, index: number, value: number, timeout?: number) => WaitAsyncResult;

const waitAsyncFn = (Atomics as unknown as { waitAsync?: WaitAsyncFn }).waitAsync;

/** True when `Atomics.waitAsync` exists (Node >= 16, Chrome 87, Safari 16.4, Firefox 145). */
export const hasWaitAsync = typeof waitAsyncFn === 'function';

/**
 * Whether this thread may block in `Atomics.wait` (false on a browser main thread). Probed once
 * with a wait that returns at once ('not-equal').
 */
export const canBlock: boolean = (() => {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
})();

/** Drives a slow path with blocking waits. */
export function runSync<T>(i32: Int32Array, path: SlowPath<T>): T {
  let step = path.next();
  while (!step.done) {
    const op = step.value;
    step = path.next(Atomics.wait(i32, op.index, op.value, op.timeoutMs));
  }
  return step.value;
}

const noop = () => {};
/** setInterval's longest period (2^31 - 1 ms); the timer only has to exist, never to fire. */
const KEEP_ALIVE_MS = 0x7fffffff;

/**
 * `promise`, holding the event loop open until it settles. A pending `Atomics.waitAsync` is not
 * a libuv handle: a Node worker whose only pending work is such a wait (say `await
 * gil.takeAsync()` and nothing else) would see its loop drain and exit with the promise
 * unsettled (exit code 13), still registered as a waiter. A ref'd interval keeps it running.
 * Browsers never end an event loop that way; there the timer is merely unused.
 */
function keepingAlive<T>(promise: Promise<T>): Promise<T> {
  const timer = setInterval(noop, KEEP_ALIVE_MS);
  return promise.finally(() => clearInterval(timer));
}

/** One `Atomics.waitAsync` as a promise of its outcome. */
export async function waitAsync(
  i32: Int32Array,
  index: number,
  value: number,
  timeoutMs: number,
): Promise<WaitOutcome> {
  if (!waitAsyncFn) throw new TypeError('Atomics.waitAsync is not available in this runtime');
  const r = waitAsyncFn(i32, index, value, timeoutMs);
  return r.async ? keepingAlive(r.value) : r.value;
}

/** Drives a slow path with `Atomics.waitAsync`; never blocks the calling thread. */
export async function runAsync<T>(i32: Int32Array, path: SlowPath<T>): Promise<T> {
  if (!waitAsyncFn) throw new TypeError('Atomics.waitAsync is not available in this runtime');
  let step = path.next();
  while (!step.done) {
    const op = step.value;
    const r = waitAsyncFn(i32, op.index, op.value, op.timeoutMs);
    step = path.next(r.async ? await keepingAlive(r.value) : r.value);
  }
  return step.value;
}

/** Milliseconds left until `deadline` (Infinity stays Infinity), never negative. */
export function remaining(deadline: number): number {
  if (deadline === Number.POSITIVE_INFINITY) return deadline;
  const left = deadline - now();
  return Math.max(left, 0);
}

/** Absolute deadline for a timeout in ms. */
export function deadlineOf(timeoutMs: number): number {
  return timeoutMs === Number.POSITIVE_INFINITY ? timeoutMs : now() + timeoutMs;
}

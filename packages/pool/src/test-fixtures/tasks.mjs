// Task functions for the pool tests. Plain JS: workers load them without a TypeScript loader.
import { threadId } from 'node:worker_threads';

let initValue = null;
let calls = 0;

export function square(x) {
  return x * x;
}

export function add(a, b) {
  return a + b;
}

export async function asyncSquare(x) {
  await new Promise((resolve) => setTimeout(resolve, 1));
  return x * x;
}

/** Throws a RangeError for `bad`, else squares. */
export function failOn(x, bad) {
  if (x === bad) throw new RangeError(`bad item ${x}`);
  return x * x;
}

/** Throws for item 13; the stack names this function. */
export function failOn13(x) {
  if (x === 13) explode(x);
  return x * x;
}

function explode(x) {
  const error = new Error(`item ${x} exploded`);
  error.code = 'E_EXPLODED';
  throw error;
}

/** The worker exits (like a process calling sys.exit) on item 500. */
export function exitOn500(x) {
  if (x === 500) process.exit(3);
  return x * x;
}

/** Exits the worker on every call. */
export function exitAlways() {
  process.exit(7);
}

/** Allocates until the worker hits its resourceLimits. */
export function exhaustMemory() {
  const hoard = [];
  for (;;) hoard.push(new Array(100_000).fill(Math.random()));
}

/** Returns the id of the worker that ran it. */
export function whoAmI() {
  return threadId;
}

/** Counts calls in this worker; returns [threadId, count]. */
export function countCalls() {
  calls++;
  return [threadId, calls];
}

export function spinForever() {
  for (;;) {
    // busy: only terminating the worker stops this
  }
}

export function sleepMs(ms) {
  return new Promise((resolve) => setTimeout(() => resolve(ms), ms));
}

/** Blocks the worker thread for `ms` (synchronous, like CPU-bound work). */
export function blockMs(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  return ms;
}

export function init(value) {
  initValue = value;
}

export function getInit() {
  return initValue;
}

export function initFails() {
  throw new TypeError('initializer refused');
}

export function returnsFunction() {
  return () => 1;
}

let counts = null;

/** Initializer: remember the shared run counters (a SharedArrayBuffer crosses by reference). */
export function initCounters(buffer) {
  counts = new Int32Array(buffer);
}

/** Counts each run of item x in shared memory; the worker exits on item 500. */
export function countedExitOn500(x) {
  Atomics.add(counts, x, 1);
  if (x === 500) process.exit(3);
  return x * x;
}

/** Counts runs of x; spins forever on x === -1 (index 0 of the counters). */
export function countedSpinOn(x) {
  Atomics.add(counts, Math.max(x, 0), 1);
  if (x < 0) for (;;) {}
  return x * x;
}

/** Throws a RangeError for items 777, 4321 and 9000. */
export function failOnSome(x) {
  if (x === 777 || x === 4321 || x === 9000) throw new RangeError(`bad item ${x}`);
  return x * x;
}

let board = null;

/** Initializer: a shared board, Int32Array [items done, items to wait for]. */
export function initBoard(buffer) {
  board = new Int32Array(buffer);
}

/**
 * Item -1 blocks its worker until every other item is done (at most 10 s) and reports whether they
 * all got done meanwhile; the other items count themselves done.
 */
export function waitForOthers(x) {
  if (x !== -1) {
    Atomics.add(board, 0, 1);
    Atomics.notify(board, 0);
    return x;
  }
  const deadline = Date.now() + 10_000;
  for (;;) {
    const done = Atomics.load(board, 0);
    if (done >= board[1]) return 'all done';
    if (Date.now() > deadline) return 'stuck';
    Atomics.wait(board, 0, done, 100);
  }
}

/** Barrier on the shared board: arrives, then waits (at most 10 s) until board[1] tasks have arrived. */
export function meetOthers(x) {
  Atomics.add(board, 0, 1);
  Atomics.notify(board, 0);
  const deadline = Date.now() + 10_000;
  for (;;) {
    const arrived = Atomics.load(board, 0);
    if (arrived >= board[1]) return [x, threadId];
    if (Date.now() > deadline) return [x, 'alone'];
    Atomics.wait(board, 0, arrived, 100);
  }
}

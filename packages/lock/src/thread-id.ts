/**
 * Thread identity without top-level `node:` imports (this module also runs in Web Workers).
 *
 * - `currentThreadId()`: a process-wide id for the calling thread, used as the owner of Mutex,
 *   RLock and friends. In Node it is `worker_threads.threadId + 1` (the main thread is 0 there,
 *   and 0 is our "nobody" sentinel), obtained through `process.getBuiltinModule` when available.
 *   Elsewhere it is a random 30-bit value drawn once per thread (collisions between a handful of
 *   threads are about n^2 / 2^31 likely; pass ids explicitly where that matters).
 * - GIL ids are small integers handed out per buffer (see `Gil.threadId`); cached here per
 *   buffer nonce, because the same SharedArrayBuffer received twice is two distinct JS objects.
 */

import { OWNER_MASK } from './layout.js';

let cachedThreadId = 0;

interface NodeProcessLike {
  getBuiltinModule?: (id: string) => unknown;
}

function nodeThreadId(): number | undefined {
  const proc = (globalThis as { process?: NodeProcessLike }).process;
  const mod = proc?.getBuiltinModule?.('node:worker_threads') as { threadId?: number } | undefined;
  return typeof mod?.threadId === 'number' ? mod.threadId : undefined;
}

/** Process-wide id of the calling thread (1..2^30-1); the owner id stored by Mutex and RLock. */
export function currentThreadId(): number {
  if (cachedThreadId !== 0) return cachedThreadId;
  const tid = nodeThreadId();
  if (tid !== undefined) {
    cachedThreadId = (tid + 1) & OWNER_MASK || 1;
  } else {
    const r = new Uint32Array(1);
    globalThis.crypto.getRandomValues(r);
    cachedThreadId = (r[0]! & OWNER_MASK) | 0x1000; // never 0, never a small Node-like id
  }
  return cachedThreadId;
}

/**
 * The id `currentThreadId()` returns inside a Node worker, computed from the parent's `Worker`
 * object; use it to `recover()` locks after that worker exits. Call it while the worker runs
 * (right after `new Worker(...)`): Node sets `worker.threadId` to -1 once the thread has exited.
 */
export function threadIdOfWorker(worker: { threadId: number }): number {
  return (worker.threadId + 1) & OWNER_MASK;
}

const gilIds = new Map<string, number>();

/** Cached GIL thread id of this thread for the GIL named by `nonce`, or 0. */
export function cachedGilId(nonce: string): number {
  return gilIds.get(nonce) ?? 0;
}

export function cacheGilId(nonce: string, id: number): void {
  gilIds.set(nonce, id);
}

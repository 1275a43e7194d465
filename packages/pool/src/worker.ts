/**
 * Worker entry (piscina `filename`). One module instance per worker thread: the "process".
 *
 * Runs the pool's initializer once at load (top-level await, before piscina reports the worker
 * ready), then serves batches. Batches run strictly one after another even when piscina hands the
 * worker several at once (`concurrentTasksPerWorker` > 1 is only for pipelining): a worker is one
 * process running one task at a time, so killing it (timeout, abort) only ever interrupts one chunk.
 */
import { parentPort, threadId, workerData } from 'node:worker_threads';
import {
  S_DONE,
  S_KILLING,
  S_QUEUED,
  S_RUNNING,
  SLOT_WORDS,
  slotViews,
  W_ITEM,
  W_STATE,
  W_THREAD,
} from './layout.js';
import type { BatchAck, ChunkResultMessage, WireBatch, WireError, WorkerConfig } from './protocol.js';
import { NUMERIC_MIN, toWireError } from './protocol.js';
import { loadTask, type TaskFunction } from './worker-tasks.js';

const config = workerData as WorkerConfig;
const { words, startTimes } = slotViews(config.slotBuffer);
const port = parentPort!;

let initError: WireError | undefined;
if (config.initializer !== null) {
  try {
    const init = await loadTask(config.initializer);
    await init(...config.initargs);
  } catch (thrown) {
    initError = toWireError(thrown);
  }
}

/** Chunks completed by this worker (Python's maxtasksperchild counts chunks: one chunk is one task). */
let tasksDone = 0;
let retiring = false;
/** Tail of the batch chain: each batch starts after the previous one settled. */
let tail: Promise<unknown> = Promise.resolve();

/** Blocks this worker until the main thread's terminate() ends it (terminate interrupts Atomics.wait). */
function awaitTermination(base: number): never {
  for (;;) Atomics.wait(words, base + W_STATE, S_KILLING);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

async function runChunk(
  fn: TaskFunction,
  star: boolean,
  slot: number,
  items: ArrayLike<unknown>,
  offset: number,
  size: number,
): Promise<void> {
  const base = slot * SLOT_WORDS;
  const values: unknown[] = [];
  let numeric = size >= NUMERIC_MIN;
  let errors: [number, WireError][] | undefined;
  const trackTime = config.trackTime;
  for (let i = 0; i < size; i++) {
    // Start time before the index: the watchdog reads the index, then the time. A plain store is
    // enough for the index: the main thread reads it after this worker died, or (watchdog) may see
    // it one item late.
    if (trackTime) startTimes[slot] = performance.timeOrigin + performance.now();
    words[base + W_ITEM] = i;
    let value: unknown;
    try {
      const item = items[offset + i];
      value = star ? fn(...(item as unknown[])) : fn(item);
      if (isThenable(value)) value = await value;
    } catch (thrown) {
      (errors ??= []).push([i, toWireError(thrown)]);
      value = undefined;
      numeric = false;
    }
    if (typeof value !== 'number') numeric = false;
    values.push(value);
  }
  // DONE before posting: once the main thread has the result it may reuse the slot, and this worker
  // must not write it after that (see layout.ts). If the main thread marked the chunk KILLING first,
  // it is terminating this worker: start nothing else, just wait for the end.
  if (Atomics.compareExchange(words, base + W_STATE, S_RUNNING, S_DONE) !== S_RUNNING) awaitTermination(base);
  try {
    if (numeric) {
      const packed = Float64Array.from(values as number[]);
      const message: ChunkResultMessage = { gilkitPool: 'chunk', slot, values: packed };
      port.postMessage(message, [packed.buffer]);
    } else {
      const message: ChunkResultMessage =
        errors === undefined
          ? { gilkitPool: 'chunk', slot, values }
          : { gilkitPool: 'chunk', slot, values, errors };
      port.postMessage(message);
    }
  } catch (thrown) {
    // A value that cannot be cloned (a function, a class instance with private state, ...): report
    // it per item instead of losing the chunk.
    const cloneError = toWireError(thrown);
    const all: [number, WireError][] = Array.from({ length: size }, (_, i) => [i, cloneError]);
    port.postMessage({ gilkitPool: 'chunk', slot, values: new Array(size), errors: all });
  }
}

async function runBatch(batch: WireBatch): Promise<BatchAck> {
  if (initError !== undefined) return { threadId, retire: true, initError };
  let fn: TaskFunction | undefined;
  let loadError: WireError | undefined;
  try {
    fn = await loadTask(batch.task);
  } catch (thrown) {
    loadError = toWireError(thrown);
  }
  const max = config.maxTasksPerChild;
  const { slots, sizes, items } = batch;
  for (let c = 0, offset = 0; c < slots.length; offset += sizes[c]!, c++) {
    // After retiring, chunks stay QUEUED: the main thread sends them to another worker.
    if (retiring) break;
    const slot = slots[c]!;
    const size = sizes[c]!;
    const base = slot * SLOT_WORDS;
    Atomics.store(words, base + W_THREAD, threadId);
    // A chunk the main thread cancelled (abort) is skipped; it never runs.
    if (Atomics.compareExchange(words, base + W_STATE, S_QUEUED, S_RUNNING) !== S_QUEUED) continue;
    if (fn === undefined) {
      if (Atomics.compareExchange(words, base + W_STATE, S_RUNNING, S_DONE) !== S_RUNNING)
        awaitTermination(base);
      const errors: [number, WireError][] = Array.from({ length: size }, (_, i) => [i, loadError!]);
      port.postMessage({ gilkitPool: 'chunk', slot, values: new Array(size), errors });
    } else {
      await runChunk(fn, batch.star, slot, items, offset, size);
    }
    tasksDone++;
    if (max > 0 && tasksDone >= max) retiring = true;
  }
  return { threadId, retire: retiring };
}

/** piscina handler: one batch. */
export default function handleBatch(batch: WireBatch): Promise<BatchAck> {
  const run = tail.then(() => runBatch(batch));
  tail = run.catch(() => undefined);
  return run;
}

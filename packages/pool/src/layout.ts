/**
 * Layout of the pool's slot table: one SharedArrayBuffer shared by the main thread and every worker.
 *
 * Every chunk handed to piscina occupies one slot from dispatch until the main thread is done with
 * it. The slot is how the main thread learns, after a worker died, what that worker was doing with
 * each chunk it held: a chunk still QUEUED never started and may be sent to another worker without
 * running twice; a chunk RUNNING or DONE did (part of) its work and is failed, never retried.
 *
 * Int32 words per slot (`SLOT_WORDS`), at `slot * SLOT_WORDS`:
 * - `W_STATE`: one of the `S_*` states. Transitions (who: how):
 *   FREE -> QUEUED (main: plain store before posting the batch),
 *   QUEUED -> RUNNING (worker: compareExchange, so a cancelled chunk is never started),
 *   QUEUED -> CANCELLED (main: compareExchange, on abort or before re-queueing a chunk whose worker died),
 *   RUNNING -> KILLING (main: compareExchange, then it terminates the worker: timeout or abort),
 *   RUNNING -> DONE (worker: compareExchange, *before* posting the chunk's result, so a DONE slot is
 *   never reused while the worker could still write it), any -> FREE (main, when it has settled it).
 *   The two compareExchanges on RUNNING decide a race between a kill and the chunk finishing: if the
 *   main thread wins, the worker posts nothing more and waits to be terminated, so the kill can
 *   never hit the *next* chunk (of another call) that the worker would otherwise have started.
 * - `W_THREAD`: `threadId` of the worker that started the chunk (written before RUNNING).
 * - `W_ITEM`: index inside the chunk of the item being run (worker: store before each item).
 *
 * Float64 per slot in the region after the Int32 words (`startTimeIndex(slot)`): wall-clock start of
 * the current item in ms (`performance.timeOrigin + performance.now()`), written only when the pool
 * has a `taskTimeoutMs`. An aligned 8-byte store is not torn on the platforms Node supports; the main
 * thread only compares it with a timeout, so a stale value delays a kill by one watchdog tick at most.
 */

/** Int32 words per slot. */
export const SLOT_WORDS = 4;
export const W_STATE = 0;
export const W_THREAD = 1;
export const W_ITEM = 2;

export const S_FREE = 0;
export const S_QUEUED = 1;
export const S_RUNNING = 2;
export const S_DONE = 3;
export const S_CANCELLED = 4;
export const S_KILLING = 5;

/** Number of slots: an upper bound on chunks dispatched to piscina and not yet settled. */
export const SLOT_COUNT = 4096;

/** Bytes of the whole table: the Int32 words, then one Float64 per slot. */
export const TABLE_BYTES = SLOT_COUNT * SLOT_WORDS * 4 + SLOT_COUNT * 8;

/** Views over a slot table buffer. */
export interface SlotViews {
  readonly words: Int32Array;
  readonly startTimes: Float64Array;
}

/** Creates the views over `buffer` (a `TABLE_BYTES` SharedArrayBuffer). */
export function slotViews(buffer: SharedArrayBuffer): SlotViews {
  return {
    words: new Int32Array(buffer, 0, SLOT_COUNT * SLOT_WORDS),
    startTimes: new Float64Array(buffer, SLOT_COUNT * SLOT_WORDS * 4, SLOT_COUNT),
  };
}

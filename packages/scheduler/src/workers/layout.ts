/**
 * Shared-memory layout of a WorkerRuntime run: one control buffer of Int32 words, one buffer of
 * lock/event primitives (@gilkit/lock handles at fixed offsets), one trace ring and one output
 * buffer. All workers see the same buffers; indices below are Int32 word indices into CONTROL.
 *
 * Atomicity: every word is read and written with Atomics. Words that only change under the GIL
 * are noted; the rest are updated with Atomics.add/store by whoever owns them.
 */

/** Most threads in one run (ids 1..MAX_THREADS-1). */
export const MAX_THREADS = 128;
/** Most Lock/RLock objects and Events in one run. */
export const MAX_LOCKS = 256;
export const MAX_EVENTS = 256;
export const MAX_CONDITIONS = 256;

/** Next MiniPy thread id to hand out (Atomics.add). Starts at 2: the main thread is 1. */
export const NEXT_THREAD = 0;
/** Next lock / event id (Atomics.add by the thread that creates one). */
export const NEXT_LOCK = 1;
export const NEXT_EVENT = 2;
/** Heap ref of the shared globals dict (written once by the main thread before any thread starts). */
export const GLOBALS_REF = 3;
/**
 * Code ids of the program's code objects (see code-ids.ts): the main thread's first id, count and
 * hash of the code tree; every other worker must assign the same (checked at thread start).
 */
export const CODE_BASE = 4;
export const CODE_COUNT = 9;
export const CODE_HASH = 10;
/** MiniPy id of the last GIL holder (written by each taker under the GIL). */
export const LAST_HOLDER = 6;
/** Bytes used in the output buffer (Atomics.add reserves space; the text follows in OUTPUT). */
export const OUTPUT_USED = 5;
/** Bytes used in the stderr half of the output buffer. */
export const STDERR_USED = 8;
/** Next condition id (Atomics.add). */
export const NEXT_CONDITION = 7;
/** Thread states: THREAD_STATE + id. 0 = not finished, then one of the DONE_* codes. */
export const THREAD_STATE = 16;
export const DONE_OK = 1;
export const DONE_EXCEPTION = 2;
export const DONE_CRASHED = 3;
/** @gilkit/lock thread id each MiniPy thread has on the GIL buffer (for owner-death recovery). */
export const GIL_ID = THREAD_STATE + MAX_THREADS;
/** MiniPy thread id for each GIL thread id (hand-off events name the previous holder). */
export const THREAD_OF_GIL_ID = GIL_ID + MAX_THREADS;
/**
 * WAIT_SINCE + id: when thread `id` started waiting for the GIL (run clock, microseconds + 1;
 * 0 = not waiting). The holder that sees a drop request names the longest waiter as its requester.
 */
export const WAIT_SINCE = THREAD_OF_GIL_ID + 256;
/** LOCK_KIND + id: 1 = Lock (Mutex), 2 = RLock; 0 = no such lock. Written after the lock is initialized. */
export const LOCK_KIND = WAIT_SINCE + MAX_THREADS;
export const LOCK_MUTEX = 1;
export const LOCK_RLOCK = 2;
/** EVENT_MADE + id: 1 once the event is initialized. */
export const EVENT_MADE = LOCK_KIND + MAX_LOCKS;
/** CONDITION_LOCK + id: the condition's lock id + 1 (0 = no such condition). */
export const CONDITION_LOCK = EVENT_MADE + MAX_EVENTS;
/**
 * Stop-the-world of the shared heap without a GIL (stop-the-world.ts): STW_REQUEST holds the
 * MiniPy id of the thread that stops the world (0 = none); ATTACHED counts threads using the heap
 * (running bytecode, not blocked in the host); ATTACHED_STATE + id is 1 while thread `id` is
 * counted there (the coordinator uncounts a thread whose worker died).
 */
export const STW_REQUEST = 11;
export const ATTACHED = 12;
export const ATTACHED_STATE = CONDITION_LOCK + MAX_CONDITIONS;
export const CONTROL_WORDS = ATTACHED_STATE + MAX_THREADS;

/** Trace ring: word 0 = next entry index (Atomics.add); entries of ENTRY_WORDS Int32 after HEADER_WORDS. */
export const RING_HEADER_WORDS = 4;
/** Entry: [kind, thread, arg1, arg2, time (Float64 as two words)]. */
export const ENTRY_WORDS = 6;
export const RING_ENTRIES = 1 << 18;

/** Ring entry kinds: state changes use the TraceState index, events follow. */
export const K_STATE = 1;
export const K_EVENT = 2;
export const K_END = 3;

/** Output buffer size in bytes (UTF-8): stdout in the first half, stderr in the second. */
export const OUTPUT_BYTES = 4 << 20;
export const STREAM_BYTES = OUTPUT_BYTES / 2;

/**
 * Shared-memory layouts of every object in this package, as named constants.
 *
 * Everything is an index into an `Int32Array` over a `SharedArrayBuffer` unless marked otherwise.
 * For each word: meaning, units, sentinel, atomicity and who writes it. "holder-only" means only
 * the thread that currently holds the lock writes the word, so plain (non-atomic) read-modify-write
 * is race-free: the seq-cst `Atomics` operations that take and release the lock order those plain
 * accesses (this is what `gil->mutex` does for `switch_number` in CPython).
 */

// ---------------------------------------------------------------------------------------------
// Gil
// ---------------------------------------------------------------------------------------------

/** 'GIL1' in ASCII. Written once by `Gil.create`; `Gil.from` refuses a buffer without it. */
export const GIL_MAGIC = 0x47494c31;
/** Layout version; bump when any index below changes meaning. */
export const GIL_VERSION = 4;
/**
 * Thread ids are small integers 1..GIL_MAX_THREADS-1 handed out from `NEXT_THREAD_ID`; 0 means
 * "nobody". Bounded so that per-thread words (`THREAD_STATE`) and the fifo queue fit the buffer.
 */
export const GIL_MAX_THREADS = 256;

// Words 0-15 share one 64-byte cache line and hold what a hand-off writes most: the lock, its
// protocol words and the counters the new holder bumps. Words written once at creation (or
// rarely), the interval and the RELEASE_AT stamp live in the next line; the threads' own
// THREAD_STATE words after that. Fewer lines bouncing between cores per hand-off is measurably
// faster.

/** Word 0: magic, `GIL_MAGIC`. Written once at creation, last (it publishes the rest). */
export const MAGIC = 0;
/**
 * Word 1: the lock itself, CPython's `locked` merged with the owner and the waiters:
 *   bits 0-7 (GIL_HOLDER_MASK)      id of the holder, 0 when free
 *   bits 8-15 (GIL_WAITER_COUNT)    `cpython`/`legacy`: threads registered as waiting in `take`
 *   bits 16-31 (GIL_RELEASE_SEQ)    `cpython`/`legacy`: release sequence
 *   bit 30 (GIL_HAS_WAITERS)        `fifo` only: the queue is not empty, the release must hand on
 * A thread takes a GIL whose holder bits are 0 with a compareExchange that adds its id; the
 * holder releases without waking anyone by a compareExchange that subtracts it, when no waiter
 * is counted (and, under `fifo`, no queue bit is set): that fails exactly when the release has
 * work to do or the caller is not the holder. Under `cpython`/`legacy` a waiter registers by
 * adding GIL_WAITER_UNIT and sleeps on this word; it takes a free GIL with one compareExchange
 * that adds its id and subtracts its unit; a contended release adds GIL_RELEASE_UNIT minus the
 * holder's id and notifies (a yield adds its own waiter unit in the same instruction). So
 * registering, releasing and taking each cost one atomic instruction. Under `fifo` a release with
 * queued waiters stores the next waiter's id (with the bit) instead; fifo waiters sleep on their
 * THREAD_STATE words.
 */
export const STATE = 1;
/** `fifo` waiters bit of STATE (ids are < GIL_MAX_THREADS, far below it). */
export const GIL_HAS_WAITERS = 0x40000000;
/** Mask of the holder id in STATE (ids are < GIL_MAX_THREADS = 256). */
export const GIL_HOLDER_MASK = 0xff;
/** Position and unit of the `cpython`/`legacy` waiter count in STATE. */
export const GIL_WAITER_SHIFT = 8;
export const GIL_WAITER_UNIT = 1 << GIL_WAITER_SHIFT;
/** Mask of the waiter count in STATE (at most GIL_MAX_THREADS - 1 threads). */
export const GIL_WAITER_COUNT = 0xff << GIL_WAITER_SHIFT;
/**
 * `cpython`/`legacy`: release sequence in STATE, bits 16-31 (uint16, wraps; it overlaps
 * GIL_HAS_WAITERS, which only `fifo` uses): advanced by every release that found waiters, and by
 * `recover`. Waiters sleep on STATE itself; the sequence keeps a release from restoring a value a
 * waiter read before it (free -> B -> free).
 */
export const GIL_RELEASE_UNIT = 1 << 16;
export const GIL_RELEASE_SEQ = 0xffff0000 | 0;
/**
 * Word 2: CPython's `last_holder`: id of the thread that holds or last held the GIL; 0 before the
 * first take. Written by the new holder right after it took the lock (only when it changes), with
 * an exchange. Futex word of forced switching in `drop()`: a dropper with a pending drop request
 * that is still the last holder adds LAST_HOLDER_SWITCH_WAITER (compareExchange) and sleeps
 * here; the taker's exchange returns the mark and it notifies (CPython's switch_cond). Readers
 * mask with GIL_HOLDER_MASK.
 */
export const LAST_HOLDER = 2;
/** Mark in LAST_HOLDER: its thread sleeps in `drop()` until another thread takes the GIL. */
export const LAST_HOLDER_SWITCH_WAITER = 0x40000000;
/**
 * Word 3: CPython's `switch_number`: hand-offs to a different thread since creation (uint32,
 * wraps). Holder-only writes: a plain store followed at once by the exchange of LAST_HOLDER,
 * which publishes it (waiters read it with Atomics.load; an aligned Int32 read never tears, and a
 * value a few nanoseconds old is fine). Its main job is to let a timed-out waiter see that no switch happened during its wait.
 */
export const SWITCH_NUMBER = 3;
/**
 * Word 4: `gil_drop_request`, the eval breaker: 1 = the holder is asked to drop the GIL at its next
 * check, 0 = not. Set (atomically) by a waiter whose interval-long wait timed out with no switch,
 * or by `requestDrop()`; cleared by the next taker and by a forced-switching dropper.
 */
export const DROP_REQUEST = 4;
/**
 * Word 5: forced switches counted by yielders (holder-only, uint32): a `yield()` under a drop
 * request that got the GIL back after another thread had taken it adds one here when it retakes,
 * so that count costs no atomic instruction. `stats().forcedSwitches` is this plus
 * STAT_FORCED_SWITCHES (drops outside `yield()`, counted by non-holders with atomic adds).
 */
export const STAT_FORCED_YIELDS = 5;
/**
 * Word 6: `fifo` only: threads queued (changed under QUEUE_LOCK). The other policies count their
 * waiters in STATE (GIL_WAITER_COUNT).
 */
export const WAITERS = 6;
/** Word 7: unused (was RELEASE_SEQ before layout version 4; see GIL_RELEASE_SEQ). */
/** Word 8: unused (was SWITCH_WAITERS before layout version 4; see LAST_HOLDER_SWITCH_WAITER). */
/** Words 9-10: takes (holder-only; lo word wraps into hi). */
export const STAT_TAKES_LO = 9;
export const STAT_TAKES_HI = 10;
/** Word 11: takes that had to wait (holder-only, uint32). */
export const STAT_CONTENDED = 11;
/** Word 12: drop requests set (atomic add by waiters and `requestDrop`, uint32). */
export const STAT_DROP_REQUESTS = 12;
/**
 * Word 13: forced switches of plain `drop()`s: drops made under a drop request that ended with
 * another holder (atomic add by the dropper, which no longer holds the GIL). See STAT_FORCED_YIELDS.
 */
export const STAT_FORCED_SWITCHES = 13;
/**
 * Words 14-15: total time spent waiting in `take`, microseconds (holder-only; lo wraps into hi).
 * A contended take adds `end - start`, both on the GIL clock (RELEASE_AT below): `start` is when
 * it began to wait (a yielder's own release stamp, otherwise one clock read before its first
 * sleep) and `end` is the RELEASE_AT stamp of the release that let it in, so the one clock read a
 * hand-off costs is the releaser's, taken while it still holds the lock; the waker's stamp ends
 * the waiter's wait and, in `yield()`, starts the releaser's own. Not counted: the scheduler's
 * wake-up latency after that release. A waiter that slept and got in with no stamp newer than its
 * start (a free GIL found on a re-check, a yielder retaking after the others left) reads the clock
 * itself. `recover` stamps for the dead holder.
 */
export const STAT_WAIT_US_LO = 14;
export const STAT_WAIT_US_HI = 15;

/** Word 16: layout version, `GIL_VERSION`. Written once at creation. */
export const VERSION = 16;
/** Word 17: policy code (`GilPolicy.code`). Written once at creation. */
export const POLICY = 17;
/** Word 18: `legacy` ticks per forced release (> 0), 0 for other policies. Written once. */
export const TICKS = 18;
/** Word 19: last thread id handed out (atomic add); ids start at 1. */
export const NEXT_THREAD_ID = 19;
/** Words 20-21: random 64-bit nonce naming this buffer, so a thread caches one id per GIL. */
export const NONCE_LO = 20;
export const NONCE_HI = 21;
/**
 * Word 22: fifo queue lock: 0 free, 1 held, 2 held with waiters. Guards QUEUE_HEAD, the QUEUE
 * ring, WAITERS changes and the TS_QUEUED/TS_HANDED transitions under `fifo`.
 */
export const QUEUE_LOCK = 22;
/** Word 23: fifo queue head slot index (0..GIL_MAX_THREADS-1). Guarded by QUEUE_LOCK. */
export const QUEUE_HEAD = 23;
/** Word 24: owner deaths recovered by `recover()` (atomic add). */
export const STAT_OWNER_DEATHS = 24;
/**
 * Word 25: switch interval in microseconds (the public API uses milliseconds), >= 1. Written by
 * `setSwitchInterval` (atomic store), read before each timed wait; outside the hand-off line
 * (words 0-15), where a holder-only counter needs the room, and next to RELEASE_AT, which the
 * same releases write.
 */
export const INTERVAL_US = 25;
/**
 * Words 26-27, read as Float64 index `RELEASE_AT_F64` (byte offset 104): GIL-clock time (ms) of
 * the last contended release (one that found the waiters bit). Holder-only: written by the
 * releaser right before the store that frees STATE, so a taker whose compareExchange saw that
 * store also sees the stamp. The GIL clock is `performance.timeOrigin + performance.now()` minus
 * CLOCK_ORIGIN, so stamps from different threads share one time line (up to the few-microsecond
 * skew between threads' time origins; wait times are clamped at 0).
 */
export const RELEASE_AT_F64 = 13;
/**
 * Words 28-29, Float64 index `CLOCK_ORIGIN_F64`: `performance.timeOrigin` of the creating thread,
 * the epoch of the GIL clock (keeps stamps small, so a double holds them to the nanosecond).
 * Written once at creation.
 */
export const CLOCK_ORIGIN_F64 = 14;
/**
 * Words 32..32+GIL_MAX_THREADS-1: per-thread state, indexed by thread id; also the private futex
 * word a `fifo` waiter sleeps on. Values `TS_*` below.
 */
export const THREAD_STATE = 32;
/** Thread is not waiting. */
export const TS_IDLE = 0;
/** Thread is registered in WAITERS (cpython/legacy); cleared by itself or by `recover`. */
export const TS_WAITING = 1;
/** Thread sits in the fifo queue. */
export const TS_QUEUED = 2;
/** The fifo dropper handed the lock to this thread (STATE already holds its id). */
export const TS_HANDED = 3;
/** Words QUEUE..QUEUE+GIL_MAX_THREADS-1: fifo ring of waiting thread ids (guarded by QUEUE_LOCK). */
export const QUEUE = THREAD_STATE + GIL_MAX_THREADS;
/** Total words / bytes of a GIL buffer. `Gil.from` checks the byte length exactly. */
export const GIL_WORDS = QUEUE + GIL_MAX_THREADS;
export const GIL_BYTES = GIL_WORDS * 4;

// ---------------------------------------------------------------------------------------------
// Threading primitives. Each occupies a few Int32 words at a 4-byte aligned byteOffset of any
// SharedArrayBuffer; word 0 is a type tag so attaching to the wrong thing fails loudly.
// ---------------------------------------------------------------------------------------------

/** Owner ids of primitives (`currentThreadId()`) are < 2^30; bit 30 marks "locked, has waiters". */
export const OWNER_MASK = 0x3fffffff;
export const HAS_WAITERS = 0x40000000;

/** Tag words ('MUTX', 'RLCK', 'COND', 'SEMA', 'EVNT'). Written by `X.init`/`X.create`. */
export const TAG_MUTEX = 0x4d555458;
export const TAG_RLOCK = 0x524c434b;
export const TAG_CONDITION = 0x434f4e44;
export const TAG_SEMAPHORE = 0x53454d41;
export const TAG_EVENT = 0x45564e54;

/** Mutex words. */
export const MUTEX_TAG = 0;
/**
 * Three-state futex word carrying the owner: 0 unlocked; `owner` locked, no waiters;
 * `owner | HAS_WAITERS` locked and someone may sleep here (so `unlock` must notify).
 */
export const MUTEX_STATE = 1;
/** 1 after `recover()` freed the lock of a dead owner; consumed by the next successful lock. */
export const MUTEX_OWNER_DIED = 2;
/** RLock only: recursion depth, owner-only writes. Unused (0) for Mutex. */
export const MUTEX_COUNT = 3;
export const MUTEX_BYTES = 16;

/** Condition words: tag and a wake-up sequence number (futex word, atomic add by notifiers). */
export const COND_TAG = 0;
export const COND_SEQ = 1;
/** Waiters currently inside `wait` (so `notify` can skip the syscall and report counts). */
export const COND_WAITERS = 2;
export const COND_BYTES = 16;

/** Semaphore words: tag, value (futex word, >= 0), waiters, bound (-1 = unbounded). */
export const SEM_TAG = 0;
export const SEM_VALUE = 1;
export const SEM_WAITERS = 2;
export const SEM_BOUND = 3;
export const SEM_BYTES = 16;

/** Event words: tag, flag (futex word: 0 clear, 1 set). */
export const EVENT_TAG = 0;
export const EVENT_FLAG = 1;
export const EVENT_BYTES = 8;

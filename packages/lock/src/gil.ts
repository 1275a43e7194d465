/*
   Notes about the implementation (after CPython's Python/ceval_gil.c):

   - The GIL is one Int32 word, STATE, in a SharedArrayBuffer: the id of the thread holding it
     (0 when free) plus, under `cpython`/`legacy`, the number of threads waiting for it (under
     `fifo`, a waiters bit; layout.ts STATE). Taking it is a compareExchange that puts an id into
     a word with no holder; dropping it a compareExchange that takes the id out again. That one
     instruction both checks ownership and tells whether anyone must be woken: it fails only if
     the caller is not the holder (RuntimeError, state untouched) or waiters exist (the slow
     path). CPython guards a `locked` boolean with a mutex
     and a condition variable; here one word is the lock and waiters sleep with Atomics.wait
     (next note). An uncontended take + drop is two atomic instructions and never calls
     Atomics.notify.

   - A waiter registers by adding one to the count in STATE (and marks its THREAD_STATE word),
     then looks at STATE; if the GIL is held it sleeps on STATE with the value it read. A
     contended release adds one to the release sequence in STATE's high bits and subtracts the
     holder's id in a single atomic add (the count stays), then notifies one sleeper. A waiter
     takes a free GIL with one compareExchange that adds its id and removes its count. The
     sequence is what makes sleeping on STATE safe: without it STATE could go free -> B -> free
     between a waiter's read and its sleep, and the waiter would sleep through B's release. So
     registering, releasing and taking are one atomic instruction each: in V8 every Atomics call
     is a builtin call, and on the reference VM each cost 25-50 ns on the hand-off path, where
     the profile showed them as the largest part of the GIL's cost over a bare ping-pong. A
     newcomer that finds the GIL free while others wait takes it at once without registering,
     as CPython's take_gil does. The uncontended take and drop are still one compareExchange
     each: they guess STATE (as this thread last saw it free) instead of reading it.
     Waiters sleep at once, like CPython's condition variable: a spin before sleeping makes a
     hand-off between two threads on one CPU an order of magnitude slower (README, "Benchmarks").

   - The holder must be able to release the GIL on demand: DROP_REQUEST (CPython's
     gil_drop_request, which also sets the eval breaker) is read by `dropRequested()` at every
     eval-breaker check of the interpreter: backward jumps, function entry, calls. It costs exactly
     one Atomics.load.

   - A thread wanting the GIL first lets one switch interval (INTERVAL_US, microseconds) pass in a
     timed wait. If the wait timed out, the GIL is still held and SWITCH_NUMBER did not move, no
     hand-off happened during a whole interval: it sets DROP_REQUEST. This encourages a defined
     switching period but does not enforce it: the holder only looks at the flag at its checks.
     A wake-up (by a release) starts a fresh interval, as a signalled condvar does in CPython.

   - Forced switching (policy.forceSwitching, `cpython`): when a thread drops the GIL while
     DROP_REQUEST is set, it clears the request and waits on LAST_HOLDER until that word is no
     longer its own id, i.e. until another thread took the GIL (CPython's switch_cond; it marks
     LAST_HOLDER first, and the taker, which exchanges LAST_HOLDER, notifies only if it was
     marked). Without this, on a multicore machine the dropper, still running, would re-take the
     lock before the woken waiter got scheduled, making timeslices far longer than the interval.
     Unlike CPython, waiters can give up (`take({timeoutMs})`) or die, so the dropper only waits
     while the waiter count is > 0 and re-checks every interval. `yield()` (drop then take, what
     the eval loop does on a drop request) fuses the two waits: one atomic add registers it as a
     waiter and releases, and it sleeps once, until the thread that took over releases again; it
     never takes the GIL while LAST_HOLDER is still itself. It leaves the drop request for the
     next holder to clear, and counts its forced switch itself once it has the GIL back
     (holder-only, layout.ts STAT_FORCED_YIELDS).

   - SWITCH_NUMBER and LAST_HOLDER are written only by the thread that just took the GIL, and only
     when the holder changes: the uncontended same-thread path writes neither.

   - Wait time (`stats().waitTimeMs`) costs one clock read per hand-off, not two. A contended
     release stamps RELEASE_AT (a GIL-wide clock: performance.timeOrigin + performance.now(), so
     stamps of different threads compare) while it still holds the lock; that stamp ends the wait
     of the thread it lets in, and in `yield()` it also starts the releaser's own wait. A plain
     `take()` reads the clock once before it first sleeps (it holds nothing then, so that read is
     off every hand-off's path). The scheduler's wake-up latency after the release is therefore
     not counted: wait time is a statistic, and every clock read on the hand-off path is
     measurable on the reference VM (caches are cold after a sleep).

   - `yield()`'s fused forced switch sleeps straight after its notify, with the STATE value its
     own release produced: anything it does first competes for the CPU with the thread it
     just woke. The sleep stays timed (one interval): a waiter must wake after an interval to ask
     for a drop (CPython's timed wait in take_gil); an untimed sleep here would be a little
     faster in the benchmark and would break the switching (tried; the forced-switch test fails).

   - `legacy` (Python 2): no drop requests; `dropRequested()` counts down `ticks` checks and the
     holder releases and re-takes; whoever wins the compareExchange gets it, usually the releaser.

   - `fifo`: waiters queue in arrival order (a ring guarded by QUEUE_LOCK) and each sleeps on its
     own THREAD_STATE word. An enqueuer sets the waiters bit under QUEUE_LOCK before queueing, so
     the holder's compareExchange id -> 0 fails and its release takes the slow path, which does
     not free STATE but stores the head waiter's id into it and wakes only that thread. So STATE
     is never 0 while the queue is non-empty, and a newcomer's fast-path compareExchange 0 -> id
     cannot jump the queue.

   - Owner death: a holder that dies leaves its id in STATE. Whoever owns the worker calls
     `recover(deadId)`: it frees (or hands on) the GIL, withdraws the dead thread's waiting
     registration, and counts an owner death.

   - Thread ids are small integers handed out from NEXT_THREAD_ID, one per thread per buffer,
     cached per buffer nonce (thread-id.ts); the scheduler and heap index arrays with them.
*/

import { checkInterval, checkTimeout, InvalidHandleError, RuntimeError, ValueError } from './errors.js';
import {
  CLOCK_ORIGIN_F64,
  DROP_REQUEST,
  GIL_BYTES,
  GIL_HAS_WAITERS,
  GIL_HOLDER_MASK,
  GIL_MAGIC,
  GIL_MAX_THREADS,
  GIL_RELEASE_SEQ,
  GIL_RELEASE_UNIT,
  GIL_VERSION,
  GIL_WAITER_COUNT,
  GIL_WAITER_SHIFT,
  GIL_WAITER_UNIT,
  INTERVAL_US,
  LAST_HOLDER,
  LAST_HOLDER_SWITCH_WAITER,
  MAGIC,
  NEXT_THREAD_ID,
  NONCE_HI,
  NONCE_LO,
  POLICY,
  QUEUE,
  QUEUE_HEAD,
  QUEUE_LOCK,
  RELEASE_AT_F64,
  STAT_CONTENDED,
  STAT_DROP_REQUESTS,
  STAT_FORCED_SWITCHES,
  STAT_FORCED_YIELDS,
  STAT_OWNER_DEATHS,
  STAT_TAKES_HI,
  STAT_TAKES_LO,
  STAT_WAIT_US_HI,
  STAT_WAIT_US_LO,
  STATE,
  SWITCH_NUMBER,
  THREAD_STATE,
  TICKS,
  TS_HANDED,
  TS_IDLE,
  TS_QUEUED,
  TS_WAITING,
  VERSION,
  WAITERS,
} from './layout.js';
import { type GilPolicy, type PolicyName, policyFromCode, resolvePolicy } from './policy.js';
import { cachedGilId, cacheGilId } from './thread-id.js';
import {
  canBlock,
  deadlineOf,
  remaining,
  runAsync,
  runSync,
  type SlowPath,
  type WaitOutcome,
  waitAsync,
} from './wait.js';

/** Options of `Gil.create`. */
export interface GilOptions {
  /** Switch interval in milliseconds (CPython: `sys.setswitchinterval`, default 5 ms). */
  switchIntervalMs?: number;
  /** Policy by name or value (`cpython` by default). */
  policy?: PolicyName | GilPolicy;
}

/** Options of `take`. */
export interface TakeOptions {
  /** Give up after this many milliseconds and return false (default: wait forever). */
  timeoutMs?: number;
}

/** Counters kept in shared memory (see layout.ts for who writes which). */
export interface GilStats {
  /** Successful takes. */
  takes: number;
  /** Takes that had to wait. */
  contendedTakes: number;
  /** Times a waiter (or `requestDrop`) set the drop request. */
  dropRequests: number;
  /** Drops made under a drop request after which another thread took the GIL. */
  forcedSwitches: number;
  /** Hand-offs to a different thread (CPython's `switch_number`). */
  switches: number;
  /**
   * Total time threads spent waiting in `take`, milliseconds: each contended take adds the time
   * from when it started waiting to the release that let it in (the scheduler's wake-up latency
   * after that release is not counted; see layout.ts `STAT_WAIT_US_LO`).
   */
  waitTimeMs: number;
  /** Holders that died and were recovered with `recover`. */
  ownerDeaths: number;
}

const DEFAULT_INTERVAL_MS = 5;

/** performance.now without the global `performance` lookup (a getter in Node) on every call. */
const perfNow: () => number = performance.now.bind(performance);

/** Results of `#raceStep`. */
const RACE_WAIT = 0;
const RACE_TAKEN = 1;
const RACE_GAVE_UP = 2;

/** One contended take under `cpython`/`legacy` in progress (see `#raceStep`). */
interface RaceWait {
  id: number;
  /** GIL-clock time when the wait started (wait-time counter, see layout.ts STAT_WAIT_US_LO). */
  start: number;
  /** Whether the driver slept at least once (a take on the first look waited ~0). */
  slept: boolean;
  deadline: number;
  /** Forced switching: our own id until another thread has taken the GIL, then 0. */
  switchFrom: number;
  /** Another thread took the GIL after our forced-switching yield: count it once we retake. */
  forced: boolean;
  /** The sleep the driver must do: on `index` while it holds `value`, at most `timeoutMs`. */
  index: number;
  value: number;
  timeoutMs: number;
  /** After a regular (interval) sleep: judge its outcome for a drop request. */
  judge: boolean;
  full: boolean;
  saved: number;
}
function newRaceWait(): RaceWait {
  return {
    id: 0,
    start: 0,
    slept: false,
    deadline: 0,
    switchFrom: 0,
    forced: false,
    index: STATE,
    value: 0,
    timeoutMs: 0,
    judge: false,
    full: false,
    saved: 0,
  };
}

/** Spins on the fifo queue lock before sleeping: its critical sections are a few stores long. */
const QUEUE_SPINS = 100;

function releaseUnlocked(): RuntimeError {
  return new RuntimeError('release unlocked lock: this thread does not hold the GIL', 'ERR_RELEASE_UNLOCKED');
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return (
    v !== null &&
    (typeof v === 'object' || typeof v === 'function') &&
    typeof (v as { then?: unknown }).then === 'function'
  );
}

/**
 * A Global Interpreter Lock over a SharedArrayBuffer. Create it once with `Gil.create`, send
 * `gil.buffer` to other workers and rebuild a handle there with `Gil.from(buffer)`.
 */
export class Gil {
  /** The shared state; post it to other threads. */
  readonly buffer: SharedArrayBuffer;
  /** The policy stored in the buffer. */
  readonly policy: GilPolicy;
  /** This thread's small GIL id (1..255), the value `holder()` reports while it holds the GIL. */
  readonly threadId: number;
  readonly #s: Int32Array;
  /** The same buffer as doubles, for the GIL-clock words (RELEASE_AT_F64). */
  readonly #f: Float64Array;
  /** This thread's offset from performance.now() to the GIL clock (layout.ts CLOCK_ORIGIN_F64). */
  readonly #clockBase: number;
  readonly #fifo: boolean;
  /**
   * A guess that lets the uncontended take and drop be one compareExchange each, with no read of
   * STATE first (its release sequence makes "free" more than one value): STATE as this thread
   * last saw it free. Take expects it and stores it plus our id; drop expects that and restores
   * it. A wrong guess costs one failed compareExchange, which returns the real value.
   */
  #freeGuess = 0;
  /** GIL-clock stamp of this thread's last contended release (`#releaseRace`). */
  #releasedAt = 0;
  /** STATE as this thread's last contended release found it (`#releaseRace`). */
  #releasedState = 0;
  /**
   * The state of this thread's blocking contended takes, reused: a blocking take cannot overlap
   * another in the same thread, and one allocation per hand-off showed up in the profile.
   * Async takes (which can overlap) allocate their own.
   */
  readonly #syncWait: RaceWait = newRaceWait();

  /**
   * The one word {@link dropRequested} reads, as a one-element view (CPython's eval_breaker): an
   * eval loop may test it inline (`word[0] !== 0`, a relaxed read as CPython's, or `Atomics.load`)
   * and call `dropRequested()` only when it is set.
   * Undefined under `legacy`, whose checks also count ticks.
   */
  readonly dropRequestWord: Int32Array | undefined;

  private constructor(buffer: SharedArrayBuffer, policy: GilPolicy) {
    this.buffer = buffer;
    this.policy = policy;
    this.#s = new Int32Array(buffer);
    this.dropRequestWord = policy.ticks > 0 ? undefined : new Int32Array(buffer, DROP_REQUEST * 4, 1);
    this.#f = new Float64Array(buffer);
    this.#clockBase = performance.timeOrigin - this.#f[CLOCK_ORIGIN_F64]!;
    this.#fifo = policy.handoff === 'fifo';
    this.threadId = this.#registerThread();
    if (policy.ticks > 0) {
      // legacy: Python 2's tick counter, kept per handle (one thread uses a handle). The one
      // Atomics.load keeps `requestDrop()` working under this policy too.
      const s = this.#s;
      const ticks = policy.ticks;
      let left = ticks;
      this.dropRequested = () => {
        if (Atomics.load(s, DROP_REQUEST) !== 0) return true;
        if (--left > 0) return false;
        left = ticks;
        return true;
      };
    }
  }

  /** Makes a new GIL whose whole state lives in `gil.buffer`; the calling thread does not hold it. */
  static create(options: GilOptions = {}): Gil {
    const intervalMs = options.switchIntervalMs ?? DEFAULT_INTERVAL_MS;
    checkInterval(intervalMs);
    const policy = resolvePolicy(options.policy);
    const buffer = new SharedArrayBuffer(GIL_BYTES);
    const s = new Int32Array(buffer);
    const nonce = new Int32Array(2);
    globalThis.crypto.getRandomValues(nonce);
    s[VERSION] = GIL_VERSION;
    s[INTERVAL_US] = intervalToUs(intervalMs);
    s[POLICY] = policy.code;
    s[TICKS] = policy.ticks;
    s[NONCE_LO] = nonce[0]!;
    s[NONCE_HI] = nonce[1]!;
    new Float64Array(buffer)[CLOCK_ORIGIN_F64] = performance.timeOrigin;
    // Magic last: a buffer with the magic word is fully initialised.
    Atomics.store(s, MAGIC, GIL_MAGIC);
    return new Gil(buffer, policy);
  }

  /** Rebuilds a handle on an existing GIL (in any thread) from its buffer; validates it first. */
  static from(buffer: SharedArrayBuffer): Gil {
    if (typeof SharedArrayBuffer === 'undefined' || !(buffer instanceof SharedArrayBuffer)) {
      throw new InvalidHandleError('Gil.from(buffer): buffer must be a SharedArrayBuffer made by Gil.create');
    }
    if (buffer.byteLength !== GIL_BYTES) {
      throw new InvalidHandleError(
        `Gil.from(buffer): not a GIL buffer: expected ${GIL_BYTES} bytes, got ${buffer.byteLength}`,
      );
    }
    const s = new Int32Array(buffer);
    if (Atomics.load(s, MAGIC) !== GIL_MAGIC) {
      throw new InvalidHandleError('Gil.from(buffer): not a GIL buffer (bad magic word)');
    }
    if (s[VERSION] !== GIL_VERSION) {
      throw new InvalidHandleError(
        `Gil.from(buffer): GIL layout version ${s[VERSION]}, expected ${GIL_VERSION}`,
      );
    }
    return new Gil(buffer, policyFromCode(s[POLICY]!, s[TICKS]!));
  }

  #registerThread(): number {
    const s = this.#s;
    const nonce = `${s[NONCE_LO]}:${s[NONCE_HI]}`;
    const cached = cachedGilId(nonce);
    if (cached !== 0) return cached;
    const id = Atomics.add(s, NEXT_THREAD_ID, 1) + 1;
    if (id >= GIL_MAX_THREADS) {
      throw new RuntimeError(
        `too many threads for one GIL (at most ${GIL_MAX_THREADS - 1} ids per buffer)`,
        'ERR_TOO_MANY_THREADS',
      );
    }
    cacheGilId(nonce, id);
    return id;
  }

  // -------------------------------------------------------------------------------------------
  // take / drop
  // -------------------------------------------------------------------------------------------

  /**
   * Takes the GIL for the calling thread, blocking until it is free (CPython's `take_gil`).
   * Returns false only when `timeoutMs` elapsed first. Throws `RuntimeError` (ERR_DEADLOCK) if
   * this thread already holds it.
   */
  take(options?: TakeOptions): boolean {
    const s = this.#s;
    const id = this.threadId;
    // Validate before the fast path too: bad input is an error even when the GIL is free.
    const timeoutMs = options === undefined ? Number.POSITIVE_INFINITY : checkTimeout(options.timeoutMs);
    if (this.#takeFree(s, id)) {
      this.#acquired(s, id);
      return true;
    }
    this.#checkNotHeld(s);
    return this.#fifo ? runSync(s, this.#takeFifo(s, id, timeoutMs)) : this.#takeRaceSync(s, id, timeoutMs);
  }

  /** `take` for threads that must not block (a browser main thread): waits with Atomics.waitAsync. */
  async takeAsync(options?: TakeOptions): Promise<boolean> {
    const s = this.#s;
    const id = this.threadId;
    const timeoutMs = checkTimeout(options?.timeoutMs);
    if (this.#takeFree(s, id)) {
      this.#acquired(s, id);
      return true;
    }
    this.#checkNotHeld(s);
    return this.#fifo ? runAsync(s, this.#takeFifo(s, id, timeoutMs)) : this.#takeRaceAsync(s, id, timeoutMs);
  }

  /**
   * Drops the GIL (CPython's `drop_gil`). Under `cpython`, if a drop request is pending and
   * someone waits, blocks until another thread has taken the GIL (forced switching). Throws
   * `RuntimeError` ("release unlocked lock") if this thread does not hold it; state is unchanged.
   */
  drop(): void {
    const s = this.#s;
    const id = this.threadId;
    // Fast path: STATE is still what our take left (our id, no waiter counted, no fifo queue
    // bit, the release sequence as it was): put back the free value, nobody to wake.
    const free = this.#freeGuess;
    if ((free & GIL_WAITER_COUNT) !== 0 || Atomics.compareExchange(s, STATE, free + id, free) !== free + id) {
      this.#dropSlow(s, id);
    }
  }

  /**
   * The eval-breaker read: true when the holder should drop the GIL at this check. Exactly one
   * Atomics.load (plus, under `legacy`, a local tick countdown).
   */
  dropRequested(): boolean {
    return Atomics.load(this.#s, DROP_REQUEST) !== 0;
  }

  /** Drops and re-takes the GIL, honouring forced switching (what the eval loop does on a drop request). */
  yield(): void {
    const s = this.#s;
    const id = this.threadId;
    // Plain reads (each Atomics call is a builtin call, not an instruction, in V8): while we hold
    // the GIL, only the waiter count in STATE can change and LAST_HOLDER is ours (holder-only). A
    // stale count or drop request only sends us down drop() + take(), which check atomically.
    const cur = s[STATE]!;
    if ((cur & GIL_HOLDER_MASK) !== id) throw releaseUnlocked();
    if (
      (cur & GIL_WAITER_COUNT) === 0 ||
      !this.policy.forceSwitching ||
      !canBlock ||
      s[DROP_REQUEST] === 0 ||
      (s[LAST_HOLDER]! & GIL_HOLDER_MASK) !== id
    ) {
      this.drop();
      this.take();
      return;
    }
    // Forced switch fused with the re-take. drop() would sleep until another thread took the GIL
    // and then sleep again in take(); here we register as a waiter and release in one atomic add
    // on STATE (so the next holder's release wakes us) and sleep once, until that holder drops.
    // Same guarantee: we cannot retake before someone else took it. The drop request stays set:
    // the next holder clears it as every new holder does (#acquired), one store fewer here.
    s[THREAD_STATE + id] = TS_WAITING;
    const switches = s[SWITCH_NUMBER]!; // holder-only: ours to read plainly until we release
    const released = this.#releaseRace(s, GIL_WAITER_UNIT - id);
    // Our release stamp (see #releaseRace) is also the start of our own wait.
    const w = this.#raceWait(s, this.#syncWait, id, Number.POSITIVE_INFINITY, id, this.#releasedAt);
    // Sleep straight after our notify: until the thread we woke has taken the GIL and released
    // it again (its release notifies; its take changes STATE too, but does not wake us).
    // Anything we did first would compete for the CPU with the thread we just woke, on the
    // hand-off's critical path. #raceStep then checks the GIL as usual (and sleeps again if
    // nobody took it yet). Unless no other thread was waiting (the count our add found): then
    // nobody would take it, so retake at once.
    let outcome: WaitOutcome | null = null;
    if ((this.#releasedState & GIL_WAITER_COUNT) !== 0) {
      w.slept = true;
      // This sleep is the first interval of our wait, as CPython's take_gil: if it times out
      // with the GIL held and exactly one switch since our release (to the thread we handed it
      // to, which has held it since), that thread has had its interval: ask it to drop
      // (#raceStep judges). Not judging here made yielders ask only after two intervals.
      const intervalMs = s[INTERVAL_US]! / 1000;
      w.judge = true;
      w.full = intervalMs <= 1000;
      w.saved = (switches + 1) | 0;
      outcome = Atomics.wait(s, STATE, released, Math.min(intervalMs, 1000));
      // The usual wake-up: the thread we woke took the GIL and has released it. Take it straight
      // away (what #raceStep's first round would do); anything else goes the general way. A
      // release sequence other than our own release's means a release after ours: nobody could
      // hold the GIL after our release without taking it, so another thread took it, and
      // forced switching is satisfied without reading LAST_HOLDER. (A plain read of STATE: the
      // compareExchange checks it.)
      const cur = s[STATE]!;
      const taken =
        (cur & GIL_HOLDER_MASK) === 0 && ((cur ^ released) & GIL_RELEASE_SEQ) !== 0
          ? this.#takeCounted(s, id, cur, GIL_WAITER_UNIT)
          : 0;
      if (taken !== 0) {
        w.forced = true;
        this.#tookContended(s, w, taken);
        return;
      }
    }
    this.#driveRaceSync(s, w, outcome);
  }

  /**
   * Runs `fn` without the GIL (CPython's Py_BEGIN/END_ALLOW_THREADS): drops it, calls `fn`, takes
   * it back even if `fn` throws. If `fn` returns a promise, the GIL is re-taken (without blocking
   * the thread) after it settles and the returned promise settles after that.
   */
  withoutGil<T>(fn: () => Promise<T>): Promise<T>;
  withoutGil<T>(fn: () => T): T;
  withoutGil<T>(fn: () => T | Promise<T>): T | Promise<T> {
    this.drop();
    let result: T | Promise<T>;
    try {
      result = fn();
    } catch (err) {
      this.take();
      throw err;
    }
    if (!isThenable(result)) {
      this.take();
      return result;
    }
    return Promise.resolve(result).then(
      async (value) => {
        await this.takeAsync();
        return value;
      },
      async (err: unknown) => {
        await this.takeAsync();
        throw err;
      },
    );
  }

  /** Sets the drop request from outside the waiting protocol (e.g. a runtime that wants the holder to stop). */
  requestDrop(): void {
    if (Atomics.exchange(this.#s, DROP_REQUEST, 1) === 0) Atomics.add(this.#s, STAT_DROP_REQUESTS, 1);
  }

  // -------------------------------------------------------------------------------------------
  // introspection and settings
  // -------------------------------------------------------------------------------------------

  /** Sets the switch interval in ms (`sys.setswitchinterval`, which takes seconds). Must be > 0. */
  setSwitchInterval(ms: number): void {
    checkInterval(ms);
    Atomics.store(this.#s, INTERVAL_US, intervalToUs(ms));
  }

  /** The switch interval in ms (stored in whole microseconds, at least 1 µs). */
  getSwitchInterval(): number {
    return Atomics.load(this.#s, INTERVAL_US) / 1000;
  }

  /** Id of the thread holding the GIL, or null when it is free. */
  holder(): number | null {
    const h = Atomics.load(this.#s, STATE) & GIL_HOLDER_MASK;
    return h === 0 ? null : h;
  }

  /** Id of the thread that holds or last held the GIL (CPython's `last_holder`), or null. */
  lastHolder(): number | null {
    const h = Atomics.load(this.#s, LAST_HOLDER) & GIL_HOLDER_MASK;
    return h === 0 ? null : h;
  }

  /** Threads currently waiting in `take` (registered waiters, or the fifo queue length). */
  waiters(): number {
    return this.#fifo
      ? Atomics.load(this.#s, WAITERS)
      : (Atomics.load(this.#s, STATE) & GIL_WAITER_COUNT) >>> GIL_WAITER_SHIFT;
  }

  /** Whether the calling thread holds the GIL. */
  isHeld(): boolean {
    return (Atomics.load(this.#s, STATE) & GIL_HOLDER_MASK) === this.threadId;
  }

  /** Shared counters. 32-bit counters wrap at 2^32; reads are not a consistent snapshot. */
  stats(): GilStats {
    const s = this.#s;
    return {
      takes: (Atomics.load(s, STAT_TAKES_HI) >>> 0) * 2 ** 32 + (Atomics.load(s, STAT_TAKES_LO) >>> 0),
      contendedTakes: Atomics.load(s, STAT_CONTENDED) >>> 0,
      dropRequests: Atomics.load(s, STAT_DROP_REQUESTS) >>> 0,
      // Two words (layout.ts STAT_FORCED_YIELDS); >>> 0 wraps their sum like one uint32.
      forcedSwitches: (Atomics.load(s, STAT_FORCED_SWITCHES) + Atomics.load(s, STAT_FORCED_YIELDS)) >>> 0,
      switches: Atomics.load(s, SWITCH_NUMBER) >>> 0,
      waitTimeMs:
        ((Atomics.load(s, STAT_WAIT_US_HI) >>> 0) * 2 ** 32 + (Atomics.load(s, STAT_WAIT_US_LO) >>> 0)) /
        1000,
      ownerDeaths: Atomics.load(s, STAT_OWNER_DEATHS) >>> 0,
    };
  }

  /**
   * Frees the GIL if the dead thread `deadThreadId` holds it (or hands it to the next fifo waiter)
   * and withdraws that thread's waiting registration. Call it from whoever owns the worker, on its
   * `exit`. Returns true if the dead thread held the GIL (an owner death is then counted).
   */
  recover(deadThreadId: number): boolean {
    if (!Number.isInteger(deadThreadId) || deadThreadId < 1 || deadThreadId >= GIL_MAX_THREADS) {
      throw new ValueError(
        `deadThreadId must be a GIL thread id in 1..${GIL_MAX_THREADS - 1} (got ${deadThreadId})`,
      );
    }
    if (deadThreadId === this.threadId) {
      throw new ValueError('recover(deadThreadId): the calling thread is alive');
    }
    const s = this.#s;
    const dead = deadThreadId;
    let freed = false;
    if (this.#fifo) {
      let next = 0;
      this.#lockQueue(s);
      if (Atomics.load(s, THREAD_STATE + dead) === TS_QUEUED) this.#dequeue(s, dead);
      Atomics.store(s, THREAD_STATE + dead, TS_IDLE);
      if ((Atomics.load(s, STATE) & GIL_HOLDER_MASK) === dead) {
        freed = true;
        next = this.#releaseFifo(s);
      }
      this.#unlockQueue(s);
      this.#wakeHanded(s, next);
    } else {
      const wasWaiting = Atomics.exchange(s, THREAD_STATE + dead, TS_IDLE) === TS_WAITING;
      for (;;) {
        const cur = Atomics.load(s, STATE);
        if ((cur & GIL_HOLDER_MASK) === dead) {
          // A holder is never counted as a waiter (a take leaves the count in the instruction
          // that takes, a yield joins it in the one that releases), whatever its THREAD_STATE
          // says: a thread that died inside yield() between the two is uncounted. Free it.
          this.#f[RELEASE_AT_F64] = this.#now(); // the dead holder's release, for the next taker
          if (Atomics.compareExchange(s, STATE, cur, (cur - dead + GIL_RELEASE_UNIT) | 0) === cur) {
            freed = true;
            Atomics.notify(s, STATE, 1);
            break;
          }
          continue;
        }
        // A dead waiter: withdraw it from the count (never below 0, so a wrong call cannot spill
        // into the release sequence).
        if (!wasWaiting || (cur & GIL_WAITER_COUNT) === 0) break;
        if (Atomics.compareExchange(s, STATE, cur, cur - GIL_WAITER_UNIT) === cur) break;
      }
    }
    // A forced-switching dropper may be waiting for the dead thread: let it re-check WAITERS.
    Atomics.notify(s, LAST_HOLDER);
    if (freed) Atomics.add(s, STAT_OWNER_DEATHS, 1);
    return freed;
  }

  // -------------------------------------------------------------------------------------------
  // internals
  // -------------------------------------------------------------------------------------------

  /** Bookkeeping of a new holder. All writes here are holder-only (see layout.ts). */
  #acquired(s: Int32Array, id: number): void {
    if ((s[STAT_TAKES_LO] = (s[STAT_TAKES_LO]! + 1) | 0) === 0) s[STAT_TAKES_HI]!++;
    if ((s[LAST_HOLDER]! & GIL_HOLDER_MASK) !== id) {
      // Plain store: the exchange of LAST_HOLDER right after it publishes it (layout.ts).
      s[SWITCH_NUMBER] = (s[SWITCH_NUMBER]! + 1) | 0;
      // CPython's COND_SIGNAL(switch_cond): release a forced-switching dropper, if any. It marks
      // LAST_HOLDER itself before it sleeps there (#dropSlow), so one exchange both publishes
      // the new holder and tells whether anyone must be woken.
      if ((Atomics.exchange(s, LAST_HOLDER, id) & LAST_HOLDER_SWITCH_WAITER) !== 0) {
        Atomics.notify(s, LAST_HOLDER);
      }
    }
    // The new holder starts a fresh timeslice (a forced-switching yield leaves its request set
    // for us to clear). Race: a waiter may set the request between our compareExchange and this
    // line; it is then lost and that waiter asks again one interval later (CPython closes this
    // window with gil->mutex; we accept one extra interval). So a plain store does as well as an
    // atomic one: it cannot tear, and the window it leaves is the same.
    if (s[DROP_REQUEST] !== 0) s[DROP_REQUEST] = 0;
  }

  /**
   * Contended release under `cpython`/`legacy` by the holder: stamp RELEASE_AT (the end of the
   * woken thread's wait); in one atomic add on STATE, subtract our id and advance the release
   * sequence (`delta` is minus our id; a yield adds its own waiter unit too); wake one waiter.
   * Returns STATE as this release left it; the stamp stays in `#releasedAt` (the shared word may
   * be overwritten at once) and STATE as the release found it in `#releasedState`.
   */
  #releaseRace(s: Int32Array, delta: number): number {
    const at = this.#now();
    this.#releasedAt = at;
    this.#f[RELEASE_AT_F64] = at;
    const before = Atomics.add(s, STATE, GIL_RELEASE_UNIT + delta);
    this.#releasedState = before;
    Atomics.notify(s, STATE, 1);
    return (before + GIL_RELEASE_UNIT + delta) | 0;
  }

  /**
   * Takes a free GIL for a registered waiter (`unit` = GIL_WAITER_UNIT) or a newcomer (`unit` =
   * 0) if STATE holds exactly `expected`: one compareExchange that also leaves the waiter count.
   * Returns STATE as it left it (non-zero), or 0 if STATE was not `expected`.
   */
  #takeCounted(s: Int32Array, id: number, expected: number, unit: number): number {
    const taken = expected - unit + id;
    return Atomics.compareExchange(s, STATE, expected, taken) === expected ? taken : 0;
  }

  /**
   * `take()`'s fast path: take the GIL if no thread holds it. Under `cpython`/`legacy` that
   * includes a free GIL while waiters are registered (counted in STATE): CPython's take_gil also
   * takes an unlocked GIL at once. Under `fifo` STATE has no holder only when the queue is empty
   * (then it is 0), so this cannot jump the queue. A plain read: the compareExchange checks it.
   */
  #takeFree(s: Int32Array, id: number): boolean {
    const guess = this.#freeGuess;
    const cur = Atomics.compareExchange(s, STATE, guess, guess + id);
    if (cur === guess) return true;
    if ((cur & GIL_HOLDER_MASK) !== 0 || Atomics.compareExchange(s, STATE, cur, cur + id) !== cur)
      return false;
    this.#freeGuess = cur;
    return true;
  }

  /** The GIL clock (layout.ts RELEASE_AT_F64): ms, one time line for every thread of this GIL. */
  #now(): number {
    return perfNow() + this.#clockBase;
  }

  /**
   * Bookkeeping of the contended take `w` that just took the GIL; the compareExchange that took
   * it also left the waiter count (#takeCounted), so only our own THREAD_STATE word is left.
   */
  #tookContended(s: Int32Array, w: RaceWait, taken: number): void {
    this.#freeGuess = taken - w.id; // for drop's fast path
    this.#acquired(s, w.id);
    s[THREAD_STATE + w.id] = TS_IDLE;
    this.#countContended(s, w.start, w.slept);
    // Holder-only now: the forced switch of our yield costs no atomic add (layout.ts).
    if (w.forced) s[STAT_FORCED_YIELDS] = (s[STAT_FORCED_YIELDS]! + 1) | 0;
  }

  /** Holder-only bookkeeping of a take that waited since `start` (GIL clock): count it, add its wait. */
  #countContended(s: Int32Array, start: number, slept: boolean): void {
    s[STAT_CONTENDED] = (s[STAT_CONTENDED]! + 1) | 0;
    // See layout.ts STAT_WAIT_US_LO: the stamp of the release that let us in ends the wait. A
    // stamp not newer than our start means no stamped release let us in (a free GIL found on a
    // re-check, or a yielder retaking its own release): read the clock if we slept.
    let end = this.#f[RELEASE_AT_F64]!;
    if (end <= start) end = slept ? this.#now() : start;
    const lo = (s[STAT_WAIT_US_LO]! >>> 0) + Math.round((end - start) * 1000);
    s[STAT_WAIT_US_LO] = lo | 0;
    if (lo > 0xffffffff) s[STAT_WAIT_US_HI] = (s[STAT_WAIT_US_HI]! + Math.floor(lo / 2 ** 32)) | 0;
  }

  /** drop() whose compareExchange id -> 0 failed: the caller is not the holder, or waiters exist. */
  #dropSlow(s: Int32Array, id: number): void {
    const cur = Atomics.load(s, STATE);
    if ((cur & GIL_HOLDER_MASK) !== id) throw releaseUnlocked();
    if (this.#fifo) {
      this.#lockQueue(s);
      if (Atomics.load(s, DROP_REQUEST) !== 0 && Atomics.load(s, WAITERS) !== 0) {
        Atomics.add(s, STAT_FORCED_SWITCHES, 1);
      }
      const next = this.#releaseFifo(s);
      this.#unlockQueue(s);
      this.#wakeHanded(s, next);
      return;
    }
    // Read before releasing: once STATE is free the next holder may clear the request at once.
    const requested = Atomics.load(s, DROP_REQUEST);
    this.#releaseRace(s, -id);
    if (requested === 0 || !this.policy.forceSwitching || !canBlock) return;
    // FORCE_SWITCHING: we were asked to drop; do not come back before someone else took the GIL.
    if (Atomics.load(s, LAST_HOLDER) === id) {
      // Reset only while no one else has taken over: a request set against a new holder is theirs.
      Atomics.store(s, DROP_REQUEST, 0);
      // Mark LAST_HOLDER so the taker's exchange (#acquired) sees that someone sleeps there. Only
      // the thread named in LAST_HOLDER sets the mark, so it is ours to clear when we leave.
      const marked = id | LAST_HOLDER_SWITCH_WAITER;
      if (Atomics.compareExchange(s, LAST_HOLDER, id, marked) === id) {
        while (Atomics.load(s, LAST_HOLDER) === marked && (Atomics.load(s, STATE) & GIL_WAITER_COUNT) !== 0) {
          // If the taker exchanges LAST_HOLDER between our load and this wait, the wait returns
          // 'not-equal' at once: the futex compare closes the window CPython closes with
          // switch_mutex.
          Atomics.wait(s, LAST_HOLDER, marked, Atomics.load(s, INTERVAL_US) / 1000);
        }
        Atomics.compareExchange(s, LAST_HOLDER, marked, id); // nobody took it: unmark
      }
    }
    if ((Atomics.load(s, LAST_HOLDER) & GIL_HOLDER_MASK) !== id) Atomics.add(s, STAT_FORCED_SWITCHES, 1);
  }

  #checkNotHeld(s: Int32Array): void {
    if ((Atomics.load(s, STATE) & GIL_HOLDER_MASK) === this.threadId) {
      throw new RuntimeError('cannot take the GIL: this thread already holds it (deadlock)', 'ERR_DEADLOCK');
    }
  }

  /**
   * Joins the waiter count in STATE (`cpython`/`legacy`). THREAD_STATE is this thread's own word
   * (only `recover`, for a dead thread, writes it otherwise), so it is a plain store: the atomic
   * add right after publishes it.
   */
  #register(s: Int32Array, id: number): void {
    s[THREAD_STATE + id] = TS_WAITING;
    Atomics.add(s, STATE, GIL_WAITER_UNIT);
  }

  /**
   * Waits for and takes the GIL under `cpython`/`legacy`, blocking. `switchFrom` (a thread id, or
   * 0): the caller yielded under a drop request and is already registered; while that id is still
   * LAST_HOLDER and others wait, the free GIL is left for them (forced switching).
   */
  #takeRaceSync(s: Int32Array, id: number, timeoutMs: number): boolean {
    return this.#driveRaceSync(s, this.#raceWait(s, this.#syncWait, id, timeoutMs, 0, Number.NaN), null);
  }

  /** Blocking driver of `#raceStep`; `outcome`: of a sleep already done for `w` (or null). */
  #driveRaceSync(s: Int32Array, w: RaceWait, outcome: WaitOutcome | null): boolean {
    try {
      for (;;) {
        const step = this.#raceStep(s, w, outcome);
        if (step !== RACE_WAIT) return step === RACE_TAKEN;
        w.slept = true;
        outcome = Atomics.wait(s, w.index, w.value, w.timeoutMs);
      }
    } catch (err) {
      this.#unregister(s, w.id); // e.g. Atomics.wait refused on a thread that cannot block
      throw err;
    }
  }

  /** `#takeRaceSync` with Atomics.waitAsync. */
  async #takeRaceAsync(s: Int32Array, id: number, timeoutMs: number): Promise<boolean> {
    const w = this.#raceWait(s, newRaceWait(), id, timeoutMs, 0, Number.NaN);
    let outcome: WaitOutcome | null = null;
    try {
      for (;;) {
        const step = this.#raceStep(s, w, outcome);
        if (step !== RACE_WAIT) return step === RACE_TAKEN;
        w.slept = true;
        outcome = await waitAsync(s, w.index, w.value, w.timeoutMs);
      }
    } catch (err) {
      this.#unregister(s, id);
      throw err;
    }
  }

  /**
   * Starts a contended take in `w` (reset here); `start`: GIL-clock start of the wait, NaN to
   * read the clock now. Registers as a waiter unless `switchFrom` says a yield already did.
   */
  #raceWait(
    s: Int32Array,
    w: RaceWait,
    id: number,
    timeoutMs: number,
    switchFrom: number,
    start: number,
  ): RaceWait {
    if (switchFrom === 0) this.#register(s, id);
    w.id = id;
    w.start = Number.isNaN(start) ? this.#now() : start;
    w.slept = false;
    w.deadline = deadlineOf(timeoutMs);
    w.switchFrom = switchFrom;
    w.forced = false;
    w.index = STATE;
    w.judge = false;
    return w;
  }

  /**
   * The contended take under `cpython`/`legacy`, written once for both drivers (a plain function
   * instead of a generator: this path is every hand-off's critical path). Runs until the GIL is
   * taken (RACE_TAKEN), the deadline passed (RACE_GAVE_UP), or the caller must sleep (RACE_WAIT:
   * on `w.index` while it holds `w.value`, at most `w.timeoutMs`), then is called again with the
   * outcome of that sleep.
   */
  #raceStep(s: Int32Array, w: RaceWait, outcome: WaitOutcome | null): number {
    const id = w.id;
    if (w.judge) {
      w.judge = false;
      // Timed out after a whole interval, still locked, and no switch meanwhile: ask the holder.
      if (
        outcome === 'timed-out' &&
        w.full &&
        this.policy.requestDrops &&
        (Atomics.load(s, STATE) & GIL_HOLDER_MASK) !== 0 &&
        Atomics.load(s, SWITCH_NUMBER) === w.saved
      ) {
        if (Atomics.exchange(s, DROP_REQUEST, 1) === 0) Atomics.add(s, STAT_DROP_REQUESTS, 1);
      }
    }
    for (;;) {
      const cur = Atomics.load(s, STATE);
      if (w.switchFrom !== 0) {
        // Forced switching: we yielded under a drop request and may not retake before another
        // thread took the GIL. LAST_HOLDER moves on when that happens.
        const last = Atomics.load(s, LAST_HOLDER);
        if ((last & GIL_HOLDER_MASK) !== w.switchFrom || (cur & GIL_HOLDER_MASK) !== 0) {
          // Someone else took it (LAST_HOLDER moved, or STATE holds a thread that has not stored
          // LAST_HOLDER yet): the forced switch happened; counted once we retake.
          w.forced = true;
          w.switchFrom = 0;
        } else if ((cur & GIL_WAITER_COUNT) > GIL_WAITER_UNIT) {
          // Nobody took it yet, and others wait besides us. Whoever takes it must also drop it
          // before we may retake, so sleep until the next release (one wake-up per hand-off,
          // none at the other's take: a take changes STATE but does not notify). Re-check every
          // interval in case the others gave up. If STATE moved since we read it, the sleep
          // returns at once and we look again.
          w.value = cur;
          w.timeoutMs = Math.min(Atomics.load(s, INTERVAL_US) / 1000, 1000);
          return RACE_WAIT;
        } else {
          w.switchFrom = 0; // the others gave up: nobody else will take it, so retake it
        }
      }
      if ((cur & GIL_HOLDER_MASK) === 0) {
        // Free: take it and leave the waiter count in one compareExchange.
        const taken = this.#takeCounted(
          s,
          id,
          cur,
          s[THREAD_STATE + id] === TS_WAITING ? GIL_WAITER_UNIT : 0,
        );
        if (taken !== 0) {
          this.#tookContended(s, w, taken);
          return RACE_TAKEN;
        }
        continue;
      }
      // Held. We are counted in STATE, so the holder's drop cannot take its fast path: it
      // advances the release sequence in STATE and wakes a waiter. Sleep on STATE as we read
      // it: if it moved meanwhile (a release, or another waiter coming or going), the sleep
      // returns at once and we look again; the sequence keeps a release from ever restoring a
      // value we might be sleeping on (the ABA of free -> B -> free).
      const left = remaining(w.deadline);
      if (left === 0) {
        this.#unregister(s, id);
        // We may have been the only waiter a forced-switching dropper was waiting for.
        Atomics.notify(s, LAST_HOLDER);
        return RACE_GAVE_UP;
      }
      const intervalMs = Atomics.load(s, INTERVAL_US) / 1000;
      w.full = left >= intervalMs;
      w.saved = Atomics.load(s, SWITCH_NUMBER);
      w.judge = true;
      w.value = cur;
      w.timeoutMs = w.full ? intervalMs : left;
      return RACE_WAIT;
    }
  }

  /**
   * Leaves the waiter count without taking the GIL, unless `recover` withdrew us already (and
   * decremented). Plain accesses to our own THREAD_STATE word: `recover` writes it only for a
   * dead thread, which runs no more code.
   */
  #unregister(s: Int32Array, id: number): void {
    if (s[THREAD_STATE + id] === TS_WAITING) {
      s[THREAD_STATE + id] = TS_IDLE;
      Atomics.sub(s, STATE, GIL_WAITER_UNIT);
    }
  }

  *#takeFifo(s: Int32Array, id: number, timeoutMs: number): SlowPath<boolean> {
    const start = this.#now();
    let slept = false;
    const deadline = deadlineOf(timeoutMs);
    const me = THREAD_STATE + id;
    this.#lockQueue(s);
    for (;;) {
      const cur = Atomics.load(s, STATE);
      if (cur === 0) {
        // Free with the queue lock held means the queue is empty (STATE is never 0 otherwise).
        if (Atomics.compareExchange(s, STATE, 0, id) === 0) {
          this.#unlockQueue(s);
          this.#acquired(s, id);
          return true;
        }
      } else if (
        (cur & GIL_HAS_WAITERS) !== 0 ||
        Atomics.compareExchange(s, STATE, cur, cur | GIL_HAS_WAITERS) === cur
      ) {
        break; // the holder's drop will take the slow path and hand the GIL on
      }
    }
    const len = Atomics.load(s, WAITERS);
    s[QUEUE + ((s[QUEUE_HEAD]! + len) % GIL_MAX_THREADS)] = id;
    Atomics.store(s, me, TS_QUEUED);
    Atomics.add(s, WAITERS, 1);
    this.#unlockQueue(s);
    let taken = false;
    for (;;) {
      if (Atomics.load(s, me) === TS_HANDED) {
        taken = true;
        break;
      }
      const left = remaining(deadline);
      if (left === 0) {
        this.#lockQueue(s);
        if (Atomics.load(s, me) === TS_HANDED) taken = true;
        else this.#dequeue(s, id);
        this.#unlockQueue(s);
        break;
      }
      const intervalMs = Atomics.load(s, INTERVAL_US) / 1000;
      const full = left >= intervalMs;
      const saved = Atomics.load(s, SWITCH_NUMBER);
      slept = true;
      const outcome = yield { index: me, value: TS_QUEUED, timeoutMs: full ? intervalMs : left };
      if (
        outcome === 'timed-out' &&
        full &&
        Atomics.load(s, me) === TS_QUEUED &&
        Atomics.load(s, SWITCH_NUMBER) === saved
      ) {
        if (Atomics.exchange(s, DROP_REQUEST, 1) === 0) Atomics.add(s, STAT_DROP_REQUESTS, 1);
      }
    }
    Atomics.store(s, me, TS_IDLE);
    if (taken) {
      this.#acquired(s, id);
      this.#countContended(s, start, slept);
    }
    return taken;
  }

  /**
   * Under QUEUE_LOCK, as (or for) the holder: hand the GIL to the head of the queue, keeping the
   * waiters bit while more are queued, and wake only that thread; or free it if nobody queues
   * (any waiters bit left by a waiter that gave up is cleared here). Returns the id to wake, or
   * 0: the caller notifies after unlocking QUEUE_LOCK, because a wake-up often preempts the waker
   * on its CPU, and a preempted queue-lock holder stalls every other thread's hand-off.
   */
  #releaseFifo(s: Int32Array): number {
    const len = Atomics.load(s, WAITERS);
    if (len === 0) {
      Atomics.store(s, STATE, 0);
      return 0;
    }
    const head = s[QUEUE_HEAD]!;
    const next = s[QUEUE + head]!;
    this.#f[RELEASE_AT_F64] = this.#now(); // ends `next`'s wait
    s[QUEUE_HEAD] = (head + 1) % GIL_MAX_THREADS;
    Atomics.sub(s, WAITERS, 1);
    Atomics.store(s, STATE, len > 1 ? next | GIL_HAS_WAITERS : next);
    Atomics.store(s, THREAD_STATE + next, TS_HANDED);
    return next;
  }

  /** Wakes the fifo waiter `next` (0: nobody) after QUEUE_LOCK was released. */
  #wakeHanded(s: Int32Array, next: number): void {
    if (next !== 0) Atomics.notify(s, THREAD_STATE + next, 1);
  }

  /** Under QUEUE_LOCK: removes `id` from the ring, keeping arrival order of the others. */
  #dequeue(s: Int32Array, id: number): void {
    const head = s[QUEUE_HEAD]!;
    const len = Atomics.load(s, WAITERS);
    let i = 0;
    while (i < len && s[QUEUE + ((head + i) % GIL_MAX_THREADS)] !== id) i++;
    if (i === len) return;
    for (; i < len - 1; i++) {
      s[QUEUE + ((head + i) % GIL_MAX_THREADS)] = s[QUEUE + ((head + i + 1) % GIL_MAX_THREADS)]!;
    }
    Atomics.sub(s, WAITERS, 1);
    Atomics.store(s, THREAD_STATE + id, TS_IDLE);
  }

  /** The fifo queue lock: a three-state futex (0 free, 1 held, 2 held with sleepers). */
  #lockQueue(s: Int32Array): void {
    if (Atomics.compareExchange(s, QUEUE_LOCK, 0, 1) === 0) return;
    for (let i = 0; i < QUEUE_SPINS; i++) {
      if (Atomics.load(s, QUEUE_LOCK) === 0 && Atomics.compareExchange(s, QUEUE_LOCK, 0, 1) === 0) return;
    }
    while (Atomics.exchange(s, QUEUE_LOCK, 2) !== 0) {
      if (canBlock) Atomics.wait(s, QUEUE_LOCK, 2);
    }
  }

  #unlockQueue(s: Int32Array): void {
    if (Atomics.exchange(s, QUEUE_LOCK, 0) === 2) Atomics.notify(s, QUEUE_LOCK, 1);
  }
}

/** Milliseconds to the stored microseconds: at least 1 µs (CPython treats 0 as 1). */
function intervalToUs(ms: number): number {
  const us = Math.round(ms * 1000);
  if (us > 0x7fffffff) {
    throw new ValueError(
      `switch interval too large (at most ${0x7fffffff / 1000} ms)`,
      'ERR_SWITCH_INTERVAL',
    );
  }
  return Math.max(us, 1);
}

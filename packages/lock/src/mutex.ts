/*
   Mutex and RLock: the three-state futex lock (Drepper, "Futexes Are Tricky", mutex2) with the
   owner folded into the state word, so ownership and locking change in one atomic step and a
   dead owner is always identifiable:

     MUTEX_STATE = 0                      unlocked
                 = owner                  locked, nobody sleeping
                 = owner | HAS_WAITERS    locked, someone may sleep on the word

   lock:   compareExchange 0 -> me. Otherwise mark the word HAS_WAITERS and Atomics.wait on that
           exact value; when woken, take it as me | HAS_WAITERS, since we cannot know whether
           others still sleep (a spurious notify later is cheap, a lost wake-up is not).
   unlock: compareExchange me -> 0; if that fails the waiters bit is set: store 0 and notify one.
           Uncontended lock + unlock never calls Atomics.notify.

   Owner ids are `currentThreadId()` values (process-wide, see thread-id.ts). `recover(deadId)`
   frees a lock whose owner died and raises MUTEX_OWNER_DIED, which the next successful lock
   consumes (robust pthread mutex style: EOWNERDEAD).
*/

import { checkTimeout, OwnerDiedError, RuntimeError, TimeoutError, ValueError } from './errors.js';
import {
  HAS_WAITERS,
  MUTEX_BYTES,
  MUTEX_COUNT,
  MUTEX_OWNER_DIED,
  MUTEX_STATE,
  OWNER_MASK,
  TAG_MUTEX,
  TAG_RLOCK,
} from './layout.js';
import { initWords, viewOf } from './primitive.js';
import { currentThreadId } from './thread-id.js';
import { deadlineOf, remaining, runAsync, runSync, type SlowPath } from './wait.js';

/** Options of `lock`, `lockAsync` and `hold`. */
export interface LockOptions {
  /** Give up after this many milliseconds and return false (default: wait forever). */
  timeoutMs?: number;
}

/** Options of the Mutex and RLock constructors. */
export interface MutexHandleOptions {
  /**
   * When the previous owner died (see `recover`), make the next `lock` throw `OwnerDiedError`
   * (with the lock held by the caller) instead of only setting `ownerDied`.
   */
  throwOnOwnerDeath?: boolean;
  /**
   * Owner id this handle locks as (1..2^30-1), instead of `currentThreadId()`. Lets a runtime use
   * one id space for everything, e.g. `{ ownerId: gil.threadId }`; every handle of one thread
   * must then pass the same id.
   */
  ownerId?: number;
}

function releaseUnlocked(what: string): RuntimeError {
  return new RuntimeError(
    `release unlocked lock: this thread does not hold the ${what}`,
    'ERR_RELEASE_UNLOCKED',
  );
}

/** The contended path of lock, shared by the blocking and async forms. */
function* lockSlow(
  s: Int32Array,
  me: number,
  deadline: number,
  sync: boolean,
  what: string,
): SlowPath<boolean> {
  for (;;) {
    let c = Atomics.load(s, MUTEX_STATE);
    if (c === 0) {
      if (Atomics.compareExchange(s, MUTEX_STATE, 0, me | HAS_WAITERS) === 0) return true;
      continue;
    }
    if (sync && (c & OWNER_MASK) === me) {
      throw new RuntimeError(`deadlock would occur: this thread already holds the ${what}`, 'ERR_DEADLOCK');
    }
    if ((c & HAS_WAITERS) === 0) {
      if (Atomics.compareExchange(s, MUTEX_STATE, c, c | HAS_WAITERS) !== c) continue;
      c |= HAS_WAITERS;
    }
    const left = remaining(deadline);
    if (left === 0) return false;
    yield { index: MUTEX_STATE, value: c, timeoutMs: left };
  }
}

function unlockWord(s: Int32Array, me: number, what: string): void {
  const c = Atomics.load(s, MUTEX_STATE);
  if (c === 0 || (c & OWNER_MASK) !== me) throw releaseUnlocked(what);
  if (c === me && Atomics.compareExchange(s, MUTEX_STATE, me, 0) === me) return;
  Atomics.store(s, MUTEX_STATE, 0);
  Atomics.notify(s, MUTEX_STATE, 1);
}

function recoverWord(s: Int32Array, dead: number, me: number): boolean {
  if (!Number.isInteger(dead) || dead < 1 || dead > OWNER_MASK) {
    throw new ValueError(`deadThreadId must be an owner id in 1..${OWNER_MASK} (got ${String(dead)})`);
  }
  if (dead === me) throw new ValueError('recover(deadThreadId): the calling thread is alive');
  for (;;) {
    const c = Atomics.load(s, MUTEX_STATE);
    if (c === 0 || (c & OWNER_MASK) !== dead) return false;
    // Flag first, so whoever takes the freed lock sees it.
    Atomics.store(s, MUTEX_OWNER_DIED, 1);
    if (Atomics.compareExchange(s, MUTEX_STATE, c, 0) === c) {
      Atomics.notify(s, MUTEX_STATE, 1);
      return true;
    }
  }
}

abstract class OwnedLock {
  /** The buffer holding the lock's words; post it (with `byteOffset`) to other threads. */
  readonly buffer: SharedArrayBuffer;
  readonly byteOffset: number;
  protected readonly s: Int32Array;
  protected readonly me: number;
  readonly #throwOnOwnerDeath: boolean;
  #ownerDied = false;

  protected constructor(
    s: Int32Array,
    buffer: SharedArrayBuffer,
    byteOffset: number,
    options: MutexHandleOptions,
  ) {
    this.s = s;
    this.buffer = buffer;
    this.byteOffset = byteOffset;
    const ownerId = options.ownerId ?? currentThreadId();
    if (!Number.isInteger(ownerId) || ownerId < 1 || ownerId > OWNER_MASK) {
      throw new ValueError(`options.ownerId must be an integer in 1..${OWNER_MASK} (got ${String(ownerId)})`);
    }
    this.me = ownerId;
    this.#throwOnOwnerDeath = options.throwOnOwnerDeath === true;
  }

  protected abstract readonly what: string;
  /** RLock: a fresh acquisition starts at depth 1 (stored before owner death is reported). */
  protected readonly reentrant: boolean = false;

  /**
   * True when the last successful lock through this handle took the lock over from an owner that
   * died holding it (after `recover`): the protected data may be inconsistent.
   */
  get ownerDied(): boolean {
    return this.#ownerDied;
  }

  /** Owner id (its `currentThreadId()`, or the `ownerId` it locked with), or null when unlocked. */
  owner(): number | null {
    const c = Atomics.load(this.s, MUTEX_STATE) & OWNER_MASK;
    return c === 0 ? null : c;
  }

  /** Whether the lock is held by anyone. */
  isLocked(): boolean {
    return Atomics.load(this.s, MUTEX_STATE) !== 0;
  }

  /** Whether the calling thread holds the lock. */
  isOwned(): boolean {
    return (Atomics.load(this.s, MUTEX_STATE) & OWNER_MASK) === this.me;
  }

  /**
   * Frees the lock if the dead thread `deadThreadId` holds it (call from whoever owns the worker,
   * on its exit; for a Node worker use `threadIdOfWorker(worker)`). The next lock reports the
   * death. Returns true if the dead thread held it.
   */
  recover(deadThreadId: number): boolean {
    return recoverWord(this.s, deadThreadId, this.me);
  }

  /** Blocking acquire of the futex word; returns false on timeout. */
  protected acquireWord(options: LockOptions | undefined): boolean {
    const s = this.s;
    const timeoutMs = options === undefined ? Number.POSITIVE_INFINITY : checkTimeout(options.timeoutMs);
    if (Atomics.compareExchange(s, MUTEX_STATE, 0, this.me) !== 0) {
      if (!runSync(s, lockSlow(s, this.me, deadlineOf(timeoutMs), true, this.what))) return false;
    }
    this.checkOwnerDied();
    return true;
  }

  protected async acquireWordAsync(options: LockOptions | undefined): Promise<boolean> {
    const s = this.s;
    const timeoutMs = checkTimeout(options?.timeoutMs);
    if (Atomics.compareExchange(s, MUTEX_STATE, 0, this.me) !== 0) {
      if (!(await runAsync(s, lockSlow(s, this.me, deadlineOf(timeoutMs), false, this.what)))) return false;
    }
    this.checkOwnerDied();
    return true;
  }

  protected tryAcquireWord(): boolean {
    if (Atomics.compareExchange(this.s, MUTEX_STATE, 0, this.me) !== 0) return false;
    this.checkOwnerDied();
    return true;
  }

  protected releaseWord(): void {
    unlockWord(this.s, this.me, this.what);
  }

  private checkOwnerDied(): void {
    if (this.reentrant) Atomics.store(this.s, MUTEX_COUNT, 1);
    this.#ownerDied =
      Atomics.load(this.s, MUTEX_OWNER_DIED) !== 0 && Atomics.exchange(this.s, MUTEX_OWNER_DIED, 0) !== 0;
    if (this.#ownerDied && this.#throwOnOwnerDeath) throw new OwnerDiedError();
  }
}

/**
 * A non-reentrant lock shared between threads through (buffer, byteOffset). Python's
 * `threading.Lock`, except that it has an owner: only the owner may unlock.
 */
export class Mutex extends OwnedLock {
  /** Bytes a Mutex occupies in a buffer. */
  static readonly BYTES = MUTEX_BYTES;
  protected readonly what = 'Mutex';

  /** Attaches to a Mutex previously initialised at (buffer, byteOffset) by `Mutex.init`/`create`. */
  constructor(buffer: SharedArrayBuffer, byteOffset = 0, options: MutexHandleOptions = {}) {
    super(viewOf('Mutex', buffer, byteOffset, MUTEX_BYTES, TAG_MUTEX), buffer, byteOffset, options);
  }

  /** Initialises an unlocked Mutex at (buffer, byteOffset) and returns a handle to it. */
  static init(buffer: SharedArrayBuffer, byteOffset = 0, options: MutexHandleOptions = {}): Mutex {
    initWords(viewOf('Mutex', buffer, byteOffset, MUTEX_BYTES, null), TAG_MUTEX);
    return new Mutex(buffer, byteOffset, options);
  }

  /** A new Mutex in its own buffer. */
  static create(options: MutexHandleOptions = {}): Mutex {
    return Mutex.init(new SharedArrayBuffer(MUTEX_BYTES), 0, options);
  }

  /**
   * Locks, blocking until available or `timeoutMs` elapsed (then returns false). Throws
   * `RuntimeError` (ERR_DEADLOCK) if the calling thread already holds it.
   */
  lock(options?: LockOptions): boolean {
    return this.acquireWord(options);
  }

  /** Like `lock` without blocking the thread (Atomics.waitAsync). Tasks of one thread queue up. */
  lockAsync(options?: LockOptions): Promise<boolean> {
    return this.acquireWordAsync(options);
  }

  /** Locks if free, never blocks. */
  tryLock(): boolean {
    return this.tryAcquireWord();
  }

  /** Unlocks. Throws `RuntimeError` ("release unlocked lock") unless the calling thread holds it. */
  unlock(): void {
    this.releaseWord();
  }

  /** Locks and returns a guard whose `Symbol.dispose` unlocks: `using _ = mutex.hold();`. */
  hold(options?: LockOptions): Disposable {
    if (!this.lock(options)) {
      throw new TimeoutError(`Mutex.hold: not acquired within ${options?.timeoutMs} ms`);
    }
    return { [Symbol.dispose]: () => this.unlock() };
  }

  /** Unlocks if the calling thread holds the lock (so `using` releases it on scope exit). */
  [Symbol.dispose](): void {
    if (this.isOwned()) this.unlock();
  }
}

/**
 * A reentrant lock (Python's `threading.RLock`): the owner may lock it again; it is released when
 * unlocked as many times as locked. The recursion depth lives in the buffer (owner-only writes).
 */
export class RLock extends OwnedLock {
  static readonly BYTES = MUTEX_BYTES;
  protected readonly what = 'RLock';
  protected override readonly reentrant = true;

  constructor(buffer: SharedArrayBuffer, byteOffset = 0, options: MutexHandleOptions = {}) {
    super(viewOf('RLock', buffer, byteOffset, MUTEX_BYTES, TAG_RLOCK), buffer, byteOffset, options);
  }

  static init(buffer: SharedArrayBuffer, byteOffset = 0, options: MutexHandleOptions = {}): RLock {
    initWords(viewOf('RLock', buffer, byteOffset, MUTEX_BYTES, null), TAG_RLOCK);
    return new RLock(buffer, byteOffset, options);
  }

  static create(options: MutexHandleOptions = {}): RLock {
    return RLock.init(new SharedArrayBuffer(MUTEX_BYTES), 0, options);
  }

  /** Recursion depth (0 when not held by anyone). */
  get depth(): number {
    return Atomics.load(this.s, MUTEX_COUNT);
  }

  /** Locks (again, if already held by this thread). Returns false only on timeout. */
  lock(options?: LockOptions): boolean {
    if (this.isOwned()) {
      this.s[MUTEX_COUNT]!++;
      return true;
    }
    return this.acquireWord(options);
  }

  /** Like `lock` without blocking the thread; not reentrant across tasks (they queue up). */
  lockAsync(options?: LockOptions): Promise<boolean> {
    return this.acquireWordAsync(options);
  }

  tryLock(): boolean {
    if (this.isOwned()) {
      this.s[MUTEX_COUNT]!++;
      return true;
    }
    return this.tryAcquireWord();
  }

  /** Undoes one lock; releases when the depth reaches 0. RuntimeError unless held by this thread. */
  unlock(): void {
    if (!this.isOwned()) throw releaseUnlocked(this.what);
    const depth = this.s[MUTEX_COUNT]! - 1;
    Atomics.store(this.s, MUTEX_COUNT, depth);
    if (depth === 0) this.releaseWord();
  }

  override recover(deadThreadId: number): boolean {
    const c = Atomics.load(this.s, MUTEX_STATE);
    if (c !== 0 && (c & OWNER_MASK) === deadThreadId) Atomics.store(this.s, MUTEX_COUNT, 0);
    return super.recover(deadThreadId);
  }

  /** @internal Condition support (Python's `_release_save`): release fully, return the depth. */
  releaseSave(): number {
    if (!this.isOwned()) throw releaseUnlocked(this.what);
    const depth = Atomics.load(this.s, MUTEX_COUNT);
    Atomics.store(this.s, MUTEX_COUNT, 0);
    this.releaseWord();
    return depth;
  }

  /** @internal Condition support (Python's `_acquire_restore`). */
  acquireRestore(depth: number): void {
    this.acquireWord(undefined);
    Atomics.store(this.s, MUTEX_COUNT, depth);
  }

  /** @internal */
  async acquireRestoreAsync(depth: number): Promise<void> {
    await this.acquireWordAsync(undefined);
    Atomics.store(this.s, MUTEX_COUNT, depth);
  }

  [Symbol.dispose](): void {
    if (this.isOwned()) this.unlock();
  }
}

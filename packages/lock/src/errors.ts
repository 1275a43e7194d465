/**
 * Errors of @gilkit/lock.
 *
 * Naming scheme: classes carry the name of the Python exception a Python user would expect
 * (`ValueError`, `RuntimeError`), extend the closest JS built-in (`RangeError`, `Error`,
 * `TypeError`) so `instanceof RangeError` works too, and have a stable `code` to branch on.
 */

/** Stable error codes. */
export type LockErrorCode =
  | 'ERR_SWITCH_INTERVAL'
  | 'ERR_INVALID_ARGUMENT'
  | 'ERR_RELEASE_UNLOCKED'
  | 'ERR_DEADLOCK'
  | 'ERR_INVALID_HANDLE'
  | 'ERR_TOO_MANY_THREADS'
  | 'ERR_OWNER_DIED'
  | 'ERR_TIMEOUT';

/** Bad numeric input (Python's `ValueError`); a `RangeError` in JS terms. */
export class ValueError extends RangeError {
  override name = 'ValueError';
  readonly code: LockErrorCode;
  constructor(message: string, code: LockErrorCode = 'ERR_INVALID_ARGUMENT') {
    super(message);
    this.code = code;
  }
}

/** Misuse of a lock at run time (Python's `RuntimeError`): releasing a lock you do not hold, etc. */
export class RuntimeError extends Error {
  override name = 'RuntimeError';
  readonly code: LockErrorCode;
  constructor(message: string, code: LockErrorCode) {
    super(message);
    this.code = code;
  }
}

/** A blocking call that returns no boolean ran out of time (Python's `TimeoutError`). */
export class TimeoutError extends Error {
  override name = 'TimeoutError';
  readonly code: LockErrorCode = 'ERR_TIMEOUT';
}

/**
 * A buffer that does not hold what the caller claims (wrong magic/tag, size, alignment, not a
 * SharedArrayBuffer). Python has no equivalent; it is a `TypeError` in JS terms.
 */
export class InvalidHandleError extends TypeError {
  override name = 'InvalidHandleError';
  readonly code: LockErrorCode = 'ERR_INVALID_HANDLE';
}

/**
 * The previous owner of a lock died while holding it (after `recover()`); in the spirit of
 * `EOWNERDEAD` from robust pthread mutexes. Thrown by `Mutex.lock`/`RLock.acquire` only when the
 * handle was created with `{ throwOnOwnerDeath: true }`; otherwise the `ownerDied` flag is set.
 * When thrown, the calling thread *holds* the lock: repair the protected state, then unlock.
 */
export class OwnerDiedError extends RuntimeError {
  override name = 'OwnerDiedError';
  constructor(message = 'previous owner of the lock died while holding it; the lock is now yours') {
    super(message, 'ERR_OWNER_DIED');
  }
}

/** Throws a `ValueError` unless `ms` is a finite number > 0 (a switch interval). */
export function checkInterval(ms: number): void {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || !(ms > 0)) {
    throw new ValueError(
      `switch interval must be strictly positive (got ${String(ms)})`,
      'ERR_SWITCH_INTERVAL',
    );
  }
}

/** Validates an optional timeout: undefined/Infinity = forever, otherwise a number >= 0. */
export function checkTimeout(timeoutMs: number | undefined, what = 'timeoutMs'): number {
  if (timeoutMs === undefined || timeoutMs === Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY;
  if (typeof timeoutMs !== 'number' || Number.isNaN(timeoutMs) || timeoutMs < 0) {
    throw new ValueError(`${what} must be a non-negative number or Infinity (got ${String(timeoutMs)})`);
  }
  return timeoutMs;
}

/**
 * Typed errors of @gilkit/pool. Each has a stable `code`.
 *
 * Naming scheme: the class is `Pool` + the Python exception name where the bare name would shadow a
 * JS global or be too generic (`PoolValueError`, `PoolTypeError`, `PoolTimeoutError`), and `name` is
 * the Python name (`'ValueError'`, ...), so `String(err)` reads like a Python traceback line.
 * Errors that have no Python counterpart keep their own names (`WorkerLostError`, as in Celery).
 */

/** Base class of every error this package creates itself (not of errors re-raised from tasks). */
export class PoolError extends Error {
  readonly code: string = 'ERR_GILKIT_POOL';
}

/** A value is out of range or the pool is in the wrong state (Python: ValueError, e.g. "Pool not running"). */
export class PoolValueError extends PoolError {
  override readonly code: string = 'ERR_GILKIT_POOL_VALUE';
  override name = 'ValueError';
}

/** An argument has the wrong type, e.g. a non-iterable given to `map` (Python: TypeError). */
export class PoolTypeError extends PoolError {
  override readonly code: string = 'ERR_GILKIT_POOL_TYPE';
  override name = 'TypeError';
}

/** `AsyncResult.get({ timeoutMs })` ran out of time, or a task exceeded `taskTimeoutMs` (Python: TimeoutError). */
export class PoolTimeoutError extends PoolError {
  override readonly code: string = 'ERR_GILKIT_POOL_TIMEOUT';
  override name = 'TimeoutError';
}

/** The call's AbortSignal fired before the call finished. `cause` is the signal's reason. */
export class PoolAbortError extends PoolError {
  override readonly code: string = 'ERR_GILKIT_POOL_ABORTED';
  override name = 'AbortError';
}

/** `terminate()` was called (or the pool's own signal aborted) while the call was pending. */
export class PoolTerminatedError extends PoolError {
  override readonly code: string = 'ERR_GILKIT_POOL_TERMINATED';
  override name = 'PoolTerminatedError';
}

/**
 * The worker running a task died (called `process.exit`, crashed, or hit `resourceLimits`). Only the
 * items the worker was running fail with this error; `items` names them by input position.
 */
export class WorkerLostError extends PoolError {
  override readonly code: string = 'ERR_GILKIT_POOL_WORKER_LOST';
  override name = 'WorkerLostError';
  /** Input positions of the items that were lost (the chunk the worker was running). */
  readonly items: readonly number[];
  /** The worker's exit code, when it exited (rather than failing with an error). */
  readonly exitCode: number | undefined;
  constructor(
    message: string,
    items: readonly number[],
    exitCode: number | undefined,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.items = items;
    this.exitCode = exitCode;
  }
}

/** The pool cannot run tasks at all, e.g. its `initializer` threw (Python: BrokenProcessPool). */
export class BrokenPoolError extends PoolError {
  override readonly code: string = 'ERR_GILKIT_POOL_BROKEN';
  override name = 'BrokenProcessPool';
}

/**
 * The stack of an error thrown inside a worker, attached as `cause` of the error the caller sees
 * (Python: `multiprocessing.pool.RemoteTraceback`). `message` and `stack` are the remote stack text.
 */
export class RemoteTraceback extends PoolError {
  override readonly code: string = 'ERR_GILKIT_POOL_REMOTE_TRACEBACK';
  override name = 'RemoteTraceback';
  constructor(remoteStack: string) {
    super(remoteStack);
    this.stack = `RemoteTraceback:\n"""\n${remoteStack}\n"""`;
  }
}

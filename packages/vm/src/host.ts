/**
 * The seam between MiniPy's eval loop and the runtimes that schedule it (CONTRACTS.md section 1).
 *
 * Design note. The eval loop is one synchronous function. A runtime owns threads (objects
 * implementing {@link VmThread}) and drives each with `thread.run(maxInstructions)`, which executes
 * bytecode until one of five things happens and says which in a {@link StepResult}:
 *
 * - `'budget'`: `maxInstructions` were executed; call `run()` again whenever you like.
 * - `'breaker'`: at an eval-breaker check point the loop called {@link Host.onBreaker} and it
 *   returned `true`. Check points are where CPython has them: after a backward jump
 *   (`JUMP_BACKWARD`), at function entry (`RESUME`, after the new frame is pushed) and after a call
 *   to a builtin returns. The loop stops *between* instructions, so the runtime can drop the GIL,
 *   let other threads run, retake it and call `run()` again; nothing is re-executed.
 * - `'blocked'`: a blocking builtin (`time.sleep`, `Lock.acquire` that must wait, `Thread.join`,
 *   `Event.wait`, `Condition.wait`, `hashlib.sha256` over 2 KiB) called {@link Host.block} and the
 *   host returned {@link SUSPEND}. `StepResult.blocked` holds the {@link BlockRequest}. The runtime
 *   performs the request (virtually or really), then calls `thread.resume(value)` with the
 *   request's result (see {@link BlockRequest} for the value each kind expects) and `run()` again.
 *   A host that can block for real (a worker inside `gil.withoutGil(...)`) just returns the result
 *   from `block()` and the loop never stops.
 * - `'finished'`: the thread's outermost frame returned; `thread.result` holds the return value
 *   converted to JS (see {@link VmThread.result}).
 * - `'error'`: an exception escaped the outermost frame; `StepResult.error` describes it
 *   (type name, message, Python-style traceback text).
 *
 * How a runtime creates and runs threads:
 *
 * ```ts
 * import { Interpreter } from '@gilkit/vm';
 * const interp = new Interpreter({ host: myHost, filename: 'prog.py' });
 * const main = interp.mainThread(source);          // a VmThread for the module body, id = host.mainThreadId
 * let r = main.run(10_000);                        // StepResult
 * // when the program calls threading.Thread(target=f, args=(1,)).start(), the loop calls
 * // host.startThread(request); the host picks an id, then creates the thread object with
 * const t = interp.threadFor(request.target, request.args, { id, name: request.name });
 * t.run(10_000);
 * ```
 *
 * `threadFor` accepts the opaque {@link PyCallable} handed to `startThread` (or any callable value
 * the interpreter gave out). Threads of one Interpreter share its module globals, as Python threads
 * do. Everything here is synchronous; the runtime decides when to call `run()`.
 *
 * Instruction accounting: `StepResult.executed` is exact, so a simulator can charge virtual time
 * per instruction; `OPCODES` (opcodes.ts) gives each opcode's class for a finer cost model.
 */

/** Why `thread.run()` returned. */
export type StopReason = 'breaker' | 'blocked' | 'finished' | 'error' | 'budget';

/** A Python exception that escaped a thread, described in JS terms. */
export interface PyExceptionInfo {
  /** Python type name, e.g. `'ZeroDivisionError'`. */
  type: string;
  /** `str(exc)`, e.g. `'division by zero'`. */
  message: string;
  /** Python-style traceback text ("Traceback (most recent call last):" ... last line). */
  traceback: string;
}

/** What one call of `thread.run(maxInstructions)` did. */
export interface StepResult {
  reason: StopReason;
  /** Bytecode instructions executed during this call (exact). */
  executed: number;
  /** Set when `reason === 'blocked'`: what the thread waits for. */
  blocked?: BlockRequest;
  /** Set when `reason === 'error'`. */
  error?: PyExceptionInfo;
}

/**
 * Opaque handle for a Python callable (a MiniPy function, bound method or builtin) that a runtime
 * passes back to `Interpreter.threadFor`. It is a heap reference of the interpreter's heap,
 * borrowed: valid while the Python object that holds it (e.g. the `threading.Thread`) lives.
 */
export interface PyCallable {
  readonly __pyCallable: true;
}

/**
 * Opaque handle for any Python value passed through the host (thread args): a borrowed heap
 * reference of the interpreter's heap (`threadFor` takes its own references).
 */
export type PyValue = unknown;

/**
 * A blocking operation, tagged by `kind`. The value the runtime passes to `thread.resume(value)`
 * (or returns from {@link Host.block} when it blocks for real) is given per kind.
 * Ids of locks, events and conditions are small integers allocated by the host through
 * {@link Host.newLock} and friends; the host keeps their state.
 */
export type BlockRequest =
  /** `time.sleep(seconds)`. Result: `undefined`. */
  | { kind: 'sleep'; seconds: number }
  /** `Lock.acquire(True, timeout)` / `RLock.acquire` that could not be taken at once. `timeout` < 0: forever. Result: `boolean` (acquired). */
  | { kind: 'lock'; lockId: number; timeout: number }
  /** `Thread.join(timeout)`. `timeout` < 0: forever. Result: `undefined`. */
  | { kind: 'join'; threadId: number; timeout: number }
  /** `Event.wait(timeout)`. Result: `boolean` (the flag at return). */
  | { kind: 'event'; eventId: number; timeout: number }
  /** `Condition.wait(timeout)`: the host releases `lockId` (the condition's lock), waits to be notified, retakes it. Result: `boolean` (notified before timeout). */
  | { kind: 'condition'; conditionId: number; lockId: number; timeout: number }
  /** Native work without the GIL (e.g. `hashlib.sha256` over 2 KiB). `cost` is an estimate in microseconds of CPython's time. Result: `undefined`. */
  | { kind: 'native'; name: string; bytes: number; cost: number }
  /** Simulated I/O (e.g. a socket round trip). Result: `undefined`. */
  | { kind: 'io'; name: string; seconds: number };

/** Returned by {@link Host.block} when the runtime will perform the request later (SimRuntime). */
export const SUSPEND: unique symbol = Symbol.for('gilkit.vm.SUSPEND');
/** Type of {@link SUSPEND}. */
export type Suspend = typeof SUSPEND;

/** What `threading.Thread(...).start()` hands to {@link Host.startThread}. */
export interface StartThreadRequest {
  /** The `target` callable. Pass to `Interpreter.threadFor(target, args, ...)`. */
  target: PyCallable;
  /** Positional arguments (opaque Python values). */
  args: PyValue[];
  /** `name=` or `Thread-N` as CPython names it. */
  name: string;
  /** The interpreter that owns the thread object; `threadFor` must be called on it. */
  interpreter: unknown;
}

/** A thread as the host sees it (for `current_thread()` and friends). */
export interface HostThreadInfo {
  id: number;
  name: string;
}

/** `multiprocessing.Pool` support supplied by the pool or scheduler packages. */
export interface PoolHost {
  /** `os.cpu_count()` / `multiprocessing.cpu_count()`. */
  cpuCount(): number;
  /**
   * `Pool(processes).map(fn, iterable)`: apply a MiniPy function to each item in other
   * interpreters. `source` is the program's source text (each process re-runs it as `__mp_main__`),
   * `fnName` the global name of the function, `items` plain JS values. Returns the JS results in
   * order, or SUSPEND with a `{kind:'native'}` style block being reported separately.
   */
  map(source: string, fnName: string, items: unknown[], processes: number): unknown[];
}

/**
 * The runtime's side of the contract. All methods are synchronous. A default single-threaded
 * implementation is {@link DefaultHost}.
 */
/**
 * Errors: a host method may throw a JS `Error` with a string `pyType` property naming a builtin
 * Python exception (`'RuntimeError'`, `'NotImplementedError'`, `'ValueError'`...): the vm raises that
 * Python exception with the error's message. Any other JS error becomes `SystemError`.
 */
export interface Host {
  /**
   * Called at eval-breaker check points (backward jumps, function entry, after builtin calls).
   * Return `true` to make `run()` stop with reason `'breaker'`. Keep it to one flag/word check:
   * it sits on the hot path.
   */
  onBreaker(thread: VmThreadLike): boolean;
  /**
   * True when `onBreaker`'s answer only changes between `run()` calls or inside host calls (a
   * simulator): lets compiled loops (the `jit` option) skip the per-iteration check, since they
   * make no host calls. Absent or false: the check runs after every iteration.
   */
  readonly stableBreaker?: boolean;
  /**
   * Optional one-word view of (shared) memory that is 0 whenever {@link onBreaker} would return
   * false and need not be called (CPython's eval_breaker): the loop then reads the word at each
   * check point (a plain, relaxed read, as CPython's) and calls `onBreaker` only when it is not 0,
   * saving a call and an `Atomics.load` per backward jump.
   */
  readonly breakerWord?: Int32Array;
  /**
   * Perform or schedule a blocking operation for `thread`. Return the result (see
   * {@link BlockRequest}) if done synchronously, or {@link SUSPEND} to make `run()` stop with
   * reason `'blocked'`.
   */
  block(thread: VmThreadLike, request: BlockRequest): unknown;
  /** `threading.Thread.start()`. Returns the new thread's id (also its `ident`). */
  startThread(request: StartThreadRequest): number;
  /** Id of the thread currently executing (`threading.get_ident()`). */
  currentThreadId(thread: VmThreadLike): number;
  /** `threading.current_thread()` info. */
  threadInfo(threadId: number): HostThreadInfo | undefined;
  /** `threading.active_count()`. */
  activeCount(): number;
  /** Whether a thread has finished (`Thread.is_alive()`). */
  isAlive(threadId: number): boolean;

  /** Allocate a lock (`threading.Lock()`/`RLock()`). */
  newLock(reentrant: boolean): number;
  /** Try to take a lock without waiting. Returns whether it was taken. */
  tryAcquire(thread: VmThreadLike, lockId: number): boolean;
  /** Release a lock. Throw a JS `Error` whose message is Python's (e.g. "release unlocked lock") to raise RuntimeError. */
  release(thread: VmThreadLike, lockId: number): void;
  /** Whether a lock is held (`Lock.locked()`). */
  isLocked(lockId: number): boolean;
  /** Allocate an event (`threading.Event()`). */
  newEvent(): number;
  /** `Event.set()`/`clear()`. */
  setEvent(eventId: number, value: boolean): void;
  /** `Event.is_set()`. */
  isEventSet(eventId: number): boolean;
  /** Allocate a condition bound to a lock id. */
  newCondition(lockId: number): number;
  /** `Condition.notify(n)` / `notify_all()` (n = -1). */
  notify(conditionId: number, n: number): void;

  /** `time.perf_counter()`/`time.monotonic()`, in seconds (virtual in the simulator). */
  monotonic(): number;
  /** `time.time()`, seconds since the epoch (virtual in the simulator). */
  wallTime(): number;

  /** `print` and `sys.stdout.write` output. */
  write(text: string): void;
  /** `sys.stderr.write` / `print(..., file=sys.stderr)` output; absent = discarded. */
  writeErr?(text: string): void;

  /** `sys.getswitchinterval()` in seconds. */
  getSwitchInterval(): number;
  /** `sys.setswitchinterval(seconds)`; `seconds` > 0 was checked by the vm. */
  setSwitchInterval(seconds: number): void;
  /** `sys._is_gil_enabled()`. */
  isGilEnabled(): boolean;

  /** `multiprocessing` support; absent = single-process fallback in the vm (runs tasks inline). */
  pool?: PoolHost;
}

/** The minimal view of a thread the host gets in callbacks. */
export interface VmThreadLike {
  /** Host-assigned thread id. */
  readonly id: number;
  /** Thread name. */
  readonly name: string;
  /** Instructions executed so far including the step in progress (see {@link VmThread.executedNow}). */
  readonly executedNow: number;
}

/** A runnable MiniPy thread (frame stack). Created by `Interpreter.mainThread`/`threadFor`. */
export interface VmThread extends VmThreadLike {
  /** Run at most `maxInstructions` bytecode instructions. Never throws for Python errors. */
  run(maxInstructions: number): StepResult;
  /** Hand the result of the pending {@link BlockRequest} back; call before the next `run()`. */
  resume(value: unknown): void;
  /** True once the thread finished or failed. */
  readonly done: boolean;
  /** JS value of the outermost frame's return value once finished (`toJS` conversion). */
  readonly result: unknown;
  /** Total instructions executed so far (updated when `run()` returns). */
  readonly executed: number;
  /**
   * Opcode of the instruction the next `run()` starts with (`OPCODES[op]` gives its name and cost
   * class), or -1 when the thread is done. With `run(1)` a runtime can charge a cost per opcode
   * class exactly (superinstructions never execute partially past a budget).
   */
  readonly nextOpcode: number;
  /**
   * Instructions executed so far including the step in progress: exact when read from a host
   * callback (`block`, `write`, `monotonic`, `release`...) made by a builtin during `run()`.
   */
  readonly executedNow: number;
}

/** process.stdout in Node, console.log elsewhere (browsers, workers without a stdout). */
function defaultStdout(text: string): void {
  const proc = (globalThis as { process?: { stdout?: { write(t: string): unknown } } }).process;
  if (proc?.stdout) proc.stdout.write(text);
  else console.log(text.replace(/\n$/, ''));
}

/** A JS Error carrying the Python exception type the vm should raise for it. */
function hostError(pyType: string, message: string): Error {
  return Object.assign(new Error(message), { pyType });
}

/** Single-threaded default host: threads run inline to completion, blocking calls complete at once. */
export class DefaultHost implements Host {
  #out: (text: string) => void;
  #interval = 0.005;
  #locks: { held: boolean; owner: number; depth: number; reentrant: boolean }[] = [];
  #events: boolean[] = [];
  #start = performance.now();
  /** Next id for threads started by {@link DefaultHost.startThread}. */
  #nextThread = 2;
  #threadNames = new Map<number, string>([[1, 'MainThread']]);
  #err: (text: string) => void;
  /** Seconds `time.sleep` has skipped: the default host advances its clock instead of waiting. */
  #slept = 0;

  /**
   * @param write stdout (print); default process.stdout in Node, console.log elsewhere.
   * @param writeErr stderr (uncaught exceptions in threads); default console.error.
   */
  constructor(write: (text: string) => void = defaultStdout, writeErr?: (text: string) => void) {
    this.#out = write;
    this.#err = writeErr ?? ((t) => console.error(t.replace(/\n$/, '')));
  }
  onBreaker(): boolean {
    return false;
  }
  block(_thread: VmThreadLike, request: BlockRequest): unknown {
    switch (request.kind) {
      case 'sleep':
        this.#slept += request.seconds;
        return undefined;
      case 'io':
        this.#slept += request.seconds;
        return undefined;
      case 'native':
      case 'join':
        return undefined;
      case 'lock':
        // Single-threaded: a lock that is held can never be released by anyone else.
        if (request.timeout < 0)
          throw hostError(
            'RuntimeError',
            'deadlock: the lock can never be released in a single-threaded host',
          );
        return false;
      case 'event':
        return this.#events[request.eventId] ?? false;
      case 'condition':
        if (request.timeout < 0)
          throw hostError(
            'RuntimeError',
            'deadlock: the condition can never be notified in a single-threaded host',
          );
        return false;
    }
  }
  /** Threads started under the default host run to completion inline when started. */
  startThread(request: StartThreadRequest): number {
    const id = this.#nextThread++;
    this.#threadNames.set(id, request.name);
    const interp = request.interpreter as {
      threadFor(t: PyCallable, a: PyValue[], o: { id: number; name: string }): VmThread;
    };
    const t = interp.threadFor(request.target, request.args, { id, name: request.name });
    let r: StepResult;
    do r = t.run(1_000_000_000);
    while (r.reason === 'budget' || r.reason === 'breaker');
    if (r.reason === 'error' && r.error) {
      this.#err(`Exception in thread ${request.name}:\n${r.error.traceback}`);
    }
    if (r.reason === 'blocked') throw hostError('RuntimeError', 'a thread blocked in a single-threaded host');
    return id;
  }
  currentThreadId(thread: VmThreadLike): number {
    return thread.id;
  }
  threadInfo(threadId: number): HostThreadInfo | undefined {
    const name = this.#threadNames.get(threadId);
    return name === undefined ? undefined : { id: threadId, name };
  }
  activeCount(): number {
    return 1;
  }
  isAlive(): boolean {
    return false;
  }
  newLock(reentrant: boolean): number {
    this.#locks.push({ held: false, owner: 0, depth: 0, reentrant });
    return this.#locks.length - 1;
  }
  tryAcquire(thread: VmThreadLike, lockId: number): boolean {
    const l = this.#locks[lockId];
    if (!l.held) {
      l.held = true;
      l.owner = thread.id;
      l.depth = 1;
      return true;
    }
    if (l.reentrant && l.owner === thread.id) {
      l.depth++;
      return true;
    }
    return false;
  }
  release(thread: VmThreadLike, lockId: number): void {
    const l = this.#locks[lockId];
    if (!l.held) throw new Error(l.reentrant ? 'cannot release un-acquired lock' : 'release unlocked lock');
    if (l.reentrant) {
      if (l.owner !== thread.id) throw new Error('cannot release un-acquired lock');
      if (--l.depth > 0) return;
    }
    l.held = false;
  }
  isLocked(lockId: number): boolean {
    return this.#locks[lockId].held;
  }
  newEvent(): number {
    this.#events.push(false);
    return this.#events.length - 1;
  }
  setEvent(eventId: number, value: boolean): void {
    this.#events[eventId] = value;
  }
  isEventSet(eventId: number): boolean {
    return this.#events[eventId];
  }
  newCondition(lockId: number): number {
    return lockId;
  }
  notify(): void {}
  monotonic(): number {
    return (performance.now() - this.#start) / 1000 + 1 + this.#slept;
  }
  wallTime(): number {
    return Date.now() / 1000 + this.#slept;
  }
  write(text: string): void {
    this.#out(text);
  }
  writeErr(text: string): void {
    this.#err(text);
  }
  getSwitchInterval(): number {
    return this.#interval;
  }
  setSwitchInterval(seconds: number): void {
    this.#interval = seconds;
  }
  isGilEnabled(): boolean {
    return true;
  }
}

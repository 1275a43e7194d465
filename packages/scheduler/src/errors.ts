/**
 * Errors of @gilkit/scheduler. Naming scheme: descriptive names ending in `Error` (no Python
 * exception fits these conditions: they are about the runtime, not the program); each has a stable
 * `code`. Python exceptions raised *by programs* are not thrown: `runProgram` resolves with them in
 * `exception` as `{ type, message, traceback }`.
 */
import type { Trace } from './trace.js';

/** Base class: every error of this package has a stable `code`. */
export class SchedulerError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
    this.name = new.target.name;
  }
}

/** The run hit `maxInstructions` or `maxVirtualMs`; carries what happened until then. */
export class RunLimitError extends SchedulerError {
  /** Output printed before the limit. */
  readonly output: string;
  /** Trace until the limit. */
  readonly trace: Trace;
  constructor(message: string, output: string, trace: Trace) {
    super('ERR_GILKIT_RUN_LIMIT', message);
    this.output = output;
    this.trace = trace;
  }
}

/** Every remaining thread waits for something that can never happen (a lock nobody releases...). */
export class DeadlockError extends SchedulerError {
  /** Names of the threads that were stuck. */
  readonly threads: string[];
  readonly output: string;
  readonly trace: Trace;
  constructor(threads: string[], output: string, trace: Trace) {
    super(
      'ERR_GILKIT_DEADLOCK',
      `deadlock: ${threads.join(', ')} blocked forever (CPython would hang here); check the order of lock acquisitions and joins`,
    );
    this.threads = threads;
    this.output = output;
    this.trace = trace;
  }
}

/** The vm does not (yet) provide what a runtime needs (e.g. the `Interpreter` export). */
export class VmUnavailableError extends SchedulerError {
  constructor(what: string) {
    super('ERR_GILKIT_VM_UNAVAILABLE', `@gilkit/vm does not export ${what}; build @gilkit/vm first`);
  }
}

/** A runtime is not available in this environment (e.g. `workers` without SharedArrayBuffer). */
export class RuntimeUnavailableError extends SchedulerError {
  constructor(message: string) {
    super('ERR_GILKIT_RUNTIME_UNAVAILABLE', message);
  }
}

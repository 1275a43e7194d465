/**
 * `runProgram`: the one-call API the playground and the docs use. Browser-safe: the simulator is
 * imported statically; the worker runtime is loaded lazily. In Node it is `./workers/index.js`
 * (worker_threads), imported through a computed specifier so bundlers never pull `node:` modules
 * into a browser build; elsewhere it is `./workers/browser.js` (Web Workers), imported through a
 * literal specifier so bundlers split it into its own chunk along with its worker script.
 */
import { RuntimeUnavailableError } from './errors.js';
import type { RefcountMode } from './sim/cost-model.js';
import { type RunResult, SimRuntime } from './sim/sim-runtime.js';
import type { TracePolicy, TraceRuntime } from './trace.js';

/** Options of {@link runProgram}. */
export interface RunProgramOptions {
  /**
   * `sim` (default): deterministic virtual time; `workers`: real threads (Node worker_threads, or
   * Web Workers in a cross-origin isolated page).
   */
  runtime?: TraceRuntime;
  /** GIL policy (default `cpython`). */
  policy?: TracePolicy;
  /** Cores (virtual in the simulator; default 2). */
  cores?: number;
  /** Switch interval in ms (default 5). */
  switchIntervalMs?: number;
  /** Simulator seed (default 1): the same seed gives the same trace and output. */
  seed?: number;
  /** Refcount mode under `free-threaded` (default `biased`). */
  refcountMode?: RefcountMode;
  /** File name in tracebacks (default `<string>`). */
  filename?: string;
  /** Streams output as it is printed (the result's `output` has all of it too). */
  stdout?: (text: string) => void;
  /** Streams what CPython writes to stderr (`Exception in thread ...`); the result's `stderr` has it too. */
  stderr?: (text: string) => void;
  /** Stop runaway programs: at most this many instructions (simulator). Rejects with `RunLimitError`. */
  maxInstructions?: number;
  /** Stop runaway programs: at most this much virtual time in ms (simulator). Rejects with `RunLimitError`. */
  maxVirtualMs?: number;
  /** Stops a `workers` run: every worker is terminated and the promise rejects with the signal's reason. */
  signal?: AbortSignal;
}

type WorkersModule = {
  runProgramOnWorkers(source: string, options: RunProgramOptions): Promise<RunProgramResult>;
};

/** True under Node (and runtimes that emulate it), where `worker_threads` exists. */
function isNode(): boolean {
  const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof proc?.versions?.node === 'string';
}

/** Loads the worker runtime for this platform. */
async function loadWorkers(): Promise<WorkersModule> {
  if (isNode()) {
    const spec = './workers/index.js';
    return import(/* @vite-ignore */ /* webpackIgnore: true */ spec);
  }
  return import('./workers/browser.js');
}

/** What {@link runProgram} resolves with. */
export type RunProgramResult = Pick<RunResult, 'output' | 'stderr' | 'exception' | 'trace' | 'stats'>;

/**
 * Runs a MiniPy program and resolves with `{ output, exception, trace, stats }`. A Python exception
 * in the program (or a syntax error) resolves with `exception = { type, message, traceback }`; bad
 * options reject with `RangeError`; limits reject with `RunLimitError`, deadlocks with
 * `DeadlockError` (both carry the output and trace so far).
 */
export async function runProgram(source: string, options: RunProgramOptions = {}): Promise<RunProgramResult> {
  const runtime = options.runtime ?? 'sim';
  if (runtime === 'sim') {
    const { runtime: _r, signal: _s, ...simOptions } = options;
    const r = new SimRuntime(simOptions).run(source);
    return { output: r.output, stderr: r.stderr, exception: r.exception, trace: r.trace, stats: r.stats };
  }
  if (runtime === 'workers') {
    let mod: WorkersModule;
    try {
      mod = await loadWorkers();
    } catch (e) {
      throw new RuntimeUnavailableError(
        `the workers runtime could not be loaded here: ${(e as Error).message}`,
      );
    }
    return mod.runProgramOnWorkers(source, options);
  }
  throw new RangeError(`options.runtime must be 'sim' or 'workers', got ${String(runtime)}`);
}

import type { Trace } from '@gilkit/scheduler';
import type { PythonException, RunRequest, StopRequest, WorkerMessage } from './protocol.js';

/** What a finished run gives back. */
export interface RunOutcome {
  output: string;
  exception: PythonException | null;
  trace: Trace;
  /** Time the worker spent in `runProgram`, ms. */
  elapsedMs: number;
}

/** Rejection reason of a run the visitor stopped. */
export class RunStoppedError extends Error {
  readonly code = 'ERR_GILKIT_RUN_STOPPED';
  override name = 'RunStoppedError';
}

/**
 * Rejection reason when `runProgram` itself failed (bad options, a run limit, a deadlock, a worker
 * crash), with what the program printed and traced until then when the runtime said.
 */
export class RunFailedError extends Error {
  readonly code = 'ERR_GILKIT_RUN_FAILED';
  override name = 'RunFailedError';
  readonly output: string | undefined;
  readonly trace: Trace | undefined;
  constructor(message: string, partial: { output?: string; trace?: Trace } = {}) {
    super(message);
    this.output = partial.output;
    this.trace = partial.trace;
  }
}

/** A run in progress. */
export interface RunHandle {
  result: Promise<RunOutcome>;
  /**
   * Stops the run; `result` rejects with {@link RunStoppedError}. A simulated run's worker is
   * terminated at once; a real-threads run's worker is first asked to terminate its thread workers.
   * Idempotent.
   */
  stop(): void;
}

/** How long a real-threads run worker gets to terminate its thread workers before it is terminated. */
const STOP_GRACE_MS = 1000;

function spawn(): Worker {
  return new Worker(new URL('./run-worker.ts', import.meta.url), { type: 'module', name: 'gilkit-run' });
}

/**
 * Runs programs in Web Workers. A worker whose run finished normally is kept for the next run: every
 * run builds a fresh runtime and heap anyway, and a reused worker has the simulator's code loaded and
 * compiled by the JIT (a cold worker is several times slower on the first run). A run that is
 * stopped or crashes takes its worker with it; a spare is then started in the background so the
 * next click does not wait for the code to load.
 */
export class Runner {
  #spare: Worker | null = null;

  /** Starts loading a worker so the next run starts at once. */
  warm(): void {
    if (!this.#spare && typeof Worker !== 'undefined') this.#spare = spawn();
  }

  run(request: RunRequest, onStdout?: (text: string) => void): RunHandle {
    const worker = this.#spare ?? spawn();
    this.#spare = null;
    let settle: { reject(e: Error): void } | null = null;
    let finished = false;
    /** The run ended normally: keep the worker as the spare (or drop it if one is already there). */
    const release = () => {
      finished = true;
      worker.onmessage = null;
      worker.onerror = null;
      if (this.#spare) worker.terminate();
      else this.#spare = worker;
    };
    /** The run was stopped or the worker broke: it cannot be trusted with another run. */
    const discard = () => {
      finished = true;
      worker.terminate();
      this.warm();
    };
    const result = new Promise<RunOutcome>((resolve, reject) => {
      settle = { reject };
      worker.onmessage = (e: MessageEvent<WorkerMessage>) => {
        const msg = e.data;
        if (msg.type === 'stdout') onStdout?.(msg.text);
        else if (msg.type === 'done') {
          release();
          resolve({
            output: msg.output,
            exception: msg.exception,
            trace: msg.trace,
            elapsedMs: msg.elapsedMs,
          });
        } else if (msg.type === 'failed') {
          release();
          reject(new RunFailedError(`${msg.name}: ${msg.message}`, { output: msg.output, trace: msg.trace }));
        }
      };
      worker.onerror = (e: ErrorEvent) => {
        e.preventDefault();
        discard();
        reject(new RunFailedError(`the run worker crashed: ${e.message || 'unknown error'}`));
      };
      worker.postMessage(request);
    });
    return {
      result,
      stop: () => {
        if (finished) return;
        settle?.reject(new RunStoppedError('stopped by the user'));
        if (request.options.runtime !== 'workers') {
          discard();
          return;
        }
        // Ask first, so the thread workers go with it; terminating the run worker ends its nested
        // workers too in today's browsers, but the page should not depend on that alone.
        finished = true;
        const grace = setTimeout(() => {
          worker.terminate();
        }, STOP_GRACE_MS);
        worker.onmessage = (e: MessageEvent<WorkerMessage>) => {
          if (e.data.type !== 'stopped') return;
          clearTimeout(grace);
          worker.terminate();
        };
        worker.onerror = null;
        worker.postMessage({ type: 'stop' } satisfies StopRequest);
        this.warm();
      },
    };
  }

  /** Terminates the spare worker (page teardown). */
  dispose(): void {
    this.#spare?.terminate();
    this.#spare = null;
  }
}

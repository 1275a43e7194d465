import type { Trace } from '@gilkit/scheduler';
import type { PythonException, RunRequest, WorkerMessage } from './protocol.js';

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

/** Rejection reason when `runProgram` itself failed (bad options, a bug, a worker crash). */
export class RunFailedError extends Error {
  readonly code = 'ERR_GILKIT_RUN_FAILED';
  override name = 'RunFailedError';
}

/** A run in progress. */
export interface RunHandle {
  result: Promise<RunOutcome>;
  /** Terminates the worker; `result` rejects with {@link RunStoppedError}. Idempotent. */
  stop(): void;
}

function spawn(): Worker {
  return new Worker(new URL('./run-worker.ts', import.meta.url), { type: 'module', name: 'gilkit-run' });
}

/**
 * Runs programs in Web Workers, one worker per run. A spare worker is started ahead of time so a
 * click does not wait for the simulator's code to load; after a run its worker is terminated (a
 * fresh heap each time, and no state leaks between runs).
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
    const done = () => {
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
          done();
          resolve({
            output: msg.output,
            exception: msg.exception,
            trace: msg.trace,
            elapsedMs: msg.elapsedMs,
          });
        } else if (msg.type === 'failed') {
          done();
          reject(new RunFailedError(`${msg.name}: ${msg.message}`));
        }
      };
      worker.onerror = (e: ErrorEvent) => {
        e.preventDefault();
        done();
        reject(new RunFailedError(`the run worker crashed: ${e.message || 'unknown error'}`));
      };
      worker.postMessage(request);
    });
    return {
      result,
      stop: () => {
        if (finished) return;
        done();
        settle?.reject(new RunStoppedError('stopped by the user'));
      },
    };
  }

  /** Terminates the spare worker (page teardown). */
  dispose(): void {
    this.#spare?.terminate();
    this.#spare = null;
  }
}

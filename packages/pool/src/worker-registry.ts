/**
 * Main side: the live piscina Worker objects by `threadId`, and their exits.
 *
 * piscina does not say which worker ran a task; our worker writes its `threadId` into the chunk's slot,
 * and this registry maps it back to the Worker, to kill it (timeout, abort, retirement) or to wait
 * for its `exit` (after which Node has delivered every message the worker posted).
 */
import type { Worker } from 'node:worker_threads';

interface Entry {
  readonly worker: Worker;
  exitCode: number | undefined;
  readonly exited: Promise<number>;
}

export class WorkerRegistry {
  readonly #entries = new Map<number, Entry>();
  readonly #threads: () => readonly Worker[];

  /** `threads`: the pool's live workers (piscina's `threads`), consulted on a lookup miss. */
  constructor(threads: () => readonly Worker[]) {
    this.#threads = threads;
  }

  #lookup(threadId: number): Entry | undefined {
    let entry = this.#entries.get(threadId);
    if (entry === undefined) {
      this.track(this.#threads());
      entry = this.#entries.get(threadId);
    }
    return entry;
  }

  /** Adds any worker of `threads` not yet known (called on piscina's `workerCreate`). */
  track(threads: readonly Worker[]): void {
    for (const worker of threads) {
      const id = worker.threadId;
      if (id < 0 || this.#entries.has(id)) continue;
      const exited = new Promise<number>((resolve) => {
        worker.once('exit', (code: number) => {
          entry.exitCode = code;
          resolve(code);
        });
      });
      const entry: Entry = { worker, exitCode: undefined, exited };
      this.#entries.set(id, entry);
      // Forget the entry a while after the exit: late lookups (a batch rejected just after) still
      // find it, and the map does not grow with every replaced worker.
      void exited.then(() => setTimeout(() => this.#entries.delete(id), 5_000).unref());
    }
  }

  /** Terminates the worker `threadId` if it is alive. */
  kill(threadId: number): void {
    const entry = this.#lookup(threadId);
    if (entry !== undefined && entry.exitCode === undefined) void entry.worker.terminate();
  }

  /**
   * Resolves with the exit code once worker `threadId` has exited, or `undefined` when it is not
   * known or has not exited within `limitMs` (a safety net; an exit normally follows at once).
   */
  async whenExited(threadId: number, limitMs: number): Promise<number | undefined> {
    const entry = this.#lookup(threadId);
    if (entry === undefined) return undefined;
    if (entry.exitCode !== undefined) return entry.exitCode;
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<undefined>((resolve) => {
      timer = setTimeout(resolve, limitMs, undefined);
    });
    try {
      return await Promise.race([entry.exited, limit]);
    } finally {
      clearTimeout(timer);
    }
  }
}

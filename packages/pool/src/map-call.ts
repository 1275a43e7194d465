/**
 * Main side: a call whose input is known up front (map, starmap, apply). Results are assembled in
 * input order; the call settles once every chunk has, rejecting with the error of the lowest failed
 * position (CPython: "the first exception"), unless aborted or terminated, which reject at once.
 */
import { runCallback } from './async-result.js';
import { type CallSink, Chunk, type ChunkOutcome, taskKey } from './chunk.js';
import type { Progress } from './options.js';
import type { WireTask } from './protocol.js';

export class MapCall implements CallSink {
  cancelled = false;
  /** Settles with the results once all chunks have settled (or at once on `fail`). */
  readonly promise: Promise<unknown[]>;
  readonly chunks: Chunk[] = [];
  readonly taskKey: string;
  readonly #results: unknown[];
  readonly #onProgress: ((progress: Progress) => void) | undefined;
  #pending: number;
  #completed = 0;
  #firstError: { position: number; error: Error } | null = null;
  #resolve!: (values: unknown[]) => void;
  #reject!: (error: Error) => void;

  constructor(
    readonly label: string,
    readonly task: WireTask,
    readonly star: boolean,
    items: readonly unknown[],
    chunksize: number,
    onProgress?: (progress: Progress) => void,
  ) {
    this.promise = new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    this.taskKey = taskKey(task);
    this.#results = new Array(items.length);
    this.#onProgress = onProgress;
    for (let start = 0, seq = 0; start < items.length; start += chunksize, seq++) {
      this.chunks.push(new Chunk(this, start, items, seq, start, Math.min(chunksize, items.length - start)));
    }
    this.#pending = this.chunks.length;
    if (this.#pending === 0) this.#finish();
  }

  chunkSettled(chunk: Chunk, outcome: ChunkOutcome): void {
    if (outcome.ok) {
      const values = outcome.values;
      const start = chunk.start;
      for (let i = 0; i < values.length; i++) this.#results[start + i] = values[i];
      if (outcome.errors !== null) {
        for (const [index, error] of outcome.errors) this.#noteError(start + index, error);
      }
    } else {
      this.#noteError(chunk.start, outcome.error);
    }
    this.#completed += chunk.length;
    if (this.#onProgress !== undefined && !this.cancelled) {
      runCallback(this.#onProgress, { completed: this.#completed, total: this.#results.length });
    }
    if (--this.#pending === 0) this.#finish();
  }

  /** Rejects now (abort, terminate, broken pool); chunks still out are ignored when they settle. */
  fail(error: Error): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.#reject(error);
  }

  #noteError(position: number, error: Error): void {
    if (this.#firstError === null || position < this.#firstError.position)
      this.#firstError = { position, error };
  }

  #finish(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    if (this.#firstError !== null) this.#reject(this.#firstError.error);
    else this.#resolve(this.#results);
  }
}

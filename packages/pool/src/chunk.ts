/**
 * Main side: a chunk (Python's unit of work: `chunksize` consecutive items of one call) and the
 * interface through which the dispatcher reports its outcome to the call that owns it.
 */
import type { WireTask } from './protocol.js';

/** How a chunk ended. */
export type ChunkOutcome =
  /** The chunk ran; `errors` lists `[index inside the chunk, error]` for items that threw. */
  | {
      readonly ok: true;
      readonly values: ArrayLike<unknown>;
      readonly errors: readonly [number, Error][] | null;
    }
  /** The chunk as a whole failed (its worker died, it timed out, the pool broke): every item gets `error`. */
  | { readonly ok: false; readonly error: Error };

/** The dispatcher's view of a call (map, imap, apply, ...). */
export interface CallSink {
  /** Name used in error messages, e.g. `'map'`. */
  readonly label: string;
  readonly task: WireTask;
  /** Equal for calls running the same task function (see `taskKey()`); such chunks may share a batch. */
  readonly taskKey: string;
  readonly star: boolean;
  /** True once the call wants no more results (aborted, failed, iterator closed). */
  readonly cancelled: boolean;
  /** Called exactly once per chunk. */
  chunkSettled(chunk: Chunk, outcome: ChunkOutcome): void;
}

export class Chunk {
  /** Slot in the slot table while dispatched, else -1. */
  slot = -1;
  settled = false;
  /** Times the chunk was sent back to the queue because its worker died before starting it. */
  requeues = 0;
  /** Why the pool killed the worker running this chunk (timeout, abort), reported instead of WorkerLostError. */
  killReason: Error | undefined;

  constructor(
    readonly call: CallSink,
    /** Input position of the first item. */
    readonly start: number,
    /** The array holding the items: `source[offset]` .. `source[offset + length - 1]` (never copied). */
    readonly source: readonly unknown[],
    /** Sequence number of the chunk within its call (0, 1, ...). */
    readonly seq: number,
    readonly offset = 0,
    /** Number of items. */
    readonly length = source.length - offset,
  ) {}

  /** "map items 10..19" or "map item 7": for error messages. */
  describe(): string {
    const n = this.length;
    return n === 1
      ? `${this.call.label} item ${this.start}`
      : `${this.call.label} items ${this.start}..${this.start + n - 1}`;
  }

  positions(): number[] {
    return Array.from({ length: this.length }, (_, i) => this.start + i);
  }
}

const keys = new WeakMap<WireTask, string>();

/** A string identifying a task function, for grouping chunks of different calls into one batch. */
export function taskKey(task: WireTask): string {
  let key = keys.get(task);
  if (key === undefined) {
    key = task.kind === 'js' ? `js\0${task.module}\0${task.name}` : `py\0${task.name}\0${task.source}`;
    keys.set(task, key);
  }
  return key;
}

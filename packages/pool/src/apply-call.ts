/**
 * Main side: one `apply`/`applyAsync` call, a single chunk of a single item. Kept separate from
 * MapCall because it is the hot path of "many tiny calls": no result array, no progress, and the
 * outcome goes straight to one listener (a Promise's resolvers or an AsyncResult).
 */
import { type CallSink, Chunk, type ChunkOutcome } from './chunk.js';
import type { WireTask } from './protocol.js';

/** Receives the outcome of an ApplyCall (exactly once). */
export interface ApplyListener {
  settle(ok: boolean, valueOrError: unknown): void;
}

export class ApplyCall implements CallSink {
  cancelled = false;
  readonly star = true;
  readonly chunks: Chunk[];

  constructor(
    readonly label: string,
    readonly task: WireTask,
    readonly taskKey: string,
    args: readonly unknown[],
    readonly listener: ApplyListener,
  ) {
    this.chunks = [new Chunk(this, 0, [args], 0)];
  }

  chunkSettled(_chunk: Chunk, outcome: ChunkOutcome): void {
    if (this.cancelled) return;
    this.cancelled = true;
    if (!outcome.ok) this.listener.settle(false, outcome.error);
    else if (outcome.errors !== null) this.listener.settle(false, outcome.errors[0]![1]);
    else this.listener.settle(true, outcome.values[0]);
  }

  /** Rejects now (abort, terminate, broken pool). */
  fail(error: Error): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.listener.settle(false, error);
  }
}

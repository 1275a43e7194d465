/**
 * Main side: `imap` / `imapUnordered`. The input is read lazily: at most `highWaterMark` chunks are
 * taken from it and not yet consumed, so a huge or endless input is never buffered whole
 * (CPython's imap reads its input eagerly). After `pool.close()` the rest of the input is read
 * eagerly, as CPython does, so `join()` can finish without the consumer.
 *
 * Ordered: items come out in input order; an item that failed throws at its position (the chunks
 * after it keep running until the iterator is closed). Unordered: chunks come out as they finish.
 */
import { runCallback } from './async-result.js';
import { type CallSink, Chunk, type ChunkOutcome, taskKey } from './chunk.js';
import type { Progress } from './options.js';
import type { WireTask } from './protocol.js';

export interface ImapSettings {
  readonly label: string;
  readonly task: WireTask;
  readonly star: boolean;
  readonly ordered: boolean;
  readonly chunksize: number;
  readonly highWaterMark: number;
  readonly onProgress: ((progress: Progress) => void) | undefined;
  /** Hands new chunks to the dispatcher. */
  readonly submit: (chunks: Chunk[]) => void;
  /**
   * Called once when the call ends: `early` when the consumer stopped before the end or the call
   * failed (its remaining chunks should be dropped), else after the last item was consumed.
   */
  readonly onClose: (call: ImapCall, early: boolean) => void;
}

interface Settled {
  readonly chunk: Chunk;
  readonly outcome: ChunkOutcome;
}

export class ImapCall implements CallSink {
  cancelled = false;
  readonly label: string;
  readonly task: WireTask;
  readonly star: boolean;
  readonly taskKey: string;
  readonly #settings: ImapSettings;
  readonly #syncSource: Iterator<unknown> | null;
  readonly #asyncSource: AsyncIterator<unknown> | null;
  #sourceDone = false;
  #sourceError: { error: unknown } | null = null;
  #reading = false;
  #eager = false;
  #nextSeq = 0;
  #nextPosition = 0;
  /** Chunks taken from the input and not yet consumed. */
  #outstanding = 0;
  #completed = 0;
  /** Ordered: by seq. Unordered: arrival order (keys are insertion-ordered). */
  readonly #ready = new Map<number, Settled>();
  #nextToYield = 0;
  #failure: Error | null = null;
  #wake: (() => void) | null = null;
  #inputWaiters: (() => void)[] = [];

  constructor(settings: ImapSettings, source: Iterable<unknown> | AsyncIterable<unknown>) {
    this.#settings = settings;
    this.label = settings.label;
    this.task = settings.task;
    this.star = settings.star;
    this.taskKey = taskKey(settings.task);
    if (typeof (source as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
      this.#asyncSource = (source as AsyncIterable<unknown>)[Symbol.asyncIterator]();
      this.#syncSource = null;
    } else {
      this.#syncSource = (source as Iterable<unknown>)[Symbol.iterator]();
      this.#asyncSource = null;
    }
  }

  /** True once the whole input has been read (or reading failed or the call ended). */
  get inputDone(): boolean {
    return this.#sourceDone || this.cancelled;
  }

  /** Resolves when `inputDone`. */
  whenInputDone(): Promise<void> {
    if (this.inputDone) return Promise.resolve();
    return new Promise((resolve) => this.#inputWaiters.push(resolve));
  }

  /** After `pool.close()`: read the rest of the input now, without waiting for the consumer. */
  readEagerly(): void {
    this.#eager = true;
    this.#fill();
  }

  /** Ends the call with `error` (abort, terminate, broken pool): the consumer sees it next. */
  fail(error: Error): void {
    if (this.cancelled) return;
    this.#failure = error;
    this.#close();
    this.#wakeConsumer();
  }

  chunkSettled(chunk: Chunk, outcome: ChunkOutcome): void {
    this.#completed += chunk.length;
    if (this.cancelled) return;
    this.#ready.set(chunk.seq, { chunk, outcome });
    if (this.#settings.onProgress !== undefined) {
      runCallback(this.#settings.onProgress, {
        completed: this.#completed,
        total: this.#sourceDone ? this.#nextPosition : undefined,
      });
    }
    this.#wakeConsumer();
  }

  /** The async iterator handed to the user. */
  async *iterate(): AsyncGenerator<unknown, void, undefined> {
    let finished = false;
    try {
      this.#fill();
      for (;;) {
        if (this.#failure !== null) throw this.#failure;
        const next = this.#takeReady();
        if (next !== undefined) {
          this.#outstanding--;
          this.#fill();
          const { outcome } = next;
          if (!outcome.ok) throw outcome.error;
          const { values, errors } = outcome;
          if (errors === null) {
            for (let i = 0; i < values.length; i++) yield values[i];
          } else {
            const failed = new Map(errors);
            for (let i = 0; i < values.length; i++) {
              const error = failed.get(i);
              if (error !== undefined) throw error;
              yield values[i];
            }
          }
          continue;
        }
        if (this.#sourceDone && this.#outstanding === 0) {
          if (this.#sourceError !== null) throw this.#sourceError.error;
          finished = true;
          return;
        }
        await new Promise<void>((resolve) => {
          this.#wake = resolve;
        });
      }
    } finally {
      if (!finished) this.#close();
      else if (!this.cancelled) {
        this.cancelled = true;
        this.#settings.onClose(this, false);
      }
    }
  }

  #takeReady(): Settled | undefined {
    if (this.#settings.ordered) {
      const next = this.#ready.get(this.#nextToYield);
      if (next !== undefined) {
        this.#ready.delete(this.#nextToYield);
        this.#nextToYield++;
      }
      return next;
    }
    for (const [seq, next] of this.#ready) {
      this.#ready.delete(seq);
      return next;
    }
    return undefined;
  }

  #wakeConsumer(): void {
    const wake = this.#wake;
    if (wake !== null) {
      this.#wake = null;
      wake();
    }
  }

  #close(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.#ready.clear();
    this.#settings.onClose(this, true);
    this.#endInput();
    const source = this.#syncSource ?? this.#asyncSource;
    // Let a generator input run its finally blocks (as for-of would on break).
    try {
      const result = source?.return?.();
      if (result instanceof Promise) result.catch(() => undefined);
    } catch {
      // The input's own cleanup failed; nothing to report it to.
    }
  }

  #endInput(): void {
    const waiters = this.#inputWaiters;
    this.#inputWaiters = [];
    for (const resolve of waiters) resolve();
  }

  #wantsMore(): boolean {
    return (
      !this.cancelled &&
      !this.#sourceDone &&
      (this.#eager || this.#outstanding < this.#settings.highWaterMark)
    );
  }

  #noteSourceEnd(error: { error: unknown } | null): void {
    this.#sourceDone = true;
    this.#sourceError = error;
    this.#endInput();
    this.#wakeConsumer();
  }

  #makeChunk(items: unknown[]): Chunk {
    const chunk = new Chunk(this, this.#nextPosition, items, this.#nextSeq++);
    this.#nextPosition += items.length;
    this.#outstanding++;
    return chunk;
  }

  #fill(): void {
    if (this.#syncSource !== null) this.#fillSync(this.#syncSource);
    else if (!this.#reading) void this.#fillAsync(this.#asyncSource!);
  }

  #fillSync(source: Iterator<unknown>): void {
    const size = this.#settings.chunksize;
    const made: Chunk[] = [];
    let ended = false;
    while (!ended && this.#wantsMore()) {
      const items: unknown[] = [];
      try {
        while (items.length < size) {
          const step = source.next();
          if (step.done) {
            ended = true;
            break;
          }
          items.push(step.value);
        }
      } catch (error) {
        if (items.length > 0) made.push(this.#makeChunk(items));
        this.#settings.submit(made);
        this.#noteSourceEnd({ error });
        return;
      }
      if (items.length > 0) made.push(this.#makeChunk(items));
    }
    if (made.length > 0) this.#settings.submit(made);
    if (ended) this.#noteSourceEnd(null);
  }

  async #fillAsync(source: AsyncIterator<unknown>): Promise<void> {
    this.#reading = true;
    const size = this.#settings.chunksize;
    try {
      while (this.#wantsMore()) {
        const items: unknown[] = [];
        let done = false;
        try {
          while (items.length < size) {
            const step = await source.next();
            if (step.done) {
              done = true;
              break;
            }
            items.push(step.value);
          }
        } catch (error) {
          if (items.length > 0 && !this.cancelled) this.#settings.submit([this.#makeChunk(items)]);
          this.#noteSourceEnd({ error });
          return;
        }
        if (this.cancelled) return;
        if (items.length > 0) this.#settings.submit([this.#makeChunk(items)]);
        if (done) {
          this.#noteSourceEnd(null);
          return;
        }
      }
    } finally {
      this.#reading = false;
    }
  }
}

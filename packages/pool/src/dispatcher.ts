/**
 * Main side: feeds chunks to piscina in batches and turns whatever happens to a worker into exactly
 * one outcome per chunk.
 *
 * Design note.
 * - Queue: chunks wait in `#queue` (FIFO across calls) until a batch slot and slot-table slots are
 *   free. At most `#maxBatches` batches (processes x batchesPerWorker) are inside piscina at once, so
 *   piscina's own queue stays empty and a dying worker only ever held a bounded amount of work.
 * - Batching: a batch takes up to ceil(queued / (2 * maxBatches)) consecutive chunks running the same task
 *   (guided scheduling: large batches while the queue is long, single chunks near the end, so the
 *   last worker to finish is not left with a big batch), capped by `MAX_BATCH_CHUNKS` and
 *   `MAX_BATCH_ITEMS`. Per-message overhead is what limits tiny tasks; batching amortises it.
 * - Results come per chunk on `parentPort` (see protocol.ts), the batch ack only carries
 *   `threadId`/`retire`.
 * - A rejected batch means its worker is gone. For each unsettled chunk the slot says what happened:
 *   QUEUED -> never started: compareExchange it to CANCELLED (so no worker can still start it) and
 *   put it back at the head of the queue; RUNNING/DONE -> it ran: wait for the worker's `exit` (Node
 *   has then delivered every message the worker posted), and if no result came, fail the chunk with
 *   `killReason` (timeout/abort) or a `WorkerLostError` naming its items. Nothing runs twice.
 */
import type { Piscina } from 'piscina';
import type { CallSink, Chunk, ChunkOutcome } from './chunk.js';
import { PoolTimeoutError, WorkerLostError } from './errors.js';
import {
  S_CANCELLED,
  S_FREE,
  S_KILLING,
  S_QUEUED,
  S_RUNNING,
  SLOT_COUNT,
  SLOT_WORDS,
  type SlotViews,
  W_ITEM,
  W_STATE,
  W_THREAD,
} from './layout.js';
import {
  type BatchAck,
  type ChunkResultMessage,
  NUMERIC_MIN,
  type WireBatch,
  type WireError,
} from './protocol.js';
import { fromWireError } from './remote-error.js';
import type { WorkerRegistry } from './worker-registry.js';

/** Most chunks in one batch. */
export const MAX_BATCH_CHUNKS = 256;
/** A batch stops growing once it holds this many items (it always takes at least one chunk). */
export const MAX_BATCH_ITEMS = 16_384;
/**
 * A chunk whose workers keep dying before starting it is failed after this many re-queues (only
 * deaths count, not a worker retiring after maxTasksPerChild), so a pool whose workers cannot live
 * fails loudly instead of cycling forever.
 */
const MAX_REQUEUES = 16;
/** How long to wait for a dead worker's `exit` before settling its chunks anyway. */
const EXIT_WAIT_MS = 5_000;

interface Batch {
  readonly chunks: Chunk[];
  /** Slot of each chunk in this batch (a stolen chunk has moved to another slot since). */
  readonly slots: number[];
  /** `stolen[i]`: chunk i was taken over by another batch; `slots[i]` is an orphan freed with this batch. */
  stolen: boolean[] | null;
}

export interface DispatcherOptions {
  readonly piscina: Piscina;
  readonly registry: WorkerRegistry;
  readonly slots: SlotViews;
  readonly maxBatches: number;
  /** Most chunks per batch (maxTasksPerChild when set: a retiring worker would hand the rest back). */
  readonly maxBatchChunks: number;
  /** 0 = no per-item timeout. */
  readonly taskTimeoutMs: number;
  /** The worker's initializer threw: the pool is broken. */
  readonly onInitError: (error: WireError) => void;
}

export class Dispatcher {
  readonly #piscina: Piscina;
  readonly #registry: WorkerRegistry;
  readonly #words: Int32Array;
  readonly #startTimes: Float64Array;
  readonly #maxBatches: number;
  readonly #maxBatchChunks: number;
  readonly #taskTimeoutMs: number;
  readonly #onInitError: (error: WireError) => void;

  /** Waiting chunks; `#head` is the index of the first live entry. */
  #queue: Chunk[] = [];
  #head = 0;
  readonly #freeSlots: number[] = [];
  readonly #slotChunks: (Chunk | undefined)[] = new Array(SLOT_COUNT);
  /** Chunks holding a slot (dispatched and not settled). */
  readonly #dispatched = new Set<Chunk>();
  /** Batches inside piscina. */
  readonly #batches = new Set<Batch>();
  #inflightBatches = 0;
  #stopped = false;
  #watchdog: NodeJS.Timeout | undefined;
  #idleWaiters: (() => void)[] = [];
  /**
   * A ref'd timer while chunks are dispatched. piscina unrefs a worker as soon as its batch is
   * acknowledged, but the chunk results travel on `parentPort` and may still be on their way: without
   * this, Node could exit with results undelivered and the caller's await unsettled.
   */
  #keepAlive: NodeJS.Timeout | undefined;
  /** Exit waits in progress (a dead worker's running chunks); the pool is not idle until they end. */
  #pendingLost = 0;

  constructor(options: DispatcherOptions) {
    this.#piscina = options.piscina;
    this.#registry = options.registry;
    this.#words = options.slots.words;
    this.#startTimes = options.slots.startTimes;
    this.#maxBatches = options.maxBatches;
    this.#maxBatchChunks = Math.min(MAX_BATCH_CHUNKS, options.maxBatchChunks);
    this.#taskTimeoutMs = options.taskTimeoutMs;
    this.#onInitError = options.onInitError;
    for (let slot = SLOT_COUNT - 1; slot >= 0; slot--) this.#freeSlots.push(slot);
    this.#piscina.on('message', (message: unknown) => {
      if (
        typeof message === 'object' &&
        message !== null &&
        (message as { gilkitPool?: unknown }).gilkitPool === 'chunk'
      ) {
        this.#onChunkResult(message as ChunkResultMessage);
      }
    });
  }

  /** Queues chunks (in order) and dispatches what capacity allows. */
  submit(chunks: readonly Chunk[]): void {
    if (this.#stopped) return;
    for (const chunk of chunks) this.#queue.push(chunk);
    this.#pump();
  }

  /**
   * Stops a call: its waiting chunks are dropped, dispatched chunks not yet started are cancelled in
   * their slot (the worker skips them), and with `killRunning` a chunk already running has its worker
   * terminated (the worker is replaced; other work it held is re-queued, see the design note).
   */
  cancel(call: CallSink, killRunning: boolean, reason: Error): void {
    this.#queue = this.#queue.slice(this.#head).filter((chunk) => chunk.call !== call);
    this.#head = 0;
    for (const chunk of this.#dispatched) {
      if (chunk.call !== call) continue;
      const base = chunk.slot * SLOT_WORDS;
      if (
        Atomics.compareExchange(this.#words, base + W_STATE, S_QUEUED, S_CANCELLED) === S_RUNNING &&
        killRunning
      ) {
        this.#kill(chunk, reason);
      }
    }
    this.#notifyIdle();
  }

  /**
   * Terminates the worker running `chunk`, if the chunk is still running: RUNNING -> KILLING first,
   * so a worker that has just finished the chunk is never killed in the middle of its next one.
   */
  #kill(chunk: Chunk, reason: Error): void {
    const base = chunk.slot * SLOT_WORDS;
    if (Atomics.compareExchange(this.#words, base + W_STATE, S_RUNNING, S_KILLING) !== S_RUNNING) return;
    chunk.killReason ??= reason;
    this.#registry.kill(Atomics.load(this.#words, base + W_THREAD));
  }

  /** Drops everything; used by terminate(). Outstanding piscina promises are ignored from now on. */
  stop(): void {
    this.#stopped = true;
    this.#queue = [];
    this.#head = 0;
    this.#dispatched.clear();
    if (this.#watchdog !== undefined) clearInterval(this.#watchdog);
    this.#notifyIdle();
  }

  /** True when no chunk is waiting, dispatched or being settled. */
  get idle(): boolean {
    return (
      this.#stopped ||
      (this.#head >= this.#queue.length &&
        this.#dispatched.size === 0 &&
        this.#inflightBatches === 0 &&
        this.#pendingLost === 0)
    );
  }

  /** Resolves when `idle` becomes true. */
  whenIdle(): Promise<void> {
    if (this.idle) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #notifyIdle(): void {
    if (!this.idle) return;
    if (this.#keepAlive !== undefined) {
      clearInterval(this.#keepAlive);
      this.#keepAlive = undefined;
    }
    if (this.#idleWaiters.length === 0) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /**
   * Dispatches queued chunks while there is capacity. `maySteal`: called because a batch ended (a
   * worker may have just become idle), so look for work to steal if the queue is empty; not on every
   * chunk result, which would make each result scan every dispatched chunk.
   */
  #pump(maySteal = false): void {
    const queue = this.#queue;
    while (
      !this.#stopped &&
      this.#head < queue.length &&
      this.#inflightBatches < this.#maxBatches &&
      this.#freeSlots.length > 0
    ) {
      const first = queue[this.#head++]!;
      if (first.call.cancelled) continue;
      const queued = queue.length - this.#head + 1;
      const want = Math.min(
        this.#maxBatchChunks,
        this.#freeSlots.length,
        Math.max(1, Math.ceil(queued / (2 * this.#maxBatches))),
      );
      const chunks = [first];
      let items = first.length;
      while (chunks.length < want && items < MAX_BATCH_ITEMS && this.#head < queue.length) {
        const next = queue[this.#head]!;
        // Chunks of different calls share a batch when they run the same function the same way
        // (many applyAsync calls): the worker does not care which call an item belongs to.
        if (
          next.call !== first.call &&
          (next.call.taskKey !== first.call.taskKey || next.call.star !== first.call.star)
        ) {
          break;
        }
        if (next.call.cancelled) {
          this.#head++;
          continue;
        }
        this.#head++;
        chunks.push(next);
        items += next.length;
      }
      this.#dispatch(chunks);
    }
    if (maySteal && this.#head >= queue.length && this.#batches.size > 0 && this.#piscina.idleThreads > 0) {
      this.#steal();
    }
    if (this.#head > 4096 && this.#head * 2 > queue.length) {
      this.#queue = queue.slice(this.#head);
      this.#head = 0;
    }
  }

  #dispatch(chunks: Chunk[]): void {
    const call = chunks[0]!.call;
    const slots: number[] = new Array(chunks.length);
    const batch: Batch = { chunks, slots, stolen: null };
    this.#batches.add(batch);
    const sizes: number[] = new Array(chunks.length);
    for (let c = 0; c < chunks.length; c++) {
      const chunk = chunks[c]!;
      const slot = this.#freeSlots.pop()!;
      chunk.slot = slot;
      this.#slotChunks[slot] = chunk;
      this.#dispatched.add(chunk);
      const base = slot * SLOT_WORDS;
      this.#words[base + W_THREAD] = 0;
      this.#words[base + W_ITEM] = 0;
      // Until the worker writes the first item's start time, the watchdog must not see a stale one.
      this.#startTimes[slot] = Number.POSITIVE_INFINITY;
      Atomics.store(this.#words, base + W_STATE, S_QUEUED);
      slots[c] = slot;
      sizes[c] = chunk.length;
    }
    const items = call.star ? gatherItems(chunks) : (packNumbers(chunks) ?? gatherItems(chunks));
    const packed = items instanceof Float64Array ? (items as Float64Array<ArrayBuffer>) : null;
    const wire: WireBatch = { task: call.task, star: call.star, slots, sizes, items };
    this.#inflightBatches++;
    this.#keepAlive ??= setInterval(() => undefined, 1 << 30);
    this.#ensureWatchdog();
    this.#piscina.run(wire, packed === null ? {} : { transferList: [packed.buffer] }).then(
      (ack: BatchAck) => this.#onAck(batch, ack),
      (error: unknown) => this.#onBatchLost(batch, error),
    );
  }

  /**
   * Work stealing, when the queue is empty and a worker has no batch: the batch holding the most
   * chunks not yet started (they wait behind a long chunk, or behind another batch of the same
   * worker) gives up the last half of them, which are dispatched again as a new batch (piscina's
   * least-busy balancer gives it to the idle worker). Each stolen chunk is compareExchanged
   * QUEUED -> CANCELLED first, so the original worker skips it: it runs exactly once. Its old slot
   * stays allocated (an orphan) until the original batch settles, since that worker still reads it.
   */
  #steal(): void {
    let victim: Batch | undefined;
    let most = 0;
    for (const batch of this.#batches) {
      let waiting = 0;
      for (let i = 0; i < batch.chunks.length; i++) {
        const chunk = batch.chunks[i]!;
        if (batch.stolen?.[i] || chunk.settled || chunk.call.cancelled) continue;
        if (Atomics.load(this.#words, batch.slots[i]! * SLOT_WORDS + W_STATE) === S_QUEUED) waiting++;
      }
      if (waiting > most) {
        most = waiting;
        victim = batch;
      }
    }
    const wanted = Math.min(Math.ceil(most / 2), this.#freeSlots.length);
    if (victim === undefined || wanted === 0) return;
    const taken: Chunk[] = [];
    for (let i = victim.chunks.length - 1; i >= 0 && taken.length < wanted; i--) {
      const chunk = victim.chunks[i]!;
      if (victim.stolen?.[i] || chunk.settled || chunk.call.cancelled) continue;
      const slot = victim.slots[i]!;
      // The worker got here first: it runs this chunk and the ones before it.
      if (
        Atomics.compareExchange(this.#words, slot * SLOT_WORDS + W_STATE, S_QUEUED, S_CANCELLED) !== S_QUEUED
      )
        break;
      (victim.stolen ??= new Array(victim.chunks.length).fill(false))[i] = true;
      this.#slotChunks[slot] = undefined;
      taken.push(chunk);
    }
    if (taken.length > 0) this.#dispatch(taken.reverse());
  }

  #release(chunk: Chunk): void {
    const slot = chunk.slot;
    if (slot < 0) return;
    this.#slotChunks[slot] = undefined;
    Atomics.store(this.#words, slot * SLOT_WORDS + W_STATE, S_FREE);
    this.#freeSlots.push(slot);
    this.#dispatched.delete(chunk);
    chunk.slot = -1;
  }

  #settle(chunk: Chunk, outcome: ChunkOutcome): void {
    this.#release(chunk);
    chunk.settled = true;
    chunk.call.chunkSettled(chunk, outcome);
  }

  #onChunkResult(message: ChunkResultMessage): void {
    if (this.#stopped) return;
    const chunk = this.#slotChunks[message.slot];
    if (chunk === undefined || chunk.settled) return;
    const errors =
      message.errors === undefined
        ? null
        : message.errors.map(([index, wire]): [number, Error] => [index, fromWireError(wire)]);
    this.#settle(chunk, { ok: true, values: message.values, errors });
    this.#pump();
    this.#notifyIdle();
  }

  /** Puts never-started chunks back at the head of the queue, in order; `afterDeath` counts towards MAX_REQUEUES. */
  #requeue(chunks: Chunk[], afterDeath: boolean): void {
    for (let i = chunks.length - 1; i >= 0; i--) {
      const chunk = chunks[i]!;
      if (chunk.call.cancelled) continue;
      if (afterDeath && ++chunk.requeues > MAX_REQUEUES) {
        chunk.settled = true;
        chunk.call.chunkSettled(chunk, {
          ok: false,
          error: new WorkerLostError(
            `${chunk.describe()}: workers died ${MAX_REQUEUES} times before starting it`,
            chunk.positions(),
            undefined,
          ),
        });
        continue;
      }
      if (this.#head > 0) this.#queue[--this.#head] = chunk;
      else this.#queue.unshift(chunk);
    }
  }

  /** Releases the unsettled chunks that never started (QUEUED or CANCELLED) and returns them. */
  #takeUnstarted(batch: Batch): { unstarted: Chunk[]; started: Chunk[] } {
    const unstarted: Chunk[] = [];
    const started: Chunk[] = [];
    for (let i = 0; i < batch.chunks.length; i++) {
      const chunk = batch.chunks[i]!;
      if (batch.stolen?.[i]) {
        // The worker is done with this batch, so nobody touches the orphan slot any more.
        const orphan = batch.slots[i]!;
        Atomics.store(this.#words, orphan * SLOT_WORDS + W_STATE, S_FREE);
        this.#freeSlots.push(orphan);
        continue;
      }
      if (chunk.settled || chunk.slot < 0) continue;
      const base = chunk.slot * SLOT_WORDS;
      const before = Atomics.compareExchange(this.#words, base + W_STATE, S_QUEUED, S_CANCELLED);
      if (before === S_QUEUED || before === S_CANCELLED) {
        this.#release(chunk);
        unstarted.push(chunk);
      } else {
        started.push(chunk);
      }
    }
    return { unstarted, started };
  }

  #onAck(batch: Batch, ack: BatchAck): void {
    this.#inflightBatches--;
    this.#batches.delete(batch);
    if (this.#stopped) return;
    if (ack.initError !== undefined) {
      this.#takeUnstarted(batch);
      this.#onInitError(ack.initError);
      return;
    }
    // Chunks the worker finished are settled by their parentPort message (which may arrive after
    // this ack: separate ports). Unstarted ones (worker retired, or the call was cancelled) go back.
    const { unstarted } = this.#takeUnstarted(batch);
    this.#requeue(unstarted, false);
    if (ack.retire) this.#registry.kill(ack.threadId);
    this.#pump(true);
    this.#notifyIdle();
  }

  #onBatchLost(batch: Batch, error: unknown): void {
    this.#inflightBatches--;
    this.#batches.delete(batch);
    if (this.#stopped) return;
    const { unstarted, started } = this.#takeUnstarted(batch);
    this.#requeue(unstarted, true);
    for (const chunk of started) void this.#settleLost(chunk, error);
    this.#pump(true);
    this.#notifyIdle();
  }

  async #settleLost(chunk: Chunk, error: unknown): Promise<void> {
    this.#pendingLost++;
    const base = chunk.slot * SLOT_WORDS;
    const threadId = Atomics.load(this.#words, base + W_THREAD);
    const item = chunk.start + Atomics.load(this.#words, base + W_ITEM);
    const exitCode = await this.#registry.whenExited(threadId, EXIT_WAIT_MS);
    this.#pendingLost--;
    if (this.#stopped) return;
    if (!chunk.settled) {
      const how = error instanceof Error ? error.message : String(error);
      const lost =
        chunk.killReason ??
        new WorkerLostError(
          `worker ${threadId} died (${how}) while running ${chunk.call.label} item ${item}; ` +
            `lost: ${chunk.describe()}`,
          chunk.positions(),
          exitCode,
          { cause: error },
        );
      this.#settle(chunk, { ok: false, error: lost });
    }
    this.#pump();
    this.#notifyIdle();
  }

  #ensureWatchdog(): void {
    if (this.#taskTimeoutMs <= 0 || this.#watchdog !== undefined) return;
    const every = Math.max(5, Math.min(100, this.#taskTimeoutMs / 5));
    this.#watchdog = setInterval(() => this.#checkTimeouts(), every);
    this.#watchdog.unref();
  }

  /** Kills the worker of any item that has run longer than taskTimeoutMs. */
  #checkTimeouts(): void {
    const now = performance.timeOrigin + performance.now();
    for (const chunk of this.#dispatched) {
      if (chunk.killReason !== undefined) continue;
      const base = chunk.slot * SLOT_WORDS;
      if (Atomics.load(this.#words, base + W_STATE) !== S_RUNNING) continue;
      if (now - this.#startTimes[chunk.slot]! < this.#taskTimeoutMs) continue;
      const item = chunk.start + Atomics.load(this.#words, base + W_ITEM);
      this.#kill(
        chunk,
        new PoolTimeoutError(
          `${chunk.call.label} item ${item} ran longer than taskTimeoutMs (${this.#taskTimeoutMs} ms); ` +
            `its worker was terminated and ${chunk.describe()} failed`,
        ),
      );
    }
  }
}

/** The items of `chunks`, concatenated (the source array itself when one chunk covers all of it). */
function gatherItems(chunks: readonly Chunk[]): readonly unknown[] {
  const only = chunks[0]!;
  if (chunks.length === 1 && only.offset === 0 && only.length === only.source.length) return only.source;
  const items: unknown[] = [];
  for (const chunk of chunks) {
    const { source, offset, length } = chunk;
    for (let i = 0; i < length; i++) items.push(source[offset + i]);
  }
  return items;
}

/** The items as a Float64Array when there are at least NUMERIC_MIN and all are numbers, else null. */
function packNumbers(chunks: readonly Chunk[]): Float64Array<ArrayBuffer> | null {
  let total = 0;
  for (const chunk of chunks) total += chunk.length;
  if (total < NUMERIC_MIN) return null;
  const packed = new Float64Array(total);
  let at = 0;
  for (const chunk of chunks) {
    const { source, offset, length } = chunk;
    for (let i = 0; i < length; i++) {
      const item = source[offset + i];
      if (typeof item !== 'number') return null;
      packed[at++] = item;
    }
  }
  return packed;
}

/**
 * Messages between the pool (main thread) and its workers. Shared by both sides; nothing else is.
 *
 * A *batch* (one piscina task) carries one or more *chunks* of the same call. The worker runs the
 * chunks in order and posts each chunk's results on `parentPort` as soon as the chunk is done
 * (`ChunkResultMessage`), so a worker that dies later in the batch loses nothing already computed:
 * Node drains `parentPort` before the Worker's `exit` event. The batch's piscina result
 * (`BatchAck`) only says which worker ran it and whether that worker wants to retire.
 */

/** A task function as the worker receives it. */
export type WireTask =
  | { readonly kind: 'js'; readonly module: string; readonly name: string }
  | { readonly kind: 'py'; readonly source: string; readonly name: string };

/**
 * The piscina task: a batch of chunks running one task function. Flat arrays, not an object per
 * chunk: structured clone of the batch is a main-thread cost paid per chunk when chunks are tiny.
 */
export interface WireBatch {
  readonly task: WireTask;
  /** True: each item is an argument list spread into the function (starmap, apply). */
  readonly star: boolean;
  /** Slot (see layout.ts) of each chunk. */
  readonly slots: readonly number[];
  /** Number of items of each chunk. */
  readonly sizes: readonly number[];
  /**
   * The items of all chunks, concatenated: arguments (map) or argument lists (starmap, apply).
   * All-number items of a large batch travel as a transferred Float64Array (`NUMERIC_MIN` and up):
   * structured clone of a plain array costs per element, a typed array is one copy-free transfer.
   */
  readonly items: readonly unknown[] | Float64Array;
}

/** Smallest number of numeric items or values sent as a Float64Array instead of a plain array. */
export const NUMERIC_MIN = 64;

/** An error thrown by a task, as plain data. */
export interface WireError {
  readonly name: string;
  readonly message: string;
  readonly stack: string;
  readonly code?: string | number;
  /** Set for a Python exception raised by a MiniPy task. */
  readonly python?: { readonly type: string; readonly message: string; readonly traceback: string };
}

/** Posted on parentPort by the worker once per finished chunk. */
export interface ChunkResultMessage {
  readonly gilkitPool: 'chunk';
  readonly slot: number;
  /** One value per item (undefined where the item threw); a Float64Array when all are numbers (see NUMERIC_MIN). */
  readonly values: unknown[] | Float64Array;
  /** `[index inside the chunk, error]` for items that threw; absent when none did. */
  readonly errors?: [number, WireError][];
}

/** What the worker returns for a batch, through piscina. */
export interface BatchAck {
  readonly threadId: number;
  /** The worker reached `maxTasksPerChild` and ran nothing after that; the pool replaces it. */
  readonly retire: boolean;
  /** Set when the worker's initializer threw: no chunk was started. */
  readonly initError?: WireError;
}

/** `workerData` of every worker. */
export interface WorkerConfig {
  readonly slotBuffer: SharedArrayBuffer;
  /** Write per-item start times (only when the pool has a taskTimeoutMs). */
  readonly trackTime: boolean;
  /** 0 = unlimited. */
  readonly maxTasksPerChild: number;
  readonly initializer: WireTask | null;
  readonly initargs: readonly unknown[];
}

/** Turns anything thrown into plain data that survives structured clone. */
export function toWireError(thrown: unknown): WireError {
  if (thrown instanceof Error && isPyError(thrown)) {
    // The vm's PyError: message is "Type: message", pyType the Python class, traceback Python's.
    const prefix = `${thrown.pyType}: `;
    const message = thrown.message.startsWith(prefix) ? thrown.message.slice(prefix.length) : '';
    return {
      name: thrown.name,
      message: thrown.message,
      stack: thrown.traceback || thrown.stack || thrown.message,
      python: { type: thrown.pyType, message, traceback: thrown.traceback },
    };
  }
  if (thrown instanceof Error) {
    const code = (thrown as { code?: unknown }).code;
    return {
      name: thrown.name,
      message: thrown.message,
      stack: thrown.stack ?? `${thrown.name}: ${thrown.message}`,
      ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    };
  }
  const text = String(thrown);
  return { name: 'Error', message: text, stack: `Error: ${text} (a non-Error value was thrown)` };
}

function isPyError(error: Error): error is Error & { pyType: string; traceback: string } {
  const e = error as { pyType?: unknown; traceback?: unknown };
  return typeof e.pyType === 'string' && typeof e.traceback === 'string';
}

/**
 * The Heap: CPython's object model over one (Shared)ArrayBuffer. Layers: memory.ts (allocator) ->
 * refcounts.ts (refcount modes, dealloc, checked mode) -> atoms.ts (None, bool, int, float, str,
 * bytes) -> this file (creation/attach, tuple, list, dict, set, object handles, hashing,
 * conversion, gc, verify, stats).
 *
 * Refcounting follows CPython's rules: constructors return a new reference (refcount 1, owned by the
 * caller); getters return borrowed references (no incref, like PyList_GET_ITEM); setters and
 * appenders take their own reference to the value (incref, like PyList_Append/PyDict_SetItem),
 * except the `*Steal` variants and `tupleInit`, which take over the caller's reference (like
 * PyTuple_SET_ITEM). Immortal objects (PEP 683) ignore incref/decref.
 */
import { Atoms } from './atoms.js';
import { fromJS, type JSValue, toJS } from './convert.js';
import { lockStripe, stripeOf, unlockStripe } from './critical.js';
import * as dict from './dict.js';
import {
  HeapFormatError,
  PyIndexError,
  PyKeyError,
  PyMemoryError,
  PyTypeError,
  PyValueError,
} from './errors.js';
import { collectCycles } from './gc.js';
import { hashBigInt, hashBytes, hashCombine, hashFloat, hashSafeInt, NONE_HASH } from './hash.js';
import { MODE_NAMES, type RefcountMode, TYPE_NAMES } from './layout.js';
import * as set from './set.js';
import { type HeapStats, heapStats } from './stats.js';
import { type VerifyOptions, type VerifyReport, verifyHeap } from './verify.js';

// Local copies of layout.ts constants. V8 does not constant-fold imported bindings (every use is a
// module-cell load plus a TDZ check, which measured 2x slower on the alloc/free path), so hot
// modules keep their own copies; layout.test.ts checks every copy against layout.ts.
const C_ALLOC_LOCK = 0x9; // layout.C_ALLOC_LOCK
const C_CHECKED = 0x4; // layout.C_CHECKED
const C_FREEPOOLS = 0x7; // layout.C_FREEPOOLS
const C_LARGE_BOTTOM = 0x6; // layout.C_LARGE_BOTTOM
const C_LARGE_FREE = 0x8; // layout.C_LARGE_FREE
const C_MAGIC = 0x0; // layout.C_MAGIC
const C_MODE = 0x2; // layout.C_MODE
const C_NEXT_THREAD_ID = 0xe; // layout.C_NEXT_THREAD_ID
const C_POOL_TOP = 0x5; // layout.C_POOL_TOP
const C_TOTAL_BYTES = 0x3; // layout.C_TOTAL_BYTES
const C_VERSION = 0x1; // layout.C_VERSION
const CONTROL_BYTES = 0x11000; // layout.CONTROL_BYTES
const EMPTY_TUPLE_REF = 0x11060; // layout.EMPTY_TUPLE_REF
const HEAP_MAGIC = 0x67696c68; // layout.HEAP_MAGIC
const HEAP_VERSION = 0x1; // layout.HEAP_VERSION
const MAX_THREADS = 0x100; // layout.MAX_THREADS
const MIN_HEAP_BYTES = 0x28000; // layout.MIN_HEAP_BYTES
const OFF_LIST_CAP = 0x14; // layout.OFF_LIST_CAP
const OFF_LIST_ITEMS = 0x18; // layout.OFF_LIST_ITEMS
const OFF_LIST_LEN = 0x10; // layout.OFF_LIST_LEN
const OFF_OBJ_KIND = 0x10; // layout.OFF_OBJ_KIND
const OFF_OBJ_NSLOTS = 0x14; // layout.OFF_OBJ_NSLOTS
const OFF_OBJ_NWORDS = 0x18; // layout.OFF_OBJ_NWORDS
const OFF_OBJ_SLOTS = 0x20; // layout.OFF_OBJ_SLOTS
const OFF_STORAGE_DATA = 0x10; // layout.OFF_STORAGE_DATA
const OFF_STR_BYTES = 0x10; // layout.OFF_STR_BYTES
const OFF_STR_DATA = 0x20; // layout.OFF_STR_DATA
const OFF_STR_FLAGS = 0x1c; // layout.OFF_STR_FLAGS
const OFF_STR_HASH = 0x14; // layout.OFF_STR_HASH
const OFF_TUPLE_ITEMS = 0x14; // layout.OFF_TUPLE_ITEMS
const OFF_TUPLE_LEN = 0x10; // layout.OFF_TUPLE_LEN
const OFF_VALUE = 0x10; // layout.OFF_VALUE
const POOL_BASE = 0x18000; // layout.POOL_BASE
const POOL_SIZE = 0x4000; // layout.POOL_SIZE
const SF_HASHED = 0x1; // layout.SF_HASHED
const T_BIGINT = 0x4; // layout.T_BIGINT
const T_BOOL = 0x2; // layout.T_BOOL
const T_BYTES = 0x7; // layout.T_BYTES
const T_DICT = 0xa; // layout.T_DICT
const T_FLOAT = 0x5; // layout.T_FLOAT
const T_INT = 0x3; // layout.T_INT
const T_LIST = 0x9; // layout.T_LIST
const T_NONE = 0x1; // layout.T_NONE
const T_OBJECT = 0xc; // layout.T_OBJECT
const T_SET = 0xb; // layout.T_SET
const T_STORAGE = 0xd; // layout.T_STORAGE
const T_STR = 0x6; // layout.T_STR
const T_TUPLE = 0x8; // layout.T_TUPLE
const C_TAGGED = 0x12; // layout.C_TAGGED
const C_THREAD_CACHES = 0x400; // layout.C_THREAD_CACHES
const TC_LIVE = 0x3; // layout.TC_LIVE
const TC_WORDS = 0x40; // layout.TC_WORDS
const MODE_GIL = 0x0; // layout.MODE_GIL
const C_INTERN = 0x13; // layout.C_INTERN
const IMMORTAL_REFCNT = -1073741824; // layout.IMMORTAL_REFCNT
const F_HOST = 0x2; // layout.F_HOST
const C_HOST_ROOTS = 0x14; // layout.C_HOST_ROOTS
const HOST_ROOTS = 0x8; // layout.HOST_ROOTS
/** @internal The layout constants this module copies (for layout.test.ts). */
export const LAYOUT_COPIES_HEAP: Readonly<Record<string, number>> = {
  F_HOST,
  C_HOST_ROOTS,
  HOST_ROOTS,
  C_INTERN,
  IMMORTAL_REFCNT,
  C_THREAD_CACHES,
  TC_LIVE,
  TC_WORDS,
  MODE_GIL,
  C_TAGGED,
  C_ALLOC_LOCK,
  C_CHECKED,
  C_FREEPOOLS,
  C_LARGE_BOTTOM,
  C_LARGE_FREE,
  C_MAGIC,
  C_MODE,
  C_NEXT_THREAD_ID,
  C_POOL_TOP,
  C_TOTAL_BYTES,
  C_VERSION,
  CONTROL_BYTES,
  EMPTY_TUPLE_REF,
  HEAP_MAGIC,
  HEAP_VERSION,
  MAX_THREADS,
  MIN_HEAP_BYTES,
  OFF_LIST_CAP,
  OFF_LIST_ITEMS,
  OFF_LIST_LEN,
  OFF_OBJ_KIND,
  OFF_OBJ_NSLOTS,
  OFF_OBJ_NWORDS,
  OFF_OBJ_SLOTS,
  OFF_STORAGE_DATA,
  OFF_STR_BYTES,
  OFF_STR_DATA,
  OFF_STR_FLAGS,
  OFF_STR_HASH,
  OFF_TUPLE_ITEMS,
  OFF_TUPLE_LEN,
  OFF_VALUE,
  POOL_BASE,
  POOL_SIZE,
  SF_HASHED,
  T_BIGINT,
  T_BOOL,
  T_BYTES,
  T_DICT,
  T_FLOAT,
  T_INT,
  T_LIST,
  T_NONE,
  T_OBJECT,
  T_SET,
  T_STORAGE,
  T_STR,
  T_TUPLE,
};

export type { PyTypeName } from './refcounts.js';

/** Options of `Heap.create`. */
export interface HeapCreateOptions {
  /** Buffer size in bytes (rounded down to 16 KiB). Default 64 MiB. */
  bytes?: number;
  /** Refcount mode for the life of the heap. Default `'gil'`. */
  refcountMode?: RefcountMode;
  /** Back the heap with a SharedArrayBuffer (needed to share it with workers). Default true. */
  shared?: boolean;
  /** Validate every reference passed in and detect refcount misuse (slower). Default false. */
  checked?: boolean;
  /** This thread's id, 0..255 (owner id in biased mode). Default 0. */
  threadId?: number;
  /**
   * Represent ints in -2**30..2**30-1 as odd immediates `(v << 1) | 1` instead of objects, so int
   * arithmetic allocates nothing (see layout.ts TAGGED_MIN). Default false (every int an object).
   */
  taggedInts?: boolean;
}

/** Options of `Heap.attach`. */
export interface HeapAttachOptions {
  /** This thread's id, 0..255. Default: the next unused id handed out by the heap (from 1). */
  threadId?: number;
}

const DEFAULT_BYTES = 64 << 20;

/** A reference-counted object heap in one buffer. Refs are plain integers (byte offsets). */
export class Heap extends Atoms {
  private constructor(buffer: ArrayBuffer | SharedArrayBuffer, threadId: number) {
    super(buffer, threadId);
  }

  /** Create a heap in a new buffer. */
  static create(options: HeapCreateOptions = {}): Heap {
    const bytesOpt = options.bytes ?? DEFAULT_BYTES;
    if (!Number.isInteger(bytesOpt) || bytesOpt < MIN_HEAP_BYTES || bytesOpt > 0x7fff_c000) {
      throw new PyValueError(
        `options.bytes must be an integer between ${MIN_HEAP_BYTES} and ${0x7fff_c000}, got ${bytesOpt}`,
      );
    }
    const mode = options.refcountMode ?? 'gil';
    const modeId = MODE_NAMES.indexOf(mode);
    if (modeId < 0) {
      throw new PyValueError(`options.refcountMode must be 'gil', 'atomic' or 'biased', got ${String(mode)}`);
    }
    const threadId = checkThreadId(options.threadId ?? 0);
    const bytes = Math.floor(bytesOpt / POOL_SIZE) * POOL_SIZE;
    const shared = options.shared ?? true;
    if (shared && typeof SharedArrayBuffer === 'undefined') {
      throw new PyValueError(
        'options.shared is true but SharedArrayBuffer is unavailable (not cross-origin isolated)',
      );
    }
    const buffer = shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
    const i32 = new Int32Array(buffer, 0, CONTROL_BYTES >> 2);
    i32[C_MAGIC] = HEAP_MAGIC;
    i32[C_VERSION] = HEAP_VERSION;
    i32[C_MODE] = modeId;
    i32[C_TOTAL_BYTES] = bytes;
    i32[C_CHECKED] = options.checked ? 1 : 0;
    i32[C_TAGGED] = options.taggedInts ? 1 : 0;
    i32[C_POOL_TOP] = POOL_BASE;
    i32[C_LARGE_BOTTOM] = bytes;
    i32[C_FREEPOOLS] = 0;
    i32[C_LARGE_FREE] = 0;
    i32[C_ALLOC_LOCK] = 0;
    i32[C_NEXT_THREAD_ID] = 1;
    const heap = new Heap(buffer, threadId);
    heap.markLive(true);
    heap.initStatics();
    return heap;
  }

  /** Attach to a heap created elsewhere (e.g. in another worker) from its buffer. */
  static attach(buffer: ArrayBuffer | SharedArrayBuffer, options: HeapAttachOptions = {}): Heap {
    if (
      !(buffer instanceof ArrayBuffer) &&
      !(typeof SharedArrayBuffer !== 'undefined' && buffer instanceof SharedArrayBuffer)
    ) {
      throw new HeapFormatError('Heap.attach expects the ArrayBuffer or SharedArrayBuffer of a heap');
    }
    if (buffer.byteLength < MIN_HEAP_BYTES) throw new HeapFormatError('buffer is too small to hold a heap');
    const i32 = new Int32Array(buffer, 0, CONTROL_BYTES >> 2);
    if (i32[C_MAGIC] !== HEAP_MAGIC)
      throw new HeapFormatError('buffer does not hold a gilkit heap (bad magic)');
    if (i32[C_VERSION] !== HEAP_VERSION) {
      throw new HeapFormatError(
        `heap layout version ${i32[C_VERSION]} is not supported (expected ${HEAP_VERSION})`,
      );
    }
    if (i32[C_TOTAL_BYTES] !== buffer.byteLength)
      throw new HeapFormatError('heap size does not match the buffer');
    let threadId = options.threadId;
    if (threadId === undefined) {
      const hint = Atomics.add(i32, C_NEXT_THREAD_ID, 1) - 1;
      if (i32[C_MODE] === MODE_GIL) {
        // Ids only label threads here (no biased owners, no caches): 1..255 in turn.
        threadId = 1 + (hint % (MAX_THREADS - 1));
      } else {
        // Ids own biased objects and a block cache: claim one no attached thread holds.
        threadId = claimThreadId(new Int32Array(buffer), hint);
      }
    }
    const heap = new Heap(buffer, checkThreadId(threadId));
    heap.markLive(true);
    return heap;
  }

  /**
   * Call when this thread stops using the heap (before a worker exits): marks its id detached,
   * merges the objects other threads queued to it (biased mode) and returns its cached free blocks
   * to the pools, so nothing is stranded with an id nobody uses. From then on, a decref that would
   * queue an object to this thread merges it on the spot instead (as CPython does when the owner
   * thread has exited). Do not keep using this handle afterwards; attach again.
   */
  detach(): void {
    // Mark detached before draining: a queuer that pushes after our drain sees the mark and drains.
    this.markLive(false);
    this.mergeQueued();
    this.flushThreadCache();
  }

  /**
   * Enter `ref`'s critical section (modes without a GIL: hold it while mutating a shared
   * container). Hold one at a time, or two via `lockObjects2`; not re-entrant. See critical.ts.
   */
  lockObject(ref: number): void {
    if (this.checked) this.checkLive(ref, 'lockObject');
    lockStripe(this.i32, stripeOf(ref));
  }

  /** Leave `ref`'s critical section. */
  unlockObject(ref: number): void {
    unlockStripe(this.i32, stripeOf(ref));
  }

  /** Enter the critical sections of two objects without deadlock (address order, shared stripe once). */
  lockObjects2(a: number, b: number): void {
    if (this.checked) {
      this.checkLive(a, 'lockObjects2');
      this.checkLive(b, 'lockObjects2');
    }
    const sa = stripeOf(a);
    const sb = stripeOf(b);
    lockStripe(this.i32, Math.min(sa, sb));
    if (sa !== sb) lockStripe(this.i32, Math.max(sa, sb));
  }

  /** Leave what `lockObjects2(a, b)` entered. */
  unlockObjects2(a: number, b: number): void {
    const sa = stripeOf(a);
    const sb = stripeOf(b);
    if (sa !== sb) unlockStripe(this.i32, Math.max(sa, sb));
    unlockStripe(this.i32, Math.min(sa, sb));
  }

  /** Run `fn` inside `ref`'s critical section. */
  withObjectLock<T>(ref: number, fn: () => T): T {
    this.lockObject(ref);
    try {
      return fn();
    } finally {
      this.unlockObject(ref);
    }
  }

  /** `using heap = Heap.attach(buffer)` detaches at the end of the scope. */
  [Symbol.dispose](): void {
    this.detach();
  }

  // ================================================================ tuple

  /** New tuple holding new references to `items`. */
  newTuple(items: ArrayLike<number>): number {
    const n = items.length;
    if (n === 0) return EMPTY_TUPLE_REF;
    if (this.checked) for (let k = 0; k < n; k++) this.checkLive(items[k], 'newTuple');
    const ref = this.tupleNew(n);
    const base = (ref + OFF_TUPLE_ITEMS) >> 2;
    for (let k = 0; k < n; k++) {
      this.incref(items[k]);
      this.i32[base + k] = items[k];
    }
    return ref;
  }

  /** New tuple of `n` empty (NULL) slots, to fill with `tupleInit` before use (PyTuple_New). */
  tupleNew(n: number): number {
    if (n === 0) return EMPTY_TUPLE_REF;
    if (!(n > 0 && n < 0x1fffffff)) throw new PyValueError(`tuple size ${n} out of range`);
    const ref = this.allocContainer(OFF_TUPLE_ITEMS + 4 * n, T_TUPLE);
    this.i32[(ref + OFF_TUPLE_LEN) >> 2] = n;
    this.i32.fill(0, (ref + OFF_TUPLE_ITEMS) >> 2, ((ref + OFF_TUPLE_ITEMS) >> 2) + n);
    return ref;
  }

  /** Store `item` in slot `index` of a fresh tuple, taking over the caller's reference (PyTuple_SET_ITEM). */
  tupleInit(tuple: number, index: number, item: number): void {
    if (this.checked) {
      this.expect(tuple, T_TUPLE, 'tupleInit');
      this.checkLive(item, 'tupleInit');
      this.checkIndex(index, this.i32[(tuple + OFF_TUPLE_LEN) >> 2], 'tuple');
    }
    this.i32[((tuple + OFF_TUPLE_ITEMS) >> 2) + index] = item;
  }

  /** len() of a tuple. */
  tupleLen(ref: number): number {
    this.expect(ref, T_TUPLE, 'tupleLen');
    return this.i32[(ref + OFF_TUPLE_LEN) >> 2];
  }

  /** Borrowed t[index] (index normalised to 0..len-1). */
  tupleGet(ref: number, index: number): number {
    this.expect(ref, T_TUPLE, 'tupleGet');
    this.checkIndex(index, this.i32[(ref + OFF_TUPLE_LEN) >> 2], 'tuple');
    return this.i32[((ref + OFF_TUPLE_ITEMS) >> 2) + index];
  }

  // ================================================================ list

  /** New list holding new references to `items`. */
  newList(items: ArrayLike<number> = []): number {
    const n = items.length;
    if (this.checked) for (let k = 0; k < n; k++) this.checkLive(items[k], 'newList');
    const ref = this.allocContainer(32, T_LIST);
    const i32 = this.i32;
    i32[(ref + OFF_LIST_LEN) >> 2] = 0;
    i32[(ref + OFF_LIST_CAP) >> 2] = 0;
    i32[(ref + OFF_LIST_ITEMS) >> 2] = 0;
    if (n > 0) {
      try {
        this.listReserve(ref, n);
      } catch (err) {
        this.freeContainer(ref);
        throw err;
      }
      const base = (i32[(ref + OFF_LIST_ITEMS) >> 2] + OFF_STORAGE_DATA) >> 2;
      for (let k = 0; k < n; k++) {
        this.incref(items[k]);
        i32[base + k] = items[k];
      }
      i32[(ref + OFF_LIST_LEN) >> 2] = n;
    }
    return ref;
  }

  /** Make room for at least `cap` items (CPython's over-allocation when growing by appends). */
  private listReserve(ref: number, cap: number): void {
    const i32 = this.i32;
    const old = i32[(ref + OFF_LIST_CAP) >> 2];
    if (cap <= old) return;
    if (cap > 0x1ffffff0) throw new PyMemoryError(`list of ${cap} items is too large`);
    const len = i32[(ref + OFF_LIST_LEN) >> 2];
    const grown = cap === len + 1 ? (cap + (cap >> 3) + 6) & ~3 : cap;
    const storage = this.alloc(OFF_STORAGE_DATA + 4 * grown, T_STORAGE);
    const oldItems = i32[(ref + OFF_LIST_ITEMS) >> 2];
    if (oldItems !== 0) {
      const from = (oldItems + OFF_STORAGE_DATA) >> 2;
      i32.copyWithin((storage + OFF_STORAGE_DATA) >> 2, from, from + len);
      this.freeBlock(oldItems);
    }
    i32[(ref + OFF_LIST_ITEMS) >> 2] = storage;
    i32[(ref + OFF_LIST_CAP) >> 2] = grown;
  }

  /** len() of a list. */
  listLen(ref: number): number {
    this.expect(ref, T_LIST, 'listLen');
    return this.i32[(ref + OFF_LIST_LEN) >> 2];
  }

  /** Borrowed l[index] (index normalised to 0..len-1). */
  listGet(ref: number, index: number): number {
    this.expect(ref, T_LIST, 'listGet');
    const i32 = this.i32;
    this.checkIndex(index, i32[(ref + OFF_LIST_LEN) >> 2], 'list');
    return i32[((i32[(ref + OFF_LIST_ITEMS) >> 2] + OFF_STORAGE_DATA) >> 2) + index];
  }

  /** l[index] = item (increfs item, decrefs the old item). */
  listSet(ref: number, index: number, item: number): void {
    this.expect(ref, T_LIST, 'listSet');
    if (this.checked) this.checkLive(item, 'listSet');
    const i32 = this.i32;
    this.checkIndex(index, i32[(ref + OFF_LIST_LEN) >> 2], 'list assignment');
    const at = ((i32[(ref + OFF_LIST_ITEMS) >> 2] + OFF_STORAGE_DATA) >> 2) + index;
    const old = i32[at];
    this.incref(item);
    i32[at] = item;
    this.decref(old);
  }

  /** l.append(item) (increfs item). */
  listAppend(ref: number, item: number): void {
    this.expect(ref, T_LIST, 'listAppend');
    if (this.checked) this.checkLive(item, 'listAppend');
    const i32 = this.i32;
    const len = i32[(ref + OFF_LIST_LEN) >> 2];
    if (len === i32[(ref + OFF_LIST_CAP) >> 2]) this.listReserve(ref, len + 1); // may throw: nothing changed
    this.incref(item);
    i32[((i32[(ref + OFF_LIST_ITEMS) >> 2] + OFF_STORAGE_DATA) >> 2) + len] = item;
    i32[(ref + OFF_LIST_LEN) >> 2] = len + 1;
  }

  /** l.append(item) taking over the caller's reference. On PyMemoryError the reference stays with the caller. */
  listAppendSteal(ref: number, item: number): void {
    if (this.checked) {
      this.expect(ref, T_LIST, 'listAppendSteal');
      this.checkLive(item, 'listAppendSteal');
    }
    const i32 = this.i32;
    const len = i32[(ref + OFF_LIST_LEN) >> 2];
    if (len === i32[(ref + OFF_LIST_CAP) >> 2]) this.listReserve(ref, len + 1);
    i32[((i32[(ref + OFF_LIST_ITEMS) >> 2] + OFF_STORAGE_DATA) >> 2) + len] = item;
    i32[(ref + OFF_LIST_LEN) >> 2] = len + 1;
  }

  /** l.insert(index, item) (index clamped like Python's; increfs item). */
  listInsert(ref: number, index: number, item: number): void {
    this.expect(ref, T_LIST, 'listInsert');
    if (this.checked) this.checkLive(item, 'listInsert');
    const i32 = this.i32;
    const len = i32[(ref + OFF_LIST_LEN) >> 2];
    if (index < 0) index = Math.max(0, len + index);
    if (index > len) index = len;
    if (len === i32[(ref + OFF_LIST_CAP) >> 2]) this.listReserve(ref, len + 1);
    const base = (i32[(ref + OFF_LIST_ITEMS) >> 2] + OFF_STORAGE_DATA) >> 2;
    i32.copyWithin(base + index + 1, base + index, base + len);
    this.incref(item);
    i32[base + index] = item;
    i32[(ref + OFF_LIST_LEN) >> 2] = len + 1;
  }

  /** l.pop(index): removes and returns the item; the caller owns the returned reference. */
  listPop(ref: number, index = -1): number {
    this.expect(ref, T_LIST, 'listPop');
    const i32 = this.i32;
    const len = i32[(ref + OFF_LIST_LEN) >> 2];
    if (len === 0) throw new PyIndexError('pop from empty list');
    if (index < 0) index += len;
    this.checkIndex(index, len, 'pop');
    const base = (i32[(ref + OFF_LIST_ITEMS) >> 2] + OFF_STORAGE_DATA) >> 2;
    const item = i32[base + index];
    i32.copyWithin(base + index, base + index + 1, base + len);
    i32[(ref + OFF_LIST_LEN) >> 2] = len - 1;
    return item;
  }

  /** del l[index] (decrefs the removed item). */
  listDelete(ref: number, index: number): void {
    this.decref(this.listPop(ref, index));
  }

  /** l.clear(). */
  listClear(ref: number): void {
    this.expect(ref, T_LIST, 'listClear');
    const i32 = this.i32;
    const len = i32[(ref + OFF_LIST_LEN) >> 2];
    const items = i32[(ref + OFF_LIST_ITEMS) >> 2];
    i32[(ref + OFF_LIST_LEN) >> 2] = 0;
    i32[(ref + OFF_LIST_CAP) >> 2] = 0;
    i32[(ref + OFF_LIST_ITEMS) >> 2] = 0;
    if (items === 0) return;
    // Detach first, then drop: a decref may free objects that look at this list again.
    const base = (items + OFF_STORAGE_DATA) >> 2;
    const held = Array.from(i32.subarray(base, base + len));
    this.freeBlock(items);
    for (const item of held) this.decref(item);
  }

  /** Borrowed snapshot of a list's items (fresh JS array; for cold paths). */
  listItems(ref: number): number[] {
    const n = this.listLen(ref);
    const out = new Array<number>(n);
    if (n === 0) return out;
    // a plain loop: Array.from(subarray) goes through the iterator protocol (4-7x slower)
    const i32 = this.i32;
    const base = (i32[(ref + OFF_LIST_ITEMS) >> 2] + OFF_STORAGE_DATA) >> 2;
    for (let k = 0; k < n; k++) out[k] = i32[base + k];
    return out;
  }

  // ================================================================ dict

  /** New empty dict (insertion-ordered, CPython's compact layout). */
  newDict(): number {
    return dict.newDict(this);
  }

  /** d[key] = value (increfs both, decrefs a replaced value). Unhashable key: PyTypeError. */
  dictSet(d: number, key: number, value: number): void {
    this.expect(d, T_DICT, 'dictSet');
    if (this.checked) {
      this.checkLive(key, 'dictSet');
      this.checkLive(value, 'dictSet');
    }
    dict.dictSet(this, d, key, value);
  }

  /** Borrowed d[key], or 0 when absent. */
  dictGet(d: number, key: number): number {
    this.expect(d, T_DICT, 'dictGet');
    if (this.checked) this.checkLive(key, 'dictGet');
    return dict.dictGet(this, d, key);
  }

  /** Borrowed d[name] for a str key given as a JS string, or 0 (no allocation). */
  dictGetStr(d: number, name: string): number {
    this.expect(d, T_DICT, 'dictGetStr');
    return dict.dictGetStr(this, d, name);
  }

  /** del d[key]; returns false when the key was absent. */
  dictDelete(d: number, key: number): boolean {
    this.expect(d, T_DICT, 'dictDelete');
    if (this.checked) this.checkLive(key, 'dictDelete');
    return dict.dictDelete(this, d, key);
  }

  /** d.pop(key): removes the key and returns its value (the caller owns it); PyKeyError if absent. */
  dictPop(d: number, key: number): number {
    this.expect(d, T_DICT, 'dictPop');
    if (this.checked) this.checkLive(key, 'dictPop');
    const value = dict.dictPop(this, d, key);
    if (value === 0) throw new PyKeyError(this.repr(key));
    return value;
  }

  /** A short Python-style repr of an atom (for error messages): 'text', 42, 1.5, None... */
  private repr(ref: number): string {
    const t = this.typeTag(ref);
    if (t === T_STR) return `'${this.strValue(ref)}'`;
    if (t === T_INT || t === T_BIGINT) return String(this.bigIntValue(ref));
    if (t === T_FLOAT) return String(this.floatValue(ref));
    if (t === T_NONE || t === T_BOOL)
      return ref === this.None ? 'None' : ref === this.True ? 'True' : 'False';
    return `<${TYPE_NAMES[t]} object>`;
  }

  /**
   * The one immortal str equal to `value` in this heap, shared by every thread (CPython interns
   * identifiers and, since 3.12, makes interned strings immortal). Use it for names: equal names
   * are then the same ref, so dict lookups hit the identity fast path.
   */
  intern(value: string): number {
    const i32 = this.i32;
    let table = Atomics.load(i32, C_INTERN);
    if (table === 0) table = this.createInternTable();
    // Without a GIL, threads interning at once take the table's critical section.
    if (this.locking) this.lockObject(table);
    try {
      const found = dict.dictGetStr(this, table, value);
      if (found !== 0) return found;
      const s = this.newStr(value);
      i32[(s >> 2) + 1] = IMMORTAL_REFCNT; // PEP 683: interned strings live as long as the heap
      i32[(s >> 2) + 2] = 0;
      this.u16[(s >> 1) + 1] = 0;
      dict.dictSet(this, table, s, s);
      return s;
    } finally {
      if (this.locking) this.unlockObject(table);
    }
  }

  private createInternTable(): number {
    const i32 = this.i32;
    const table = this.newDict();
    i32[(table >> 2) + 1] = IMMORTAL_REFCNT;
    i32[(table >> 2) + 2] = 0;
    this.u16[(table >> 1) + 1] = 0;
    const seen = Atomics.compareExchange(i32, C_INTERN, 0, table);
    if (seen === 0) return table;
    // Another thread won the race: make ours an ordinary object again and drop it.
    i32[(table >> 2) + 1] = 1;
    this.u16[(table >> 1) + 1] = this.ownerBits >>> 16;
    this.decref(table);
    return seen;
  }

  /** len() of a dict. */
  dictLen(d: number): number {
    this.expect(d, T_DICT, 'dictLen');
    return this.i32[(d + dict.OFF_USED) >> 2];
  }

  /**
   * Iterate entries in insertion order: `for (let p = heap.dictNext(d, -1); p >= 0; p = heap.dictNext(d, p))`
   * then `dictKeyAt(d, p)` / `dictValueAt(d, p)` (borrowed). Do not mutate the dict meanwhile.
   */
  dictNext(d: number, pos: number): number {
    this.expect(d, T_DICT, 'dictNext');
    return dict.dictNext(this, d, pos);
  }

  /** Borrowed key of entry `pos` (see dictNext). */
  dictKeyAt(d: number, pos: number): number {
    if (this.checked) this.checkDictPos(d, pos, 'dictKeyAt');
    return dict.entryKey(this, d, pos);
  }

  /** Borrowed value of entry `pos` (see dictNext). */
  dictValueAt(d: number, pos: number): number {
    if (this.checked) this.checkDictPos(d, pos, 'dictValueAt');
    return dict.entryValue(this, d, pos);
  }

  /** Borrowed keys in insertion order (fresh JS array; for cold paths). */
  dictKeys(d: number): number[] {
    const out: number[] = [];
    for (let p = this.dictNext(d, -1); p >= 0; p = this.dictNext(d, p)) out.push(this.dictKeyAt(d, p));
    return out;
  }

  // ================================================================ set

  /** New empty set (CPython's table and probing, so int sets iterate in CPython's order). */
  newSet(): number {
    return set.newSet(this);
  }

  /** s.add(key) (increfs key); returns true if it was not present. */
  setAdd(s: number, key: number): boolean {
    this.expect(s, T_SET, 'setAdd');
    if (this.checked) this.checkLive(key, 'setAdd');
    return set.setAdd(this, s, key);
  }

  /** key in s. */
  setContains(s: number, key: number): boolean {
    this.expect(s, T_SET, 'setContains');
    if (this.checked) this.checkLive(key, 'setContains');
    return set.setContains(this, s, key);
  }

  /** s.discard(key); returns true if it was present. */
  setDiscard(s: number, key: number): boolean {
    this.expect(s, T_SET, 'setDiscard');
    if (this.checked) this.checkLive(key, 'setDiscard');
    return set.setDiscard(this, s, key);
  }

  /** len() of a set. */
  setLen(s: number): number {
    this.expect(s, T_SET, 'setLen');
    return this.i32[(s + set.OFF_USED) >> 2];
  }

  /** Iterate slots in table order (CPython's iteration order): like dictNext, then `setKeyAt`. */
  setNext(s: number, pos: number): number {
    this.expect(s, T_SET, 'setNext');
    return set.setNext(this, s, pos);
  }

  /** Borrowed key at slot `pos` (see setNext). */
  setKeyAt(s: number, pos: number): number {
    if (this.checked) {
      this.expect(s, T_SET, 'setKeyAt');
      const mask = this.i32[(s + set.OFF_MASK) >> 2];
      const key = pos >= 0 && pos <= mask ? set.slotKey(this, s, pos) : 0;
      if (key === 0 || key === set.DUMMY) {
        throw new PyIndexError(`setKeyAt: ${pos} is not an occupied slot (use setNext)`);
      }
    }
    return set.slotKey(this, s, pos);
  }

  /**
   * s.update(other) for a set `other` (CPython's `set_merge`: one resize up front, slot order kept,
   * so copies and unions iterate as in CPython). Increfs the keys it adds.
   */
  setUpdate(s: number, other: number): void {
    this.expect(s, T_SET, 'setUpdate');
    this.expect(other, T_SET, 'setUpdate');
    set.setMerge(this, s, other);
  }

  /** Exchange the contents of two sets (CPython's `set_swap_bodies`; the frozenset flag stays). */
  setSwapBodies(a: number, b: number): void {
    this.expect(a, T_SET, 'setSwapBodies');
    this.expect(b, T_SET, 'setSwapBodies');
    set.setSwapBodies(this, a, b);
  }

  private checkDictPos(d: number, pos: number, op: string): void {
    this.expect(d, T_DICT, op);
    if (!(pos >= 0 && pos < this.i32[(d + dict.OFF_NENTRIES) >> 2]) || dict.entryKey(this, d, pos) === 0) {
      throw new PyIndexError(`${op}: ${pos} is not a live entry (use dictNext)`);
    }
  }

  /** Borrowed keys in iteration order (fresh JS array; for cold paths). */
  setKeys(s: number): number[] {
    const out: number[] = [];
    for (let p = this.setNext(s, -1); p >= 0; p = this.setNext(s, p)) out.push(this.setKeyAt(s, p));
    return out;
  }

  // ================================================================ object handles

  /**
   * New opaque object for the vm (function, code, cell, range, exception, ...): `kind` is the vm's
   * own tag, `nslots` reference slots (NULL at first; traversed by dealloc, gc and verify) and
   * `nwords` float64 words of plain data (0 at first).
   */
  newObject(kind: number, nslots: number, nwords = 0): number {
    if (!((kind | 0) === kind && nslots >= 0 && nslots < 0x1000000 && nwords >= 0 && nwords < 0x1000000)) {
      throw new PyValueError(`newObject: bad kind/nslots/nwords (${kind}, ${nslots}, ${nwords})`);
    }
    const wordsAt = (OFF_OBJ_SLOTS + 4 * nslots + 7) & ~7;
    const ref = this.allocContainer(Math.max(wordsAt + 8 * nwords, 32), T_OBJECT);
    const i32 = this.i32;
    i32[(ref + OFF_OBJ_KIND) >> 2] = kind;
    i32[(ref + OFF_OBJ_NSLOTS) >> 2] = nslots;
    i32[(ref + OFF_OBJ_NWORDS) >> 2] = nwords;
    i32[(ref + 28) >> 2] = 0;
    i32.fill(0, (ref + OFF_OBJ_SLOTS) >> 2, ((ref + OFF_OBJ_SLOTS) >> 2) + nslots);
    if (nwords > 0) this.f64.fill(0, (ref + wordsAt) >> 3, ((ref + wordsAt) >> 3) + nwords);
    return ref;
  }

  /** The vm's kind tag of an object handle. */
  objectKind(ref: number): number {
    this.expect(ref, T_OBJECT, 'objectKind');
    return this.i32[(ref + OFF_OBJ_KIND) >> 2];
  }

  /** Number of reference slots of an object handle. */
  objectSlotCount(ref: number): number {
    this.expect(ref, T_OBJECT, 'objectSlotCount');
    return this.i32[(ref + OFF_OBJ_NSLOTS) >> 2];
  }

  /** Borrowed slot `index` (0 = NULL). */
  objectGet(ref: number, index: number): number {
    this.expect(ref, T_OBJECT, 'objectGet');
    this.checkIndex(index, this.i32[(ref + OFF_OBJ_NSLOTS) >> 2], 'slot');
    return this.i32[((ref + OFF_OBJ_SLOTS) >> 2) + index];
  }

  /** Set slot `index` (increfs value unless 0, decrefs the old one). */
  objectSet(ref: number, index: number, value: number): void {
    if (value !== 0) this.incref(value);
    this.objectSetSteal(ref, index, value);
  }

  /** Set slot `index`, taking over the caller's reference to `value` (decrefs the old one). */
  objectSetSteal(ref: number, index: number, value: number): void {
    this.expect(ref, T_OBJECT, 'objectSet');
    this.checkIndex(index, this.i32[(ref + OFF_OBJ_NSLOTS) >> 2], 'slot');
    if (this.checked && value !== 0) this.checkLive(value, 'objectSet');
    const at = ((ref + OFF_OBJ_SLOTS) >> 2) + index;
    const old = this.i32[at];
    this.i32[at] = value;
    if (old !== 0) this.decref(old);
  }

  /** Plain data word `index` (float64). */
  objectGetWord(ref: number, index: number): number {
    return this.f64[this.wordIndex(ref, index, 'objectGetWord')];
  }

  /** Set plain data word `index`. */
  objectSetWord(ref: number, index: number, value: number): void {
    this.f64[this.wordIndex(ref, index, 'objectSetWord')] = value;
  }

  private wordIndex(ref: number, index: number, op: string): number {
    this.expect(ref, T_OBJECT, op);
    const i32 = this.i32;
    this.checkIndex(index, i32[(ref + OFF_OBJ_NWORDS) >> 2], 'word');
    return ((ref + ((OFF_OBJ_SLOTS + 4 * i32[(ref + OFF_OBJ_NSLOTS) >> 2] + 7) & ~7)) >> 3) + index;
  }

  // ================================================================ hashing, equality

  /** Python's hash(); PyTypeError for unhashable types (list, dict, set). */
  hash(ref: number): number {
    if (this.checked) this.checkLive(ref, 'hash');
    if ((ref & 1) !== 0) return hashSafeInt(ref >> 1);
    const t = this.u8[ref];
    switch (t) {
      case T_INT:
      case T_BOOL:
        return hashSafeInt(this.f64[(ref + OFF_VALUE) >> 3]);
      case T_FLOAT:
        return hashFloat(this.f64[(ref + OFF_VALUE) >> 3]);
      case T_BIGINT:
        return hashBigInt(this.bigIntValue(ref));
      case T_STR:
      case T_BYTES: {
        const i32 = this.i32;
        const fi = (ref + OFF_STR_FLAGS) >> 2;
        if ((i32[fi] & SF_HASHED) !== 0) return i32[(ref + OFF_STR_HASH) >> 2];
        const h = hashBytes(this.u8, ref + OFF_STR_DATA, i32[(ref + OFF_STR_BYTES) >> 2]);
        // Racing writers store the same value and set the same bit, so the cache needs no lock.
        i32[(ref + OFF_STR_HASH) >> 2] = h;
        Atomics.or(i32, fi, SF_HASHED);
        return h;
      }
      case T_NONE:
        return NONE_HASH;
      case T_TUPLE: {
        const n = this.i32[(ref + OFF_TUPLE_LEN) >> 2];
        let acc = 0x27d4eb2f ^ n;
        for (let k = 0; k < n; k++)
          acc = hashCombine(acc, this.hash(this.i32[((ref + OFF_TUPLE_ITEMS) >> 2) + k]));
        return acc === -1 ? -2 : acc;
      }
      case T_OBJECT:
        return ref >> 4;
      case T_SET:
        if ((this.u8[ref + 1] & F_HOST) !== 0) return set.frozensetHash(this, ref);
        throw new PyTypeError("unhashable type: 'set'");
      default:
        throw new PyTypeError(`unhashable type: '${TYPE_NAMES[t] ?? `tag ${t}`}'`);
    }
  }

  /**
   * Python's == for the built-in value types (sets and frozensets by their keys, as Python
   * compares them); identity for lists, dicts and object handles.
   */
  eq(a: number, b: number): boolean {
    if (this.checked) {
      this.checkLive(a, 'eq');
      this.checkLive(b, 'eq');
    }
    if (a === b) return true;
    const u8 = this.u8;
    const ta = this.typeTag(a);
    const tb = this.typeTag(b);
    const numA = ta === T_INT || ta === T_BOOL || ta === T_FLOAT;
    const numB = tb === T_INT || tb === T_BOOL || tb === T_FLOAT;
    if (numA && numB) return this.floatValue(a) === this.floatValue(b);
    if (ta === T_BIGINT || tb === T_BIGINT) {
      if (!(numA || ta === T_BIGINT) || !(numB || tb === T_BIGINT)) return false;
      if (ta === T_FLOAT || tb === T_FLOAT) {
        const f = ta === T_FLOAT ? this.floatValue(a) : this.floatValue(b);
        if (!Number.isInteger(f)) return false;
        return BigInt(f) === (ta === T_FLOAT ? this.bigIntValue(b) : this.bigIntValue(a));
      }
      return this.bigIntValue(a) === this.bigIntValue(b);
    }
    if (ta !== tb) return false;
    if (ta === T_STR || ta === T_BYTES) {
      const i32 = this.i32;
      const n = i32[(a + OFF_STR_BYTES) >> 2];
      if (n !== i32[(b + OFF_STR_BYTES) >> 2]) return false;
      const fa = i32[(a + OFF_STR_FLAGS) >> 2];
      const fb = i32[(b + OFF_STR_FLAGS) >> 2];
      if ((fa & fb & SF_HASHED) !== 0 && i32[(a + OFF_STR_HASH) >> 2] !== i32[(b + OFF_STR_HASH) >> 2])
        return false;
      for (let k = 0, pa = a + OFF_STR_DATA, pb = b + OFF_STR_DATA; k < n; k++) {
        if (u8[pa + k] !== u8[pb + k]) return false;
      }
      return true;
    }
    if (ta === T_TUPLE) {
      const i32 = this.i32;
      const n = i32[(a + OFF_TUPLE_LEN) >> 2];
      if (n !== i32[(b + OFF_TUPLE_LEN) >> 2]) return false;
      for (let k = 0; k < n; k++) {
        if (!this.eq(i32[((a + OFF_TUPLE_ITEMS) >> 2) + k], i32[((b + OFF_TUPLE_ITEMS) >> 2) + k]))
          return false;
      }
      return true;
    }
    if (ta === T_SET) {
      if (this.setLen(a) !== this.setLen(b)) return false;
      for (let p = set.setNext(this, a, -1); p >= 0; p = set.setNext(this, a, p)) {
        if (!set.setContains(this, b, set.slotKey(this, a, p))) return false;
      }
      return true;
    }
    return false;
  }

  // ================================================================ host hooks

  /**
   * Make `ref` immortal (PEP 683): incref/decref ignore it and it is never freed, as for the
   * static objects. For objects that live as long as the heap (a vm's type objects, constants).
   */
  immortalize(ref: number): void {
    if (this.checked) this.checkLive(ref, 'immortalize');
    if ((ref & 1) !== 0) return;
    const i32 = this.i32;
    i32[(ref >> 2) + 1] = IMMORTAL_REFCNT;
    i32[(ref >> 2) + 2] = 0;
    this.u16[(ref >> 1) + 1] = 0;
  }

  /** The host flag bit of an object's header (layout F_HOST; on a set it means frozenset). */
  hostFlag(ref: number): boolean {
    if (this.checked) this.checkLive(ref, 'hostFlag');
    return (ref & 1) === 0 && (this.u8[ref + 1] & F_HOST) !== 0;
  }

  /** Set or clear the host flag bit (set it before sharing the object with other threads). */
  setHostFlag(ref: number, on: boolean): void {
    if (this.checked) this.checkLive(ref, 'setHostFlag');
    if ((ref & 1) !== 0) throw new PyTypeError('setHostFlag: a tagged int has no header');
    if (on) this.u8[ref + 1] |= F_HOST;
    else this.u8[ref + 1] &= ~F_HOST;
  }

  /** Host root word `index` (0..7): a borrowed ref, or 0. Shared by every attached thread. */
  hostRoot(index: number): number {
    this.checkIndex(index, HOST_ROOTS, 'host root');
    return Atomics.load(this.i32, C_HOST_ROOTS + index);
  }

  /**
   * Store `ref` (0 clears) in host root word `index`, taking a reference to it and dropping the
   * one to the previous value. Returns false, changing nothing, when `expected` is given and the
   * word no longer holds it (another thread won the race).
   */
  setHostRoot(index: number, ref: number, expected?: number): boolean {
    this.checkIndex(index, HOST_ROOTS, 'host root');
    if (this.checked && ref !== 0) this.checkLive(ref, 'setHostRoot');
    if (ref !== 0) this.incref(ref);
    const at = C_HOST_ROOTS + index;
    let old: number;
    if (expected === undefined) old = Atomics.exchange(this.i32, at, ref);
    else {
      old = Atomics.compareExchange(this.i32, at, expected, ref);
      if (old !== expected) {
        if (ref !== 0) this.decref(ref);
        return false;
      }
    }
    if (old !== 0) this.decref(old);
    return true;
  }

  // ================================================================ conversion, gc, reports

  /** Convert to a JS value (None → null, int → number or bigint, list/tuple → array, dict → Map, set → Set). */
  toJS(ref: number): JSValue {
    if (this.checked) this.checkLive(ref, 'toJS');
    return toJS(this, ref);
  }

  /**
   * Build heap objects from a JS value; returns a new reference. null/undefined → None, integer
   * numbers and bigints → int, other numbers → float, string → str, Uint8Array → bytes, frozen
   * array → tuple, array → list, Map or plain object → dict, Set → set; anything else (functions,
   * symbols, class instances) is a PyTypeError and nothing is left allocated.
   */
  fromJS(value: unknown): number {
    return fromJS(this, value);
  }

  /**
   * Cycle collection (CPython's gc): stop the world first in modes without a GIL. Returns the
   * number of unreachable container objects freed.
   */
  collect(): number {
    return collectCycles(this);
  }

  /** Check every invariant; returns a report, never throws for a broken heap. */
  verify(options: VerifyOptions = {}): VerifyReport {
    return verifyHeap(this, options);
  }

  /** Memory and object statistics. */
  stats(): HeapStats {
    return heapStats(this);
  }
}

/** Claim a detached thread id (1..255) by flipping its TC_LIVE flag 0 -> 1, starting at `hint`. */
function claimThreadId(i32: Int32Array, hint: number): number {
  for (let k = 0; k < MAX_THREADS - 1; k++) {
    const tid = 1 + ((hint + k) % (MAX_THREADS - 1));
    if (Atomics.compareExchange(i32, C_THREAD_CACHES + tid * TC_WORDS + TC_LIVE, 0, 1) === 0) return tid;
  }
  throw new PyValueError(
    `all ${MAX_THREADS - 1} thread ids of this heap are attached: call heap.detach() when a thread stops using the heap`,
    'ERR_HEAP_THREAD_IDS',
  );
}

function checkThreadId(tid: number): number {
  if (!Number.isInteger(tid) || tid < 0 || tid >= MAX_THREADS) {
    throw new PyValueError(
      `options.threadId must be an integer in 0..${MAX_THREADS - 1}, got ${String(tid)}`,
    );
  }
  return tid;
}

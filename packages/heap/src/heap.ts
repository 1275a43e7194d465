/**
 * The Heap: CPython's object model over one (Shared)ArrayBuffer.
 *
 * Refcounting follows CPython's rules: constructors return a new reference (refcount 1, owned by the
 * caller); getters return borrowed references (no incref, like PyList_GET_ITEM); setters and
 * appenders take their own reference to the value (incref, like PyList_Append/PyDict_SetItem),
 * except the `*Steal` variants and `tupleInit`, which take over the caller's reference (like
 * PyTuple_SET_ITEM). Immortal objects (PEP 683) ignore incref/decref.
 *
 * Refcount modes (fixed per heap, see layout.ts for the header words):
 * - `gil`: plain read-modify-write of the refcount word. Correct only while a GIL serialises
 *   every thread that touches the heap (exactly CPython's default build).
 * - `atomic`: `Atomics.add`/`Atomics.sub` on the refcount word; correct without a GIL.
 * - `biased` (PEP 703): the owner thread (the allocating one) updates `ob_ref_local` with plain
 *   writes; other threads `Atomics.add` multiples of 4 to `ob_ref_shared`, which may go negative.
 *   When the owner's local count reaches 0 it merges (frees at once if shared is 0). A non-owner
 *   decref that finds shared == 0 does not subtract: it marks the object QUEUED and pushes it on
 *   the owner's merge queue, holding that pending decref; the owner applies it in `mergeQueued()`
 *   (CPython's `_Py_brc_merge_refcounts`, run from the eval breaker).
 *
 * Deallocation is iterative: an object reaching zero is put on a work list threaded through the
 * header's link word, so freeing a million-deep chain uses no JS stack.
 */

import { fromJS, type JSValue, toJS } from './convert.js';
import * as dict from './dict.js';
import {
  HeapFormatError,
  InvalidReferenceError,
  PyIndexError,
  PyMemoryError,
  PyTypeError,
  PyValueError,
  RefcountError,
  StaleReferenceError,
} from './errors.js';
import { collectCycles } from './gc.js';
import { hashBigInt, hashBytes, hashCombine, hashFloat, hashSafeInt, NONE_HASH } from './hash.js';
import { MODE_NAMES, type RefcountMode, TYPE_NAMES } from './layout.js';
import { Memory } from './memory.js';
import * as set from './set.js';
import { type HeapStats, heapStats } from './stats.js';
import { measureUtf8, readUtf8, utf8Offset, writeUtf8 } from './utf8.js';
import { type VerifyOptions, type VerifyReport, verifyHeap } from './verify.js';

// Local copies of layout.ts constants. V8 does not constant-fold imported bindings (every use is a
// module-cell load plus a TDZ check, which measured 2x slower on the alloc/free path), so hot
// modules keep their own copies; layout.test.ts checks every copy against layout.ts.
const C_ALLOC_LOCK = 0x9; // layout.C_ALLOC_LOCK
const C_BRC_QUEUES = 0x40; // layout.C_BRC_QUEUES
const C_CHECKED = 0x4; // layout.C_CHECKED
const C_FREEPOOLS = 0x7; // layout.C_FREEPOOLS
const C_LARGE_BOTTOM = 0x6; // layout.C_LARGE_BOTTOM
const C_LARGE_FREE = 0x8; // layout.C_LARGE_FREE
const C_MAGIC = 0x0; // layout.C_MAGIC
const C_MERGES = 0xf; // layout.C_MERGES
const C_MODE = 0x2; // layout.C_MODE
const C_NEXT_THREAD_ID = 0xe; // layout.C_NEXT_THREAD_ID
const C_POOL_TOP = 0x5; // layout.C_POOL_TOP
const C_QUEUED = 0x10; // layout.C_QUEUED
const C_TOTAL_BYTES = 0x3; // layout.C_TOTAL_BYTES
const C_VERSION = 0x1; // layout.C_VERSION
const CHAR_BASE = 0x3180; // layout.CHAR_BASE
const CHAR_STRIDE = 0x30; // layout.CHAR_STRIDE
const CONTROL_BYTES = 0x1000; // layout.CONTROL_BYTES
const EMPTY_BYTES_REF = 0x10a0; // layout.EMPTY_BYTES_REF
const EMPTY_STR_REF = 0x1080; // layout.EMPTY_STR_REF
const EMPTY_TUPLE_REF = 0x1060; // layout.EMPTY_TUPLE_REF
const F_LARGE = 0x1; // layout.F_LARGE
const FALSE_REF = 0x1040; // layout.FALSE_REF
const HEAP_MAGIC = 0x67696c68; // layout.HEAP_MAGIC
const HEAP_VERSION = 0x1; // layout.HEAP_VERSION
const IMMORTAL_REFCNT = -1073741824; // layout.IMMORTAL_REFCNT
const IMMORTAL_REFCOUNT_REPORTED = 0xc0000000; // layout.IMMORTAL_REFCOUNT_REPORTED
const LARGE_HEADER_BYTES = 0x10; // layout.LARGE_HEADER_BYTES
const LARGE_MAGIC = 0x5a17c0de; // layout.LARGE_MAGIC
const LC_PREVFREE = 0x3; // layout.LC_PREVFREE
const LC_SIZE = 0x0; // layout.LC_SIZE
const MAX_THREADS = 0x100; // layout.MAX_THREADS
const MIN_HEAP_BYTES = 0x18000; // layout.MIN_HEAP_BYTES
const MODE_ATOMIC = 0x1; // layout.MODE_ATOMIC
const MODE_BIASED = 0x2; // layout.MODE_BIASED
const MODE_GIL = 0x0; // layout.MODE_GIL
const NONE_REF = 0x1000; // layout.NONE_REF
const OFF_BIG_DIGITS = 0x18; // layout.OFF_BIG_DIGITS
const OFF_BIG_NDIGITS = 0x14; // layout.OFF_BIG_NDIGITS
const OFF_BIG_SIGN = 0x10; // layout.OFF_BIG_SIGN
const OFF_LINK = 0xc; // layout.OFF_LINK
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
const OFF_STR_LEN = 0x18; // layout.OFF_STR_LEN
const OFF_TUPLE_ITEMS = 0x14; // layout.OFF_TUPLE_ITEMS
const OFF_TUPLE_LEN = 0x10; // layout.OFF_TUPLE_LEN
const OFF_VALUE = 0x10; // layout.OFF_VALUE
const P_BLOCKSIZE = 0x7; // layout.P_BLOCKSIZE
const P_CLASS = 0x0; // layout.P_CLASS
const P_NEXTOFFSET = 0x3; // layout.P_NEXTOFFSET
const POOL_BASE = 0x8000; // layout.POOL_BASE
const POOL_HEADER_BYTES = 0x20; // layout.POOL_HEADER_BYTES
const POOL_MASK = 0x3fff; // layout.POOL_MASK
const POOL_SIZE = 0x4000; // layout.POOL_SIZE
const SF_ASCII = 0x2; // layout.SF_ASCII
const SF_HASHED = 0x1; // layout.SF_HASHED
const SHARED_MERGED = 0x3; // layout.SHARED_MERGED
const SHARED_QUEUED = 0x2; // layout.SHARED_QUEUED
const SHARED_SHIFT = 0x2; // layout.SHARED_SHIFT
const SHARED_STATE_MASK = 0x3; // layout.SHARED_STATE_MASK
const SMALL_INT_BASE = 0x10c0; // layout.SMALL_INT_BASE
const SMALL_INT_MAX = 0x100; // layout.SMALL_INT_MAX
const SMALL_INT_MIN = -5; // layout.SMALL_INT_MIN
const SMALL_INT_SHIFT = 0x5; // layout.SMALL_INT_SHIFT
const STATIC_BASE = 0x1000; // layout.STATIC_BASE
const T_BIGINT = 0x4; // layout.T_BIGINT
const T_BOOL = 0x2; // layout.T_BOOL
const T_BYTES = 0x7; // layout.T_BYTES
const T_DICT = 0xa; // layout.T_DICT
const T_FLOAT = 0x5; // layout.T_FLOAT
const T_FREE = 0x0; // layout.T_FREE
const T_INT = 0x3; // layout.T_INT
const T_LIST = 0x9; // layout.T_LIST
const T_NONE = 0x1; // layout.T_NONE
const T_OBJECT = 0xc; // layout.T_OBJECT
const T_SET = 0xb; // layout.T_SET
const T_STORAGE = 0xd; // layout.T_STORAGE
const T_STR = 0x6; // layout.T_STR
const T_TUPLE = 0x8; // layout.T_TUPLE
const TRUE_REF = 0x1020; // layout.TRUE_REF
/** @internal The layout constants this module copies (for layout.test.ts). */
export const LAYOUT_COPIES_HEAP: Readonly<Record<string, number>> = {
  C_ALLOC_LOCK,
  C_BRC_QUEUES,
  C_CHECKED,
  C_FREEPOOLS,
  C_LARGE_BOTTOM,
  C_LARGE_FREE,
  C_MAGIC,
  C_MERGES,
  C_MODE,
  C_NEXT_THREAD_ID,
  C_POOL_TOP,
  C_QUEUED,
  C_TOTAL_BYTES,
  C_VERSION,
  CHAR_BASE,
  CHAR_STRIDE,
  CONTROL_BYTES,
  EMPTY_BYTES_REF,
  EMPTY_STR_REF,
  EMPTY_TUPLE_REF,
  F_LARGE,
  FALSE_REF,
  HEAP_MAGIC,
  HEAP_VERSION,
  IMMORTAL_REFCNT,
  IMMORTAL_REFCOUNT_REPORTED,
  LARGE_HEADER_BYTES,
  LARGE_MAGIC,
  LC_PREVFREE,
  LC_SIZE,
  MAX_THREADS,
  MIN_HEAP_BYTES,
  MODE_ATOMIC,
  MODE_BIASED,
  MODE_GIL,
  NONE_REF,
  OFF_BIG_DIGITS,
  OFF_BIG_NDIGITS,
  OFF_BIG_SIGN,
  OFF_LINK,
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
  OFF_STR_LEN,
  OFF_TUPLE_ITEMS,
  OFF_TUPLE_LEN,
  OFF_VALUE,
  P_BLOCKSIZE,
  P_CLASS,
  P_NEXTOFFSET,
  POOL_BASE,
  POOL_HEADER_BYTES,
  POOL_MASK,
  POOL_SIZE,
  SF_ASCII,
  SF_HASHED,
  SHARED_MERGED,
  SHARED_QUEUED,
  SHARED_SHIFT,
  SHARED_STATE_MASK,
  SMALL_INT_BASE,
  SMALL_INT_MAX,
  SMALL_INT_MIN,
  SMALL_INT_SHIFT,
  STATIC_BASE,
  T_BIGINT,
  T_BOOL,
  T_BYTES,
  T_DICT,
  T_FLOAT,
  T_FREE,
  T_INT,
  T_LIST,
  T_NONE,
  T_OBJECT,
  T_SET,
  T_STORAGE,
  T_STR,
  T_TUPLE,
  TRUE_REF,
};

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
}

/** Options of `Heap.attach`. */
export interface HeapAttachOptions {
  /** This thread's id, 0..255. Default: the next unused id handed out by the heap (from 1). */
  threadId?: number;
}

/** Python type name as reported by `typeOf`; `'object'` is a vm handle (see `objectKind`). */
export type PyTypeName =
  | 'NoneType'
  | 'bool'
  | 'int'
  | 'float'
  | 'str'
  | 'bytes'
  | 'tuple'
  | 'list'
  | 'dict'
  | 'set'
  | 'object';

const DEFAULT_BYTES = 64 << 20;

/** A reference-counted object heap in one buffer. Refs are plain integers (byte offsets). */
export class Heap extends Memory {
  /** The refcount mode of this heap. */
  readonly refcountMode: RefcountMode;
  /** This thread's id (the biased-mode owner id of objects it allocates). */
  readonly threadId: number;
  /** Checked mode: references and refcount operations are validated. */
  readonly checked: boolean;
  /** MODE_GIL, MODE_ATOMIC or MODE_BIASED. */
  readonly modeId: number;
  /** Header bits 16..31 for objects this thread allocates (biased: threadId + 1). */
  readonly ownerBits: number;
  private readonly ownerTag: number;

  private constructor(buffer: ArrayBuffer | SharedArrayBuffer, threadId: number) {
    const i32 = new Int32Array(buffer, 0, CONTROL_BYTES >> 2);
    const mode = i32[C_MODE];
    super(buffer, mode !== MODE_GIL);
    this.modeId = mode;
    this.refcountMode = MODE_NAMES[mode];
    this.threadId = threadId;
    this.checked = i32[C_CHECKED] !== 0;
    // Objects carry owner 0 except in biased mode. gil: tag 0 always matches (plain updates);
    // atomic: tag -1 never matches (atomic updates); biased: matches only objects this thread owns.
    this.ownerTag = mode === MODE_BIASED ? threadId + 1 : mode === MODE_GIL ? 0 : -1;
    this.ownerBits = mode === MODE_BIASED ? this.ownerTag << 16 : 0;
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
    i32[C_POOL_TOP] = POOL_BASE;
    i32[C_LARGE_BOTTOM] = bytes;
    i32[C_FREEPOOLS] = 0;
    i32[C_LARGE_FREE] = 0;
    i32[C_ALLOC_LOCK] = 0;
    i32[C_NEXT_THREAD_ID] = 1;
    const heap = new Heap(buffer, threadId);
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
      threadId = Atomics.add(i32, C_NEXT_THREAD_ID, 1) % MAX_THREADS;
    }
    return new Heap(buffer, checkThreadId(threadId));
  }

  /** Lay out the immortal objects at their fixed addresses. */
  private initStatics(): void {
    const i32 = this.i32;
    const f64 = this.f64;
    const header = (ref: number, type: number): void => {
      i32[ref >> 2] = type;
      i32[(ref >> 2) + 1] = IMMORTAL_REFCNT;
      i32[(ref >> 2) + 2] = 0;
      i32[(ref >> 2) + 3] = 0;
    };
    header(NONE_REF, T_NONE);
    header(TRUE_REF, T_BOOL);
    f64[(TRUE_REF + OFF_VALUE) >> 3] = 1;
    header(FALSE_REF, T_BOOL);
    f64[(FALSE_REF + OFF_VALUE) >> 3] = 0;
    header(EMPTY_TUPLE_REF, T_TUPLE);
    i32[(EMPTY_TUPLE_REF + OFF_TUPLE_LEN) >> 2] = 0;
    header(EMPTY_STR_REF, T_STR);
    this.initStrFields(EMPTY_STR_REF, 0, 0, SF_ASCII);
    header(EMPTY_BYTES_REF, T_BYTES);
    this.initStrFields(EMPTY_BYTES_REF, 0, 0, 0);
    for (let v = SMALL_INT_MIN; v <= SMALL_INT_MAX; v++) {
      const ref = SMALL_INT_BASE + ((v - SMALL_INT_MIN) << SMALL_INT_SHIFT);
      header(ref, T_INT);
      f64[(ref + OFF_VALUE) >> 3] = v;
    }
    for (let c = 0; c < 256; c++) {
      const ref = CHAR_BASE + c * CHAR_STRIDE;
      header(ref, T_STR);
      const n = writeUtf8(this.u8, ref + OFF_STR_DATA, String.fromCharCode(c));
      this.initStrFields(ref, n, 1, c < 128 ? SF_ASCII : 0);
    }
  }

  private initStrFields(ref: number, nbytes: number, length: number, flags: number): void {
    const i32 = this.i32;
    i32[(ref + OFF_STR_BYTES) >> 2] = nbytes;
    i32[(ref + OFF_STR_LEN) >> 2] = length;
    i32[(ref + OFF_STR_FLAGS) >> 2] = flags;
    i32[(ref + OFF_STR_HASH) >> 2] = 0;
  }

  // ================================================================ refcounts

  /** Add a reference. */
  incref(ref: number): void {
    if (this.checked) this.checkLive(ref, 'incref');
    const i32 = this.i32;
    const i = (ref >> 2) + 1;
    const rc = i32[i];
    if (rc < 0) return; // immortal
    // gil mode (owner field and tag both 0) and the biased owner: a plain write.
    if (this.u16[(ref >> 1) + 1] === this.ownerTag) i32[i] = rc + 1;
    else if (this.modeId === MODE_ATOMIC) Atomics.add(i32, i, 1);
    else Atomics.add(i32, i + 1, 1 << SHARED_SHIFT);
  }

  /** Drop a reference; frees the object (and, iteratively, what only it held) at zero. */
  decref(ref: number): void {
    if (this.checked) this.checkDecref(ref);
    const i32 = this.i32;
    const i = (ref >> 2) + 1;
    const rc = i32[i];
    if (rc < 0) return; // immortal
    if (this.u16[(ref >> 1) + 1] === this.ownerTag) {
      if (rc > 1) {
        i32[i] = rc - 1;
        return;
      }
      i32[i] = 0;
      if (this.modeId === MODE_BIASED && !this.mergeZeroLocal(ref)) return;
    } else if (!this.releaseShared(ref)) {
      return;
    }
    // Atoms hold no references: free them here (inlinable); containers take the work-list path.
    if (this.u8[ref] <= T_BYTES) this.freeBlock(ref);
    else this.dealloc(ref);
  }

  /** atomic mode, or a biased non-owner: true when the count reached zero. */
  private releaseShared(ref: number): boolean {
    if (this.modeId === MODE_ATOMIC) {
      const i32 = this.i32;
      const i = (ref >> 2) + 1;
      const old = Atomics.sub(i32, i, 1);
      if (old <= 0 && this.checked) {
        Atomics.add(i32, i, 1);
        throw new RefcountError(`decref below zero on a '${this.typeName(ref)}' object at ${ref}`);
      }
      return old === 1;
    }
    return this.decrefShared(ref);
  }

  /** Both halves of Py_XDECREF: ignore 0 (NULL). */
  xdecref(ref: number): void {
    if (ref !== 0) this.decref(ref);
  }

  /**
   * Drop one reference without freeing: true when the count reached zero and the caller must
   * dealloc. Mode-specific; immortals return false.
   */
  private release(ref: number): boolean {
    const i32 = this.i32;
    const i = (ref >> 2) + 1;
    const rc = i32[i];
    if (rc < 0) return false;
    if (this.u16[(ref >> 1) + 1] === this.ownerTag) {
      i32[i] = rc - 1;
      return rc === 1 && (this.modeId !== MODE_BIASED || this.mergeZeroLocal(ref));
    }
    return this.releaseShared(ref);
  }

  /** Owner's local count hit zero (CPython `_Py_MergeZeroLocalRefcount`): true = free now. */
  private mergeZeroLocal(ref: number): boolean {
    const i32 = this.i32;
    const si = (ref >> 2) + 2;
    let shared = Atomics.load(i32, si);
    if (shared === 0) return true;
    this.u16[(ref >> 1) + 1] = 0; // no owner from now on: everyone uses the shared count
    for (;;) {
      const merged = (shared & ~SHARED_STATE_MASK) | SHARED_MERGED;
      const seen = Atomics.compareExchange(i32, si, shared, merged);
      if (seen === shared) return merged === SHARED_MERGED;
      shared = seen;
    }
  }

  /** Non-owner decref (CPython `_Py_DecRefShared`): true = free now. */
  private decrefShared(ref: number): boolean {
    const i32 = this.i32;
    const si = (ref >> 2) + 2;
    let shared = Atomics.load(i32, si);
    for (;;) {
      const queue = shared === 0;
      // shared == 0 in the default state: instead of going negative, hand the decref to the owner.
      const next = queue ? SHARED_QUEUED : shared - (1 << SHARED_SHIFT);
      const seen = Atomics.compareExchange(i32, si, shared, next);
      if (seen !== shared) {
        shared = seen;
        continue;
      }
      if (queue) {
        this.queueToOwner(ref);
        return false;
      }
      if (this.checked && (next & SHARED_STATE_MASK) === SHARED_MERGED && next >> SHARED_SHIFT < 0) {
        Atomics.add(i32, si, 1 << SHARED_SHIFT);
        throw new RefcountError(`decref below zero on a '${this.typeName(ref)}' object at ${ref}`);
      }
      return next === SHARED_MERGED;
    }
  }

  /** Push on the owner's merge queue (a Treiber stack through the link word; the owner pops all). */
  private queueToOwner(ref: number): void {
    const i32 = this.i32;
    const owner = this.u16[(ref >> 1) + 1] - 1;
    const q = C_BRC_QUEUES + owner;
    const link = (ref + OFF_LINK) >> 2;
    for (;;) {
      const head = Atomics.load(i32, q);
      i32[link] = head;
      if (Atomics.compareExchange(i32, q, head, ref) === head) break;
    }
    Atomics.add(i32, C_QUEUED, 1);
  }

  /**
   * Biased mode: merge the objects other threads queued to this thread (CPython's
   * `_Py_brc_merge_refcounts`, which the eval breaker runs). Frees those that reach zero. Returns
   * the number merged. No-op in other modes.
   */
  mergeQueued(): number {
    if (this.modeId !== MODE_BIASED) return 0;
    return this.mergeQueueOf(this.threadId);
  }

  /** True when other threads queued objects for this thread to merge (cheap; poll at breakers). */
  hasQueued(): boolean {
    return this.modeId === MODE_BIASED && Atomics.load(this.i32, C_BRC_QUEUES + this.threadId) !== 0;
  }

  /** @internal Merge thread `tid`'s queue (collect() does all of them with the world stopped). */
  mergeQueueOf(tid: number): number {
    const i32 = this.i32;
    let ref = Atomics.exchange(i32, C_BRC_QUEUES + tid, 0);
    let n = 0;
    while (ref !== 0) {
      const next = i32[(ref + OFF_LINK) >> 2];
      n++;
      // The queue held one pending decref: apply it while merging (`_Py_ExplicitMergeRefcount(ob, -1)`).
      if (this.explicitMerge(ref, -1) === 0) this.dealloc(ref);
      ref = next;
    }
    if (n > 0) Atomics.add(i32, C_MERGES, n);
    return n;
  }

  private explicitMerge(ref: number, extra: number): number {
    const i32 = this.i32;
    const si = (ref >> 2) + 2;
    const li = (ref >> 2) + 1;
    let shared = Atomics.load(i32, si);
    for (;;) {
      const count = (shared >> SHARED_SHIFT) + i32[li] + extra;
      const merged = (count << SHARED_SHIFT) | SHARED_MERGED;
      const seen = Atomics.compareExchange(i32, si, shared, merged);
      if (seen === shared) {
        i32[li] = 0;
        this.u16[(ref >> 1) + 1] = 0;
        return count;
      }
      shared = seen;
    }
  }

  /** The object's reference count (what `sys.getrefcount` shows minus its own argument). */
  refcount(ref: number): number {
    if (this.checked) this.checkLive(ref, 'refcount');
    const i32 = this.i32;
    const rc = i32[(ref >> 2) + 1];
    if (rc < 0) return IMMORTAL_REFCOUNT_REPORTED;
    if (this.modeId !== MODE_BIASED) return rc;
    return rc + (i32[(ref >> 2) + 2] >> SHARED_SHIFT);
  }

  /** PEP 683: None, True, False, small ints, (), '', b'' and one-character latin-1 strs. */
  isImmortal(ref: number): boolean {
    return this.i32[(ref >> 2) + 1] < 0;
  }

  /**
   * Free an object whose count reached zero, then everything that only it kept alive. Containers
   * go on a work list linked through OFF_LINK, so depth costs no JS stack.
   */
  private dealloc(ref: number): void {
    const i32 = this.i32;
    const type = this.u8[ref];
    if (type <= T_BYTES) {
      this.freeBlock(ref);
      return;
    }
    i32[(ref + OFF_LINK) >> 2] = 0;
    let pending = ref;
    while (pending !== 0) {
      const obj = pending;
      const oi = obj >> 2;
      pending = i32[oi + 3];
      switch (this.u8[obj]) {
        case T_TUPLE: {
          const n = i32[oi + 4];
          for (let k = 0; k < n; k++) {
            const c = i32[oi + 5 + k];
            if (c !== 0 && this.release(c)) pending = this.retire(c, pending);
          }
          break;
        }
        case T_LIST: {
          const n = i32[oi + 4];
          const items = i32[oi + 6];
          if (items !== 0) {
            const base = (items + OFF_STORAGE_DATA) >> 2;
            for (let k = 0; k < n; k++) {
              const c = i32[base + k];
              if (c !== 0 && this.release(c)) pending = this.retire(c, pending);
            }
            this.freeBlock(items);
          }
          break;
        }
        case T_DICT: {
          const table = i32[oi + 6];
          if (table !== 0) {
            const n = i32[oi + 5];
            const base = dict.entriesBase(this, table) >> 2;
            for (let k = 0; k < n; k++) {
              const key = i32[base + 4 * k + 2];
              if (key === 0) continue;
              if (this.release(key)) pending = this.retire(key, pending);
              const value = i32[base + 4 * k + 3];
              if (value !== 0 && this.release(value)) pending = this.retire(value, pending);
            }
            this.freeBlock(table);
          }
          break;
        }
        case T_SET: {
          const table = i32[oi + 7];
          const slots = i32[oi + 6] + 1;
          const base = (table + OFF_STORAGE_DATA) >> 2;
          for (let k = 0; k < slots; k++) {
            const key = i32[base + 4 * k + 2];
            if (key > 1 && this.release(key)) pending = this.retire(key, pending);
          }
          this.freeBlock(table);
          break;
        }
        case T_OBJECT: {
          const n = i32[oi + 5];
          for (let k = 0; k < n; k++) {
            const c = i32[oi + 8 + k];
            if (c !== 0 && this.release(c)) pending = this.retire(c, pending);
          }
          break;
        }
        default:
          break;
      }
      this.freeBlock(obj);
    }
  }

  /** A child reached zero: free it now if it holds nothing, else queue it on the work list. */
  private retire(ref: number, pending: number): number {
    if (this.u8[ref] <= T_BYTES) {
      this.freeBlock(ref);
      return pending;
    }
    this.i32[(ref + OFF_LINK) >> 2] = pending;
    return ref;
  }

  // ================================================================ checked mode

  /**
   * Throw unless `ref` is the start of a live object: in range, 16-aligned, not freed, at a block
   * boundary of a pool in use or at a large chunk carrying its sanity tag, or a static immortal.
   */
  checkLive(ref: number, op: string): void {
    const i32 = this.i32;
    if (
      typeof ref !== 'number' ||
      !Number.isInteger(ref) ||
      ref < STATIC_BASE ||
      ref >= i32[C_TOTAL_BYTES] ||
      (ref & 15) !== 0
    ) {
      throw new InvalidReferenceError(`${op}: invalid reference ${String(ref)} (out of range or misaligned)`);
    }
    if (!this.isBlockStart(ref)) {
      if (this.u8[ref] === T_FREE && this.inFreeSpace(ref)) throw this.staleError(ref, op);
      throw new InvalidReferenceError(`${op}: invalid reference ${ref}: not the start of an object`);
    }
    const type = this.u8[ref];
    if (type === T_FREE) throw this.staleError(ref, op);
    if (type >= T_STORAGE) {
      throw new InvalidReferenceError(
        `${op}: invalid reference ${ref}: not an object (${TYPE_NAMES[type] ?? `tag ${type}`})`,
      );
    }
  }

  private staleError(ref: number, op: string): StaleReferenceError {
    return new StaleReferenceError(
      `${op}: stale reference ${ref}: the '${TYPE_NAMES[this.u8[ref + 1]] ?? '?'}' object there was freed (use after free or double free)`,
    );
  }

  /** Error path only: is `ref` in an empty pool, the wilderness or a free large chunk? */
  private inFreeSpace(ref: number): boolean {
    const i32 = this.i32;
    if (ref < POOL_BASE) return false;
    if (ref < i32[C_POOL_TOP]) return i32[((ref & ~POOL_MASK) >> 2) + P_CLASS] < 0;
    const total = i32[C_TOTAL_BYTES];
    let c = i32[C_LARGE_BOTTOM];
    if (ref < c) return true;
    while (c < total) {
      const word = i32[(c >> 2) + LC_SIZE];
      const size = word & ~1;
      if (size <= 0) return false;
      if (ref < c + size) return (word & 1) === 0;
      c += size;
    }
    return false;
  }

  /** @internal True if `ref` is where a block/object can start (structure only, not liveness). */
  isBlockStart(ref: number): boolean {
    const i32 = this.i32;
    if (ref < POOL_BASE) {
      if (ref < SMALL_INT_BASE) return (ref - STATIC_BASE) % 32 === 0;
      if (ref < CHAR_BASE) return ((ref - SMALL_INT_BASE) & 31) === 0;
      return (ref - CHAR_BASE) % CHAR_STRIDE === 0 && ref < CHAR_BASE + 256 * CHAR_STRIDE;
    }
    if (ref < i32[C_POOL_TOP]) {
      if ((this.u8[ref + 1] & F_LARGE) !== 0) return false;
      const pool = ref & ~POOL_MASK;
      const pi = pool >> 2;
      if (i32[pi + P_CLASS] < 0) return false;
      const off = ref - pool - POOL_HEADER_BYTES;
      return (
        off >= 0 && off % i32[pi + P_BLOCKSIZE] === 0 && off + POOL_HEADER_BYTES < i32[pi + P_NEXTOFFSET]
      );
    }
    if (ref >= i32[C_LARGE_BOTTOM] + LARGE_HEADER_BYTES) {
      const ci = (ref - LARGE_HEADER_BYTES) >> 2;
      return (i32[ci + LC_SIZE] & 1) === 1 && i32[ci + LC_PREVFREE] === (ref ^ LARGE_MAGIC);
    }
    return false;
  }

  private checkDecref(ref: number): void {
    this.checkLive(ref, 'decref');
    const i32 = this.i32;
    const rc = i32[(ref >> 2) + 1];
    if (rc < 0) return;
    if (this.modeId === MODE_GIL && rc <= 0) {
      throw new RefcountError(`decref below zero on a '${this.typeName(ref)}' object at ${ref}`);
    }
    if (this.modeId === MODE_BIASED && this.u16[(ref >> 1) + 1] === this.ownerTag && rc <= 0) {
      throw new RefcountError(
        `decref below zero on a '${this.typeName(ref)}' object at ${ref} (owner's local count)`,
      );
    }
  }

  private expect(ref: number, type: number, op: string): void {
    if (this.checked) this.checkLive(ref, op);
    const t = this.u8[ref];
    if (t !== type)
      throw new PyTypeError(`${op}: expected '${TYPE_NAMES[type]}', got '${TYPE_NAMES[t] ?? `tag ${t}`}'`);
  }

  // ================================================================ types

  /** The Python type name of the object (`'object'` for a vm handle). */
  typeOf(ref: number): PyTypeName {
    if (this.checked) this.checkLive(ref, 'typeOf');
    return TYPE_NAMES[this.u8[ref]] as PyTypeName;
  }

  /** Raw type tag (T_* in layout.ts): what hot paths compare against. */
  typeTag(ref: number): number {
    return this.u8[ref];
  }

  private typeName(ref: number): string {
    return TYPE_NAMES[this.u8[ref]] ?? `tag ${this.u8[ref]}`;
  }

  // ================================================================ None, bool

  /** None (immortal). */
  readonly None = NONE_REF;
  /** True (immortal). */
  readonly True = TRUE_REF;
  /** False (immortal). */
  readonly False = FALSE_REF;

  /** True or False. */
  newBool(value: boolean): number {
    return value ? TRUE_REF : FALSE_REF;
  }

  /** Value of a bool (also accepts ints: their truth value is not computed here). */
  boolValue(ref: number): boolean {
    this.expect(ref, T_BOOL, 'boolValue');
    return ref === TRUE_REF;
  }

  // ================================================================ int

  /** New int from an integer-valued number (beyond 2**53 the value is taken as exact). */
  newInt(value: number): number {
    if (value >= SMALL_INT_MIN && value <= SMALL_INT_MAX && (value | 0) === value) {
      return SMALL_INT_BASE + ((value - SMALL_INT_MIN) << SMALL_INT_SHIFT);
    }
    if (!Number.isSafeInteger(value)) return this.newIntSlow(value);
    const ref = this.allocSmall(1, T_INT | this.ownerBits);
    this.f64[(ref + OFF_VALUE) >> 3] = value;
    return ref;
  }

  private newIntSlow(value: number): number {
    if (!Number.isInteger(value)) {
      throw new PyTypeError(`newInt: ${value} is not an integer (use newFloat for floats)`);
    }
    return this.newBigInt(BigInt(value));
  }

  /** New int from a bigint; stays a plain int when it fits 53 bits. */
  newBigInt(value: bigint): number {
    if (value >= -9007199254740991n && value <= 9007199254740991n) return this.newInt(Number(value));
    const neg = value < 0n;
    let mag = neg ? -value : value;
    const digits: number[] = [];
    while (mag > 0n) {
      digits.push(Number(mag & 0xffffffffn));
      mag >>= 32n;
    }
    const ref = this.alloc(OFF_BIG_DIGITS + 4 * digits.length, T_BIGINT | this.ownerBits);
    const i32 = this.i32;
    i32[(ref + OFF_BIG_SIGN) >> 2] = neg ? -1 : 1;
    i32[(ref + OFF_BIG_NDIGITS) >> 2] = digits.length;
    for (let k = 0; k < digits.length; k++) this.u32[((ref + OFF_BIG_DIGITS) >> 2) + k] = digits[k];
    return ref;
  }

  /** True for int objects (either representation) and bools (Python's bool is an int). */
  isInt(ref: number): boolean {
    const t = this.u8[ref];
    return t === T_INT || t === T_BIGINT || t === T_BOOL;
  }

  /** Value of an int or bool as a number (exact for T_INT; big ints are rounded). */
  intValue(ref: number): number {
    if (this.checked) this.checkLive(ref, 'intValue');
    const t = this.u8[ref];
    if (t === T_INT || t === T_BOOL) return this.f64[(ref + OFF_VALUE) >> 3];
    if (t === T_BIGINT) return Number(this.bigIntValue(ref));
    throw new PyTypeError(`intValue: expected 'int', got '${this.typeName(ref)}'`);
  }

  /** Value of an int or bool as an exact bigint. */
  bigIntValue(ref: number): bigint {
    if (this.checked) this.checkLive(ref, 'bigIntValue');
    const t = this.u8[ref];
    if (t === T_INT || t === T_BOOL) return BigInt(this.f64[(ref + OFF_VALUE) >> 3]);
    if (t !== T_BIGINT) throw new PyTypeError(`bigIntValue: expected 'int', got '${this.typeName(ref)}'`);
    const n = this.i32[(ref + OFF_BIG_NDIGITS) >> 2];
    let v = 0n;
    for (let k = n - 1; k >= 0; k--) v = (v << 32n) | BigInt(this.u32[((ref + OFF_BIG_DIGITS) >> 2) + k]);
    return this.i32[(ref + OFF_BIG_SIGN) >> 2] < 0 ? -v : v;
  }

  // ================================================================ float

  /** New float. */
  newFloat(value: number): number {
    const ref = this.allocSmall(1, T_FLOAT | this.ownerBits);
    this.f64[(ref + OFF_VALUE) >> 3] = value;
    return ref;
  }

  /** Value of a float (ints and bools are converted, as Python's float() would). */
  floatValue(ref: number): number {
    if (this.checked) this.checkLive(ref, 'floatValue');
    const t = this.u8[ref];
    if (t === T_FLOAT || t === T_INT || t === T_BOOL) return this.f64[(ref + OFF_VALUE) >> 3];
    if (t === T_BIGINT) return Number(this.bigIntValue(ref));
    throw new PyTypeError(`floatValue: expected 'float', got '${this.typeName(ref)}'`);
  }

  // ================================================================ str, bytes

  /** New str from a JS string (stored as UTF-8; lone surrogates survive). */
  newStr(value: string): number {
    const n = value.length;
    if (n === 0) return EMPTY_STR_REF;
    if (n === 1) {
      const c = value.charCodeAt(0);
      if (c < 256) return CHAR_BASE + c * CHAR_STRIDE;
    }
    const { bytes, codePoints } = measureUtf8(value);
    const ref = this.alloc(OFF_STR_DATA + bytes, T_STR | this.ownerBits);
    writeUtf8(this.u8, ref + OFF_STR_DATA, value);
    this.initStrFields(ref, bytes, codePoints, bytes === codePoints ? SF_ASCII : 0);
    return ref;
  }

  /** The str as a JS string. */
  strValue(ref: number): string {
    this.expect(ref, T_STR, 'strValue');
    return readUtf8(this.u8, ref + OFF_STR_DATA, this.i32[(ref + OFF_STR_BYTES) >> 2]);
  }

  /** len() of a str (code points). */
  strLen(ref: number): number {
    this.expect(ref, T_STR, 'strLen');
    return this.i32[(ref + OFF_STR_LEN) >> 2];
  }

  /** s[index] as a new str (index already normalised to 0..len-1). */
  strCharAt(ref: number, index: number): number {
    this.expect(ref, T_STR, 'strCharAt');
    const len = this.i32[(ref + OFF_STR_LEN) >> 2];
    if (!(index >= 0 && index < len)) throw new PyIndexError('string index out of range');
    const data = ref + OFF_STR_DATA;
    const at =
      (this.i32[(ref + OFF_STR_FLAGS) >> 2] & SF_ASCII) !== 0
        ? data + index
        : utf8Offset(this.u8, data, index);
    const b = this.u8[at];
    if (b < 0x80) return CHAR_BASE + b * CHAR_STRIDE;
    const size = b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;
    return this.newStr(readUtf8(this.u8, at, size));
  }

  /** New bytes object (copies the data). */
  newBytes(data: ArrayLike<number>): number {
    const n = data.length;
    if (n === 0) return EMPTY_BYTES_REF;
    const ref = this.alloc(OFF_STR_DATA + n, T_BYTES | this.ownerBits);
    const u8 = this.u8;
    const at = ref + OFF_STR_DATA;
    for (let k = 0; k < n; k++) {
      const b = data[k];
      if (!(b >= 0 && b <= 255 && (b | 0) === b)) {
        this.freeBlock(ref);
        throw new PyValueError('bytes must be in range(0, 256)');
      }
      u8[at + k] = b;
    }
    this.initStrFields(ref, n, n, 0);
    return ref;
  }

  /** len() of a bytes object. */
  bytesLen(ref: number): number {
    this.expect(ref, T_BYTES, 'bytesLen');
    return this.i32[(ref + OFF_STR_BYTES) >> 2];
  }

  /** A copy of the bytes. */
  bytesValue(ref: number): Uint8Array {
    this.expect(ref, T_BYTES, 'bytesValue');
    const at = ref + OFF_STR_DATA;
    return this.u8.slice(at, at + this.i32[(ref + OFF_STR_BYTES) >> 2]);
  }

  /** b[index] (index normalised to 0..len-1). */
  bytesGet(ref: number, index: number): number {
    this.expect(ref, T_BYTES, 'bytesGet');
    if (!(index >= 0 && index < this.i32[(ref + OFF_STR_BYTES) >> 2]))
      throw new PyIndexError('index out of range');
    return this.u8[ref + OFF_STR_DATA + index];
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
    const ref = this.alloc(OFF_TUPLE_ITEMS + 4 * n, T_TUPLE | this.ownerBits);
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

  private checkIndex(index: number, len: number, what: string): void {
    if (!(index >= 0 && index < len && (index | 0) === index))
      throw new PyIndexError(`${what} index out of range`);
  }

  // ================================================================ list

  /** New list holding new references to `items`. */
  newList(items: ArrayLike<number> = []): number {
    const n = items.length;
    if (this.checked) for (let k = 0; k < n; k++) this.checkLive(items[k], 'newList');
    const ref = this.alloc(32, T_LIST | this.ownerBits);
    const i32 = this.i32;
    i32[(ref + OFF_LIST_LEN) >> 2] = 0;
    i32[(ref + OFF_LIST_CAP) >> 2] = 0;
    i32[(ref + OFF_LIST_ITEMS) >> 2] = 0;
    if (n > 0) {
      try {
        this.listReserve(ref, n);
      } catch (err) {
        this.freeBlock(ref);
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
    const base = (this.i32[(ref + OFF_LIST_ITEMS) >> 2] + OFF_STORAGE_DATA) >> 2;
    return n === 0 ? [] : Array.from(this.i32.subarray(base, base + n));
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
    return dict.entryKey(this, d, pos);
  }

  /** Borrowed value of entry `pos` (see dictNext). */
  dictValueAt(d: number, pos: number): number {
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
    return set.slotKey(this, s, pos);
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
    const ref = this.alloc(Math.max(wordsAt + 8 * nwords, 32), T_OBJECT | this.ownerBits);
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
      default:
        throw new PyTypeError(`unhashable type: '${TYPE_NAMES[t] ?? `tag ${t}`}'`);
    }
  }

  /** Python's == for the built-in value types; identity for lists, dicts, sets and handles. */
  eq(a: number, b: number): boolean {
    if (a === b) return true;
    const u8 = this.u8;
    const ta = u8[a];
    const tb = u8[b];
    const numA = ta === T_INT || ta === T_BOOL || ta === T_FLOAT;
    const numB = tb === T_INT || tb === T_BOOL || tb === T_FLOAT;
    if (numA && numB) return this.f64[(a + OFF_VALUE) >> 3] === this.f64[(b + OFF_VALUE) >> 3];
    if (ta === T_BIGINT || tb === T_BIGINT) {
      if (!(numA || ta === T_BIGINT) || !(numB || tb === T_BIGINT)) return false;
      if (ta === T_FLOAT || tb === T_FLOAT) {
        const f = ta === T_FLOAT ? this.f64[(a + OFF_VALUE) >> 3] : this.f64[(b + OFF_VALUE) >> 3];
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
    return false;
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
   * array → tuple, array → list, Map or plain object → dict, Set → set.
   */
  fromJS(value: JSValue): number {
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

  // ================================================================ internals for sibling modules

  /** @internal */
  allocObject(nbytes: number, type: number): number {
    return this.alloc(nbytes, type | (type === T_STORAGE ? 0 : this.ownerBits));
  }

  /** @internal */
  freeRaw(ref: number): void {
    this.freeBlock(ref);
  }

  /** @internal Drop one reference, deallocating at zero (for modules that bypass checks). */
  decrefRaw(ref: number): void {
    if (this.release(ref)) this.dealloc(ref);
  }

  /** @internal Refcount as collect() needs it: local + shared in biased mode. */
  rawRefcount(ref: number): number {
    const i32 = this.i32;
    const rc = i32[(ref >> 2) + 1];
    if (this.modeId !== MODE_BIASED) return rc;
    return rc + (i32[(ref >> 2) + 2] >> SHARED_SHIFT);
  }

  /** @internal Biased mode, world stopped: fold the local count into the shared one. */
  mergeForCollect(ref: number): void {
    const i32 = this.i32;
    if (i32[(ref >> 2) + 1] >= 0 && (i32[(ref >> 2) + 2] & SHARED_STATE_MASK) !== SHARED_MERGED) {
      this.explicitMerge(ref, 0);
    }
  }

  /** @internal */
  assertType(ref: number, type: number, op: string): void {
    this.expect(ref, type, op);
  }
}

function checkThreadId(tid: number): number {
  if (!Number.isInteger(tid) || tid < 0 || tid >= MAX_THREADS) {
    throw new PyValueError(
      `options.threadId must be an integer in 0..${MAX_THREADS - 1}, got ${String(tid)}`,
    );
  }
  return tid;
}

/**
 * Reference counting, deallocation and checked mode: the layer between the allocator (memory.ts)
 * and the object constructors (atoms.ts, heap.ts).
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
 * One comparison serves gil mode and the biased owner alike: objects carry owner 0 outside biased
 * mode, and `ownerTag` is 0 in gil mode (always matches: plain update), -1 in atomic mode (never
 * matches) and threadId + 1 in biased mode (matches what this thread owns).
 *
 * Deallocation is iterative: an object reaching zero is put on a work list threaded through the
 * header's link word, so freeing a million-deep chain uses no JS stack.
 */
import {
  InvalidReferenceError,
  PyIndexError,
  PyTypeError,
  RefcountError,
  StaleReferenceError,
} from './errors.js';
import { MODE_NAMES, type RefcountMode, TYPE_NAMES } from './layout.js';
import { Memory } from './memory.js';

// Local copies of layout.ts constants. V8 does not constant-fold imported bindings (every use is a
// module-cell load plus a TDZ check, which measured 2x slower on the alloc/free path), so hot
// modules keep their own copies; layout.test.ts checks every copy against layout.ts.
const C_BRC_QUEUES = 0x40; // layout.C_BRC_QUEUES
const C_CHECKED = 0x4; // layout.C_CHECKED
const C_LARGE_BOTTOM = 0x6; // layout.C_LARGE_BOTTOM
const C_MERGES = 0xf; // layout.C_MERGES
const C_MODE = 0x2; // layout.C_MODE
const C_POOL_TOP = 0x5; // layout.C_POOL_TOP
const C_QUEUED = 0x10; // layout.C_QUEUED
const C_TOTAL_BYTES = 0x3; // layout.C_TOTAL_BYTES
const CHAR_BASE = 0x13180; // layout.CHAR_BASE
const CHAR_STRIDE = 0x30; // layout.CHAR_STRIDE
const CONTROL_BYTES = 0x11000; // layout.CONTROL_BYTES
const F_LARGE = 0x1; // layout.F_LARGE
const IMMORTAL_REFCOUNT_REPORTED = 0xc0000000; // layout.IMMORTAL_REFCOUNT_REPORTED
const LARGE_HEADER_BYTES = 0x10; // layout.LARGE_HEADER_BYTES
const LARGE_MAGIC = 0x5a17c0de; // layout.LARGE_MAGIC
const LC_PREVFREE = 0x3; // layout.LC_PREVFREE
const LC_SIZE = 0x0; // layout.LC_SIZE
const MODE_ATOMIC = 0x1; // layout.MODE_ATOMIC
const MODE_BIASED = 0x2; // layout.MODE_BIASED
const MODE_GIL = 0x0; // layout.MODE_GIL
const OFF_LINK = 0xc; // layout.OFF_LINK
const OFF_STORAGE_DATA = 0x10; // layout.OFF_STORAGE_DATA
const P_BLOCKSIZE = 0x7; // layout.P_BLOCKSIZE
const P_CLASS = 0x0; // layout.P_CLASS
const P_NEXTOFFSET = 0x3; // layout.P_NEXTOFFSET
const POOL_BASE = 0x18000; // layout.POOL_BASE
const POOL_HEADER_BYTES = 0x20; // layout.POOL_HEADER_BYTES
const POOL_MASK = 0x3fff; // layout.POOL_MASK
const SHARED_MERGED = 0x3; // layout.SHARED_MERGED
const SHARED_QUEUED = 0x2; // layout.SHARED_QUEUED
const SHARED_SHIFT = 0x2; // layout.SHARED_SHIFT
const SHARED_STATE_MASK = 0x3; // layout.SHARED_STATE_MASK
const SMALL_INT_BASE = 0x110c0; // layout.SMALL_INT_BASE
const STATIC_BASE = 0x11000; // layout.STATIC_BASE
const T_BYTES = 0x7; // layout.T_BYTES
const T_DICT = 0xa; // layout.T_DICT
const T_FREE = 0x0; // layout.T_FREE
const T_LIST = 0x9; // layout.T_LIST
const T_OBJECT = 0xc; // layout.T_OBJECT
const T_SET = 0xb; // layout.T_SET
const T_STORAGE = 0xd; // layout.T_STORAGE
const T_TUPLE = 0x8; // layout.T_TUPLE
const C_GC_COUNT = 0x11; // layout.C_GC_COUNT
const C_THREAD_CACHES = 0x400; // layout.C_THREAD_CACHES
const TC_LIVE = 0x3; // layout.TC_LIVE
const TC_WORDS = 0x40; // layout.TC_WORDS
const C_TAGGED = 0x12; // layout.C_TAGGED
const T_INT = 0x3; // layout.T_INT
const SET_DUMMY = 0x2; // layout.SET_DUMMY
/** @internal The layout constants this module copies (for layout.test.ts). */
export const LAYOUT_COPIES_REFCOUNTS: Readonly<Record<string, number>> = {
  SET_DUMMY,
  T_INT,
  C_TAGGED,
  C_THREAD_CACHES,
  TC_LIVE,
  TC_WORDS,
  C_GC_COUNT,
  C_BRC_QUEUES,
  C_CHECKED,
  C_LARGE_BOTTOM,
  C_MERGES,
  C_MODE,
  C_POOL_TOP,
  C_QUEUED,
  C_TOTAL_BYTES,
  CHAR_BASE,
  CHAR_STRIDE,
  CONTROL_BYTES,
  F_LARGE,
  IMMORTAL_REFCOUNT_REPORTED,
  LARGE_HEADER_BYTES,
  LARGE_MAGIC,
  LC_PREVFREE,
  LC_SIZE,
  MODE_ATOMIC,
  MODE_BIASED,
  MODE_GIL,
  OFF_LINK,
  OFF_STORAGE_DATA,
  P_BLOCKSIZE,
  P_CLASS,
  P_NEXTOFFSET,
  POOL_BASE,
  POOL_HEADER_BYTES,
  POOL_MASK,
  SHARED_MERGED,
  SHARED_QUEUED,
  SHARED_SHIFT,
  SHARED_STATE_MASK,
  SMALL_INT_BASE,
  STATIC_BASE,
  T_BYTES,
  T_DICT,
  T_FREE,
  T_LIST,
  T_OBJECT,
  T_SET,
  T_STORAGE,
  T_TUPLE,
};

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

/** Refcounting over the allocator; see the module note. */
export class Refcounts extends Memory {
  /** The refcount mode of this heap. */
  readonly refcountMode: RefcountMode;
  /** This thread's id (the biased-mode owner id of objects it allocates). */
  readonly threadId: number;
  /** Checked mode: references and refcount operations are validated. */
  readonly checked: boolean;
  /** Ints in TAGGED_MIN..TAGGED_MAX are odd immediates, not objects (see layout.ts). */
  readonly taggedInts: boolean;
  /** MODE_GIL, MODE_ATOMIC or MODE_BIASED. */
  readonly modeId: number;
  /** Header bits 16..31 for objects this thread allocates (biased: threadId + 1). */
  readonly ownerBits: number;
  protected readonly ownerTag: number;
  /** Called before a T_OBJECT is freed (see `setFinalizer`). */
  private finalizer: ((ref: number, kind: number) => void) | null = null;

  protected constructor(buffer: ArrayBuffer | SharedArrayBuffer, threadId: number) {
    const i32 = new Int32Array(buffer, 0, CONTROL_BYTES >> 2);
    const mode = i32[C_MODE];
    super(buffer, mode !== MODE_GIL, threadId);
    this.modeId = mode;
    this.refcountMode = MODE_NAMES[mode];
    this.threadId = threadId;
    this.checked = i32[C_CHECKED] !== 0;
    this.taggedInts = i32[C_TAGGED] !== 0;
    // Objects carry owner 0 except in biased mode. gil: tag 0 always matches (plain updates);
    // atomic: tag -1 never matches (atomic updates); biased: matches only objects this thread owns.
    this.ownerTag = mode === MODE_BIASED ? threadId + 1 : mode === MODE_GIL ? 0 : -1;
    this.ownerBits = mode === MODE_BIASED ? this.ownerTag << 16 : 0;
  }

  /**
   * Install (or clear, with null) this thread's object finalizer: called with the ref and its host
   * kind just before a T_OBJECT handle is freed, whether by a decref reaching zero, a biased merge
   * or `collect()`, while the object's slots still hold their references. A vm uses it to release
   * the JS side of a handle. It may incref/decref other objects; it must not resurrect `ref`.
   */
  setFinalizer(fn: ((ref: number, kind: number) => void) | null): void {
    this.finalizer = fn;
  }

  // ================================================================ refcounts

  /** Add a reference. */
  incref(ref: number): void {
    if (this.checked) this.checkLive(ref, 'incref');
    if ((ref & 1) !== 0) return; // tagged int
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
    if ((ref & 1) !== 0) return; // tagged int
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
    if ((ref & 1) !== 0) return false; // tagged int
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
        const owner = this.u16[(ref >> 1) + 1];
        if (owner === 0) {
          // No owner: it merged (owner field 0) between our load and our CAS. CPython handles this
          // case (gh-121794) by decref-ing directly instead of queueing; here, with balanced
          // counts, the owner can only have merged while shared was non-zero, so the case is
          // defensive: queue index -1 would corrupt the control block. Apply the pending decref
          // on the merged shared count; whoever's update leaves exactly MERGED frees the object.
          return this.decrefShared(ref);
        }
        this.queueToOwner(ref, owner - 1);
        // Owner detached (exited)? It will never merge: drain its queue here. Both sides drain
        // with an atomic exchange, so each queued object is merged exactly once:
        //   owner:  mark detached -> drain            queuer: push -> sees detached -> drain
        if (Atomics.load(this.i32, C_THREAD_CACHES + (owner - 1) * TC_WORDS + TC_LIVE) === 0) {
          this.mergeQueueOf(owner - 1);
        }
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
  private queueToOwner(ref: number, owner: number): void {
    const i32 = this.i32;
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

  /** @internal Record whether this thread id is attached (see detach). */
  markLive(live: boolean): void {
    Atomics.store(this.i32, C_THREAD_CACHES + this.threadId * TC_WORDS + TC_LIVE, live ? 1 : 0);
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
    if ((ref & 1) !== 0) return IMMORTAL_REFCOUNT_REPORTED; // tagged int
    const i32 = this.i32;
    const rc = i32[(ref >> 2) + 1];
    if (rc < 0) return IMMORTAL_REFCOUNT_REPORTED;
    if (this.modeId !== MODE_BIASED) return rc;
    return rc + (i32[(ref >> 2) + 2] >> SHARED_SHIFT);
  }

  /** PEP 683: None, True, False, small ints, (), '', b'' and one-character latin-1 strs. */
  isImmortal(ref: number): boolean {
    return (ref & 1) !== 0 || this.i32[(ref >> 2) + 1] < 0;
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
    let failed: { err: unknown } | undefined;
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
            // Entries follow the index table (see dict.ts): 2**log2 int32 slots, 16-byte aligned.
            const nslots = 1 << i32[(table + 8) >> 2];
            const base = (table + OFF_STORAGE_DATA + ((4 * nslots + 15) & ~15)) >> 2;
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
            // 0 = never used, SET_DUMMY = deleted; anything else is a key (maybe a tagged int).
            if (key !== 0 && key !== SET_DUMMY && this.release(key)) pending = this.retire(key, pending);
          }
          this.freeBlock(table);
          break;
        }
        case T_OBJECT: {
          if (this.finalizer !== null) {
            // The finalizer may free other objects (a nested dealloc with its own work list). A
            // throw is held until the work list is done, so the heap is never left half freed.
            try {
              this.finalizer(obj, i32[oi + 4]);
            } catch (err) {
              failed ??= { err };
            }
          }
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
      this.freeContainer(obj);
    }
    if (failed !== undefined) throw failed.err;
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
  protected checkLive(ref: number, op: string): void {
    const i32 = this.i32;
    if (this.taggedInts && typeof ref === 'number' && (ref | 0) === ref && (ref & 1) === 1) return;
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
    if ((ref & 1) !== 0) return;
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

  protected expect(ref: number, type: number, op: string): void {
    if (this.checked) this.checkLive(ref, op);
    const t = this.typeTag(ref);
    if (t !== type)
      throw new PyTypeError(`${op}: expected '${TYPE_NAMES[type]}', got '${TYPE_NAMES[t] ?? `tag ${t}`}'`);
  }

  // ================================================================ types

  /** The Python type name of the object (`'object'` for a vm handle). */
  typeOf(ref: number): PyTypeName {
    if (this.checked) this.checkLive(ref, 'typeOf');
    return TYPE_NAMES[this.typeTag(ref)] as PyTypeName;
  }

  /** Raw type tag (T_* in layout.ts): what hot paths compare against. */
  typeTag(ref: number): number {
    return (ref & 1) !== 0 ? T_INT : this.u8[ref];
  }

  protected typeName(ref: number): string {
    const t = this.typeTag(ref);
    return TYPE_NAMES[t] ?? `tag ${t}`;
  }

  protected checkIndex(index: number, len: number, what: string): void {
    if (!(index >= 0 && index < len && (index | 0) === index))
      throw new PyIndexError(`${what} index out of range`);
  }

  // ================================================================ internals for sibling modules

  /** @internal */
  allocObject(nbytes: number, type: number): number {
    if (type === T_STORAGE) return this.alloc(nbytes, type);
    return this.allocContainer(nbytes, type);
  }

  /** Allocate a container object (tracked by the collector) and count it toward gcCount(). */
  protected allocContainer(nbytes: number, type: number): number {
    const ref = this.alloc(nbytes, type | this.ownerBits);
    if (this.locking) Atomics.add(this.i32, C_GC_COUNT, 1);
    else this.i32[C_GC_COUNT]++;
    return ref;
  }

  /** Free a container's block (its references already dropped) and uncount it. */
  protected freeContainer(ref: number): void {
    this.freeBlock(ref);
    if (this.locking) Atomics.sub(this.i32, C_GC_COUNT, 1);
    else this.i32[C_GC_COUNT]--;
  }

  /**
   * Containers allocated minus containers freed since the last `collect()`, like CPython's
   * generation-0 count: a VM can run `if (heap.gcCount() > 700) heap.collect()` at breakers.
   */
  gcCount(): number {
    return Atomics.load(this.i32, C_GC_COUNT);
  }

  /** @internal */
  freeRaw(ref: number): void {
    this.freeBlock(ref);
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
}

/**
 * The allocator, after CPython's pymalloc (Objects/obmalloc.c), with all state inside the buffer.
 *
 * Small requests (<= 512 bytes) are rounded up to a 16-byte size class. Each 16 KiB pool holds
 * blocks of one class; `usedpools[class]` (C_USEDPOOLS) lists pools that have a free block, so the
 * fast path is: take the head pool, pop its LIFO free list or carve the next never-used block
 * (pools are carved lazily), unlink the pool if it just became full. Freeing pushes the block on
 * its pool's free list (the pool is found by masking the address: pools are 16 KiB aligned),
 * relinks a pool that was full and hands a pool that became empty to the free-pool list, where any
 * size class (or, at the top edge, the large-object path) can reuse it.
 *
 * Large requests get a chunk from a first-fit free list with boundary tags: every chunk header
 * stores its own size and the size of the chunk below, so a freed chunk merges with free neighbours
 * on both sides at once, and a free chunk at the low edge returns to the wilderness between the
 * pools (growing up) and the large chunks (growing down).
 *
 * Thread safety: in `gil` mode the caller holds the GIL, so no lock is taken (as in CPython). In
 * `atomic` and `biased` modes (no GIL) allocator state changes under C_ALLOC_LOCK, a three-state
 * futex lock (0 free, 1 held, 2 held with waiters; an uncontended take is one compareExchange).
 * The 32-byte class, where ints and floats live, mostly avoids it: each thread keeps a small LIFO
 * cache of free blocks in its own TC_* record (mimalloc's thread-local free lists, in miniature),
 * refilled from and flushed to the pools TC_BATCH blocks per lock take. A cached block is T_FREE
 * but still counted in its pool's P_NUSED, so pools never see it move between threads. In `gil`
 * mode the same cache sits in front of the pools for freed ints and floats (the GIL guards it):
 * popping and pushing a LIFO array is cheaper than the pool free list, and `n -= 1` style loops
 * allocate and free one int per iteration.
 *
 * Out of memory: every check happens before the first write, so a failed request leaves the heap
 * exactly as it was and throws PyMemoryError.
 */
import { PyMemoryError } from './errors.js';

// Local copies of layout.ts constants. V8 does not constant-fold imported bindings (every use is a
// module-cell load plus a TDZ check, which measured 2x slower on the alloc/free path), so hot
// modules keep their own copies; layout.test.ts checks every copy against layout.ts.
const ALIGNMENT_SHIFT = 0x4; // layout.ALIGNMENT_SHIFT
const C_ALLOC_LOCK = 0x9; // layout.C_ALLOC_LOCK
const C_ALLOCS = 0xa; // layout.C_ALLOCS
const C_FREEPOOLS = 0x7; // layout.C_FREEPOOLS
const C_FREES = 0xb; // layout.C_FREES
const C_LARGE_BOTTOM = 0x6; // layout.C_LARGE_BOTTOM
const C_LARGE_FREE = 0x8; // layout.C_LARGE_FREE
const C_POOL_TOP = 0x5; // layout.C_POOL_TOP
const C_TOTAL_BYTES = 0x3; // layout.C_TOTAL_BYTES
const C_USEDPOOLS = 0x20; // layout.C_USEDPOOLS
const F_LARGE = 0x1; // layout.F_LARGE
const LARGE_HEADER_BYTES = 0x10; // layout.LARGE_HEADER_BYTES
const LARGE_MAGIC = 0x5a17c0de; // layout.LARGE_MAGIC
const LARGE_MIN_SPLIT = 0x40; // layout.LARGE_MIN_SPLIT
const LC_NEXTFREE = 0x2; // layout.LC_NEXTFREE
const LC_PREVFREE = 0x3; // layout.LC_PREVFREE
const LC_PREVSIZE = 0x1; // layout.LC_PREVSIZE
const LC_SIZE = 0x0; // layout.LC_SIZE
const OFF_LINK = 0xc; // layout.OFF_LINK
const P_BLOCKSIZE = 0x7; // layout.P_BLOCKSIZE
const P_CLASS = 0x0; // layout.P_CLASS
const P_FREEBLOCK = 0x2; // layout.P_FREEBLOCK
const P_MAXNEXTOFFSET = 0x4; // layout.P_MAXNEXTOFFSET
const P_NEXTOFFSET = 0x3; // layout.P_NEXTOFFSET
const P_NEXTPOOL = 0x5; // layout.P_NEXTPOOL
const P_NUSED = 0x1; // layout.P_NUSED
const P_PREVPOOL = 0x6; // layout.P_PREVPOOL
const POOL_BASE = 0x18000; // layout.POOL_BASE
const POOL_HEADER_BYTES = 0x20; // layout.POOL_HEADER_BYTES
const POOL_MASK = 0x3fff; // layout.POOL_MASK
const POOL_SIZE = 0x4000; // layout.POOL_SIZE
const SMALL_REQUEST_THRESHOLD = 0x200; // layout.SMALL_REQUEST_THRESHOLD
const T_FREE = 0x0; // layout.T_FREE
const CACHED_CLASS = 0x1; // layout.CACHED_CLASS
const C_THREAD_CACHES = 0x400; // layout.C_THREAD_CACHES
const TC_ALLOCS = 0x1; // layout.TC_ALLOCS
const TC_BATCH = 0x1e; // layout.TC_BATCH
const TC_CAPACITY = 0x3c; // layout.TC_CAPACITY
const TC_COUNT = 0x0; // layout.TC_COUNT
const TC_FREES = 0x2; // layout.TC_FREES
const TC_SLOTS = 0x4; // layout.TC_SLOTS
const TC_WORDS = 0x40; // layout.TC_WORDS
const T_INT = 0x3; // layout.T_INT
const T_FLOAT = 0x5; // layout.T_FLOAT
/** @internal The layout constants this module copies (for layout.test.ts). */
export const LAYOUT_COPIES_MEMORY: Readonly<Record<string, number>> = {
  T_INT,
  T_FLOAT,
  CACHED_CLASS,
  C_THREAD_CACHES,
  TC_ALLOCS,
  TC_BATCH,
  TC_CAPACITY,
  TC_COUNT,
  TC_FREES,
  TC_SLOTS,
  TC_WORDS,
  ALIGNMENT_SHIFT,
  C_ALLOC_LOCK,
  C_ALLOCS,
  C_FREEPOOLS,
  C_FREES,
  C_LARGE_BOTTOM,
  C_LARGE_FREE,
  C_POOL_TOP,
  C_TOTAL_BYTES,
  C_USEDPOOLS,
  F_LARGE,
  LARGE_HEADER_BYTES,
  LARGE_MAGIC,
  LARGE_MIN_SPLIT,
  LC_NEXTFREE,
  LC_PREVFREE,
  LC_PREVSIZE,
  LC_SIZE,
  OFF_LINK,
  P_BLOCKSIZE,
  P_CLASS,
  P_FREEBLOCK,
  P_MAXNEXTOFFSET,
  P_NEXTOFFSET,
  P_NEXTPOOL,
  P_NUSED,
  P_PREVPOOL,
  POOL_BASE,
  POOL_HEADER_BYTES,
  POOL_MASK,
  POOL_SIZE,
  SMALL_REQUEST_THRESHOLD,
  T_FREE,
};

/** Typed-array views over one heap buffer; created once per attached heap. */
export class Memory {
  /** The heap's buffer: send it to another worker and `Heap.attach` it there. */
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  /** Views over the whole buffer, created once (see layout.ts for offsets). Index = byte offset >> 2. */
  readonly i32: Int32Array;
  /** Unsigned view of the same words (bigint digits). Index = byte offset >> 2. */
  readonly u32: Uint32Array;
  /** Half-words (the biased owner at +2). Index = byte offset >> 1. */
  readonly u16: Uint16Array;
  /** Bytes (type tags, str/bytes data). Index = byte offset. */
  readonly u8: Uint8Array;
  /** Float64 words (int, bool and float values at OFF_VALUE). Index = byte offset >> 3. */
  readonly f64: Float64Array;
  /** True when allocator entries must take C_ALLOC_LOCK (modes without a GIL). */
  protected readonly locking: boolean;
  /** i32 index of this thread's block cache (used when `locking`). */
  protected readonly cacheBase: number;

  protected constructor(buffer: ArrayBuffer | SharedArrayBuffer, locking: boolean, threadId: number) {
    this.buffer = buffer;
    this.i32 = new Int32Array(buffer);
    this.u32 = new Uint32Array(buffer);
    this.u16 = new Uint16Array(buffer);
    this.u8 = new Uint8Array(buffer);
    this.f64 = new Float64Array(buffer);
    this.locking = locking;
    this.cacheBase = C_THREAD_CACHES + threadId * TC_WORDS;
  }

  // ---- lock (atomic and biased modes) ----

  /** Take the allocator lock: futex-style, spin briefly, then sleep on the word. */
  protected lockAlloc(): void {
    const i32 = this.i32;
    if (Atomics.compareExchange(i32, C_ALLOC_LOCK, 0, 1) === 0) return;
    for (let spin = 0; spin < 64; spin++) {
      if (i32[C_ALLOC_LOCK] === 0 && Atomics.compareExchange(i32, C_ALLOC_LOCK, 0, 1) === 0) return;
    }
    // Mark "held with waiters" so the holder's unlock knows to notify.
    while (Atomics.exchange(i32, C_ALLOC_LOCK, 2) !== 0) {
      Atomics.wait(i32, C_ALLOC_LOCK, 2, 10);
    }
  }

  protected unlockAlloc(): void {
    if (Atomics.exchange(this.i32, C_ALLOC_LOCK, 0) === 2) Atomics.notify(this.i32, C_ALLOC_LOCK, 1);
  }

  // ---- allocation ----

  /**
   * Allocate a block of at least `nbytes` (>= 16) and write a fresh object header: type tag, flags,
   * `headerWord` bits 16..31 (the biased owner), refcount 1, shared 0, link 0.
   */
  protected alloc(nbytes: number, headerWord: number): number {
    if (nbytes <= SMALL_REQUEST_THRESHOLD)
      return this.allocSmall((nbytes - 1) >> ALIGNMENT_SHIFT, headerWord);
    return this.allocLarge(nbytes, headerWord);
  }

  /** Size-class fast path (class `cls` = (nbytes - 1) >> 4). */
  protected allocSmall(cls: number, headerWord: number): number {
    const i32 = this.i32;
    let ref: number;
    if (this.locking) {
      ref = cls === CACHED_CLASS ? this.allocCached() : this.allocLocked(cls);
    } else if (cls === CACHED_CLASS && i32[this.cacheBase + TC_COUNT] !== 0) {
      // gil mode: the GIL guards this thread's cache like everything else; pop the newest block.
      const cb = this.cacheBase;
      const n = i32[cb + TC_COUNT] - 1;
      ref = i32[cb + TC_SLOTS + n];
      i32[cb + TC_COUNT] = n;
      i32[C_ALLOCS]++;
    } else {
      const pool = i32[C_USEDPOOLS + cls];
      if (pool === 0) {
        ref = this.allocFromPools(cls);
      } else {
        // Fast path (gil mode): pop the pool's LIFO free list, else carve the next fresh block.
        const pi = pool >> 2;
        ref = i32[pi + P_FREEBLOCK];
        let next = 0;
        if (ref !== 0) {
          next = i32[(ref + OFF_LINK) >> 2];
          i32[pi + P_FREEBLOCK] = next;
        } else {
          const off = i32[pi + P_NEXTOFFSET];
          ref = pool + off;
          i32[pi + P_NEXTOFFSET] = off + i32[pi + P_BLOCKSIZE];
        }
        i32[pi + P_NUSED]++;
        if (next === 0 && i32[pi + P_NEXTOFFSET] > i32[pi + P_MAXNEXTOFFSET]) this.unlinkFullPool(cls, pi);
      }
      i32[C_ALLOCS]++;
    }
    const hi = ref >> 2;
    i32[hi] = headerWord;
    i32[hi + 1] = 1;
    i32[hi + 2] = 0;
    i32[hi + 3] = 0;
    return ref;
  }

  /** The pool just became full: drop it from usedpools[cls]; free() relinks it. */
  private unlinkFullPool(cls: number, pi: number): void {
    const i32 = this.i32;
    const next = i32[pi + P_NEXTPOOL];
    i32[C_USEDPOOLS + cls] = next;
    if (next !== 0) i32[(next >> 2) + P_PREVPOOL] = 0;
  }

  /** Take a block of class `cls` from the pools (caller holds the lock in locking modes). */
  private allocFromPools(cls: number): number {
    const i32 = this.i32;
    const pool = i32[C_USEDPOOLS + cls];
    if (pool === 0) return this.allocFromNewPool(cls);
    const pi = pool >> 2;
    let ref = i32[pi + P_FREEBLOCK];
    if (ref !== 0) {
      i32[pi + P_FREEBLOCK] = i32[(ref + OFF_LINK) >> 2];
    } else {
      const off = i32[pi + P_NEXTOFFSET];
      ref = pool + off;
      i32[pi + P_NEXTOFFSET] = off + i32[pi + P_BLOCKSIZE];
    }
    i32[pi + P_NUSED]++;
    if (i32[pi + P_FREEBLOCK] === 0 && i32[pi + P_NEXTOFFSET] > i32[pi + P_MAXNEXTOFFSET]) {
      this.unlinkFullPool(cls, pi);
    }
    return ref;
  }

  /** Locking modes, uncached class: one block under the allocator lock. */
  private allocLocked(cls: number): number {
    this.lockAlloc();
    try {
      return this.allocFromPools(cls);
    } finally {
      this.unlockAlloc();
      this.i32[this.cacheBase + TC_ALLOCS]++;
    }
  }

  /** Locking modes, CACHED_CLASS: pop this thread's cache (no lock), refilling it in a batch. */
  private allocCached(): number {
    const i32 = this.i32;
    const cb = this.cacheBase;
    let n = i32[cb + TC_COUNT];
    if (n === 0) n = this.refillCache();
    const ref = i32[cb + TC_SLOTS + n - 1];
    i32[cb + TC_COUNT] = n - 1;
    i32[cb + TC_ALLOCS]++;
    return ref;
  }

  /** Move up to TC_BATCH blocks from the pools into this thread's cache under one lock take. */
  private refillCache(): number {
    const i32 = this.i32;
    const u8 = this.u8;
    const cb = this.cacheBase;
    let n = 0;
    this.lockAlloc();
    try {
      for (; n < TC_BATCH; n++) {
        const ref = this.allocFromPools(CACHED_CLASS);
        // Cached blocks are free blocks: keep a freed block's header (it names the old type).
        if (u8[ref] !== T_FREE) i32[ref >> 2] = T_FREE;
        i32[(ref >> 2) + 1] = 0;
        i32[cb + TC_SLOTS + n] = ref;
      }
    } catch (err) {
      if (n === 0) throw err; // PyMemoryError with nothing cached: the heap is really full
    } finally {
      this.unlockAlloc();
      i32[cb + TC_COUNT] = n;
    }
    return n;
  }

  /** Slow path: no pool of this class has room; take an empty pool or carve one from the wilderness. */
  private allocFromNewPool(cls: number): number {
    const i32 = this.i32;
    let pool = i32[C_FREEPOOLS];
    if (pool !== 0) {
      i32[C_FREEPOOLS] = i32[(pool >> 2) + P_NEXTPOOL];
    } else {
      const top = i32[C_POOL_TOP];
      if (top + POOL_SIZE > i32[C_LARGE_BOTTOM]) {
        throw new PyMemoryError(
          `heap exhausted: no room for a new ${(cls + 1) << ALIGNMENT_SHIFT}-byte pool (heap is ${i32[C_TOTAL_BYTES]} bytes)`,
        );
      }
      i32[C_POOL_TOP] = top + POOL_SIZE;
      pool = top;
    }
    const pi = pool >> 2;
    const size = (cls + 1) << ALIGNMENT_SHIFT;
    i32[pi + P_CLASS] = cls;
    i32[pi + P_NUSED] = 1;
    i32[pi + P_FREEBLOCK] = 0;
    i32[pi + P_BLOCKSIZE] = size;
    i32[pi + P_NEXTOFFSET] = POOL_HEADER_BYTES + size;
    i32[pi + P_MAXNEXTOFFSET] = POOL_SIZE - size;
    i32[pi + P_PREVPOOL] = 0;
    i32[pi + P_NEXTPOOL] = 0;
    // Every pool holds at least 31 blocks, so a fresh pool is never full: link it.
    i32[C_USEDPOOLS + cls] = pool;
    return pool + POOL_HEADER_BYTES;
  }

  /** Large-object path: first fit, split, else take from the wilderness. */
  protected allocLarge(nbytes: number, headerWord: number): number {
    const i32 = this.i32;
    if (!(nbytes <= 0x7fff0000)) throw new PyMemoryError(`cannot allocate ${nbytes} bytes`);
    const need = ((nbytes + 15) & ~15) + LARGE_HEADER_BYTES;
    if (this.locking) this.lockAlloc();
    let chunk = this.takeFreeChunk(need);
    if (chunk === 0) chunk = this.carveChunk(need);
    if (chunk === 0) {
      this.reclaimTopPools();
      chunk = this.carveChunk(need);
    }
    if (chunk === 0) {
      if (this.locking) this.unlockAlloc();
      throw new PyMemoryError(
        `heap exhausted: no room for a ${nbytes}-byte object (heap is ${i32[C_TOTAL_BYTES]} bytes)`,
      );
    }
    const ref = chunk + LARGE_HEADER_BYTES;
    i32[(chunk >> 2) + LC_PREVFREE] = ref ^ LARGE_MAGIC;
    if (this.locking) {
      this.unlockAlloc();
      i32[this.cacheBase + TC_ALLOCS]++;
    } else {
      i32[C_ALLOCS]++;
    }
    const hi = ref >> 2;
    i32[hi] = headerWord | (F_LARGE << 8);
    i32[hi + 1] = 1;
    i32[hi + 2] = 0;
    i32[hi + 3] = 0;
    return ref;
  }

  private takeFreeChunk(need: number): number {
    const i32 = this.i32;
    for (let c = i32[C_LARGE_FREE]; c !== 0; c = i32[(c >> 2) + LC_NEXTFREE]) {
      const ci = c >> 2;
      const size = i32[ci + LC_SIZE] & ~1;
      if (size < need) continue;
      this.unlinkFreeChunk(c);
      if (size - need >= LARGE_MIN_SPLIT) {
        const rest = c + need;
        const restSize = size - need;
        i32[(rest >> 2) + LC_SIZE] = restSize;
        i32[(rest >> 2) + LC_PREVSIZE] = need;
        this.linkFreeChunk(rest);
        const after = c + size;
        if (after < i32[C_TOTAL_BYTES]) i32[(after >> 2) + LC_PREVSIZE] = restSize;
        i32[ci + LC_SIZE] = need | 1;
      } else {
        i32[ci + LC_SIZE] = size | 1;
      }
      return c;
    }
    return 0;
  }

  private carveChunk(need: number): number {
    const i32 = this.i32;
    const bottom = i32[C_LARGE_BOTTOM];
    const c = bottom - need;
    if (c < i32[C_POOL_TOP]) return 0;
    i32[(c >> 2) + LC_SIZE] = need | 1;
    i32[(c >> 2) + LC_PREVSIZE] = 0;
    if (bottom < i32[C_TOTAL_BYTES]) i32[(bottom >> 2) + LC_PREVSIZE] = need;
    i32[C_LARGE_BOTTOM] = c;
    return c;
  }

  /** Give empty pools at the top edge of the pool region back to the wilderness. */
  private reclaimTopPools(): void {
    const i32 = this.i32;
    for (;;) {
      const top = i32[C_POOL_TOP] - POOL_SIZE;
      if (top < POOL_BASE || i32[(top >> 2) + P_CLASS] !== -1) return;
      // Unlink `top` from the singly linked free-pool list.
      let prev = 0;
      let p = i32[C_FREEPOOLS];
      while (p !== 0 && p !== top) {
        prev = p;
        p = i32[(p >> 2) + P_NEXTPOOL];
      }
      if (p === 0) return;
      const next = i32[(top >> 2) + P_NEXTPOOL];
      if (prev === 0) i32[C_FREEPOOLS] = next;
      else i32[(prev >> 2) + P_NEXTPOOL] = next;
      i32[C_POOL_TOP] = top;
    }
  }

  private linkFreeChunk(c: number): void {
    const i32 = this.i32;
    const head = i32[C_LARGE_FREE];
    i32[(c >> 2) + LC_NEXTFREE] = head;
    i32[(c >> 2) + LC_PREVFREE] = 0;
    if (head !== 0) i32[(head >> 2) + LC_PREVFREE] = c;
    i32[C_LARGE_FREE] = c;
  }

  private unlinkFreeChunk(c: number): void {
    const i32 = this.i32;
    const next = i32[(c >> 2) + LC_NEXTFREE];
    const prev = i32[(c >> 2) + LC_PREVFREE];
    if (prev === 0) i32[C_LARGE_FREE] = next;
    else i32[(prev >> 2) + LC_NEXTFREE] = next;
    if (next !== 0) i32[(next >> 2) + LC_PREVFREE] = prev;
  }

  // ---- free ----

  /**
   * Return a block to the allocator. The header becomes T_FREE with the old type tag kept in the
   * flags byte, so checked mode can say what a stale reference used to point at.
   */
  protected freeBlock(ref: number): void {
    const i32 = this.i32;
    const hi = ref >> 2;
    const word = i32[hi];
    const type = word & 0xff;
    if ((type === T_INT || type === T_FLOAT) && !this.locking) {
      // gil mode: ints and floats (always 32-byte blocks) go to this thread's LIFO cache first.
      const cb = this.cacheBase;
      const n = i32[cb + TC_COUNT];
      if (n !== TC_CAPACITY) {
        i32[hi] = type << 8; // T_FREE, old type kept in the flags byte
        i32[hi + 1] = 0;
        i32[cb + TC_SLOTS + n] = ref;
        i32[cb + TC_COUNT] = n + 1;
        i32[C_FREES]++;
        return;
      }
    }
    const pi = (ref & ~POOL_MASK) >> 2;
    const head = i32[pi + P_FREEBLOCK];
    const nused = i32[pi + P_NUSED] - 1;
    // Fast path (gil mode, small block, the pool neither was full nor becomes empty).
    if (
      this.locking ||
      (word & (F_LARGE << 8)) !== 0 ||
      nused === 0 ||
      (head === 0 && i32[pi + P_NEXTOFFSET] > i32[pi + P_MAXNEXTOFFSET])
    ) {
      this.freeBlockSlow(ref);
      return;
    }
    i32[hi] = (word & 0xff) << 8; // T_FREE, old type kept in the flags byte
    i32[hi + 1] = 0;
    i32[hi + 3] = head;
    i32[pi + P_FREEBLOCK] = ref;
    i32[pi + P_NUSED] = nused;
    i32[C_FREES]++;
  }

  private freeBlockSlow(ref: number): void {
    const i32 = this.i32;
    const hi = ref >> 2;
    const word = i32[hi];
    i32[hi] = T_FREE | ((word & 0xff) << 8); // the old type stays in the flags byte for error messages
    i32[hi + 1] = 0;
    const locking = this.locking;
    if (((word >> 8) & F_LARGE) !== 0) {
      if (locking) this.lockAlloc();
      this.freeLarge(ref - LARGE_HEADER_BYTES);
      if (locking) this.unlockAlloc();
    } else if (!locking) {
      this.freeToPool(ref);
    } else if (i32[((ref & ~POOL_MASK) >> 2) + P_CLASS] === CACHED_CLASS) {
      // The pool cannot change class under us: this block is still counted in its P_NUSED.
      const cb = this.cacheBase;
      let n = i32[cb + TC_COUNT];
      if (n === TC_CAPACITY) n = this.flushCache();
      i32[cb + TC_SLOTS + n] = ref;
      i32[cb + TC_COUNT] = n + 1;
    } else {
      this.lockAlloc();
      this.freeToPool(ref);
      this.unlockAlloc();
    }
    if (locking) i32[this.cacheBase + TC_FREES]++;
    else i32[C_FREES]++;
  }

  /** Return the oldest TC_BATCH cached blocks to their pools under one lock take; new count. */
  private flushCache(): number {
    const i32 = this.i32;
    const cb = this.cacheBase;
    const n = i32[cb + TC_COUNT];
    this.lockAlloc();
    for (let k = 0; k < TC_BATCH; k++) this.freeToPool(i32[cb + TC_SLOTS + k]);
    this.unlockAlloc();
    i32.copyWithin(cb + TC_SLOTS, cb + TC_SLOTS + TC_BATCH, cb + TC_SLOTS + n);
    i32[cb + TC_COUNT] = n - TC_BATCH;
    return n - TC_BATCH;
  }

  /** Return every block in this thread's cache to the pools (a thread that stops using the heap). */
  protected flushThreadCache(): void {
    const i32 = this.i32;
    const cb = this.cacheBase;
    const n = i32[cb + TC_COUNT];
    if (n === 0) return;
    if (this.locking) this.lockAlloc();
    for (let k = 0; k < n; k++) this.freeToPool(i32[cb + TC_SLOTS + k]);
    i32[cb + TC_COUNT] = 0;
    if (this.locking) this.unlockAlloc();
  }

  /**
   * Put an already-marked free block back on its pool's free list (pymalloc's free): relink a pool
   * that was full, hand a pool that became empty to the free-pool list. Caller holds the lock in
   * locking modes.
   */
  private freeToPool(ref: number): void {
    const i32 = this.i32;
    const pool = ref & ~POOL_MASK;
    const pi = pool >> 2;
    const head = i32[pi + P_FREEBLOCK];
    const wasFull = head === 0 && i32[pi + P_NEXTOFFSET] > i32[pi + P_MAXNEXTOFFSET];
    i32[(ref >> 2) + 3] = head;
    i32[pi + P_FREEBLOCK] = ref;
    const nused = --i32[pi + P_NUSED];
    if (nused === 0) {
      if (!wasFull) this.unlinkUsedPool(pool);
      i32[pi + P_CLASS] = -1;
      i32[pi + P_NEXTPOOL] = i32[C_FREEPOOLS];
      i32[C_FREEPOOLS] = pool;
    } else if (wasFull) {
      // Back on usedpools[class], at the front as pymalloc does.
      const cls = i32[pi + P_CLASS];
      const first = i32[C_USEDPOOLS + cls];
      i32[pi + P_NEXTPOOL] = first;
      i32[pi + P_PREVPOOL] = 0;
      if (first !== 0) i32[(first >> 2) + P_PREVPOOL] = pool;
      i32[C_USEDPOOLS + cls] = pool;
    }
  }

  private unlinkUsedPool(pool: number): void {
    const i32 = this.i32;
    const pi = pool >> 2;
    const next = i32[pi + P_NEXTPOOL];
    const prev = i32[pi + P_PREVPOOL];
    if (prev === 0) i32[C_USEDPOOLS + i32[pi + P_CLASS]] = next;
    else i32[(prev >> 2) + P_NEXTPOOL] = next;
    if (next !== 0) i32[(next >> 2) + P_PREVPOOL] = prev;
  }

  /** Free a large chunk with coalescing (caller holds the lock in locking modes). */
  private freeLarge(c: number): void {
    const i32 = this.i32;
    const total = i32[C_TOTAL_BYTES];
    let size = i32[(c >> 2) + LC_SIZE] & ~1;
    // Merge with the chunk above.
    const above = c + size;
    if (above < total && (i32[(above >> 2) + LC_SIZE] & 1) === 0) {
      this.unlinkFreeChunk(above);
      size += i32[(above >> 2) + LC_SIZE];
    }
    // Merge with the chunk below.
    const prevSize = i32[(c >> 2) + LC_PREVSIZE];
    if (prevSize !== 0) {
      const below = c - prevSize;
      if ((i32[(below >> 2) + LC_SIZE] & 1) === 0) {
        this.unlinkFreeChunk(below);
        c = below;
        size += prevSize;
      }
    }
    const end = c + size;
    if (c === i32[C_LARGE_BOTTOM]) {
      // Lowest chunk: give it back to the wilderness.
      i32[C_LARGE_BOTTOM] = end;
      if (end < total) i32[(end >> 2) + LC_PREVSIZE] = 0;
    } else {
      i32[(c >> 2) + LC_SIZE] = size;
      this.linkFreeChunk(c);
      if (end < total) i32[(end >> 2) + LC_PREVSIZE] = size;
    }
  }
}

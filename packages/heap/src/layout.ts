/**
 * Memory layout of a gilkit heap. Everything lives inside one (Shared)ArrayBuffer, so these
 * constants are the whole protocol between threads: a heap attached in another worker reads the
 * same words at the same offsets. Offsets are in bytes; names starting with `C_`, `P_`, `LC_`, `TC_`
 * are indices of i32 words (into an `Int32Array` over the buffer, from the block's start).
 *
 * ```
 * [0, 4096)                   control words: allocator state and lock, counters, usedpools heads,
 *                             biased merge queues, striped object locks (C_*)
 * [4096, CONTROL_BYTES)       one 256-byte record per thread id: block cache, counters, live flag (TC_*)
 * [STATIC_BASE, POOL_BASE)    immortal objects (PEP 683): None, True, False, (), '', b'', -5..256, chr(0..255)
 * [POOL_BASE, poolTop)        16 KiB pools of one size class each (pymalloc), growing upwards
 * [poolTop, largeBottom)      the "wilderness": unused, taken by pools from below and large chunks from above
 * [largeBottom, totalBytes)   large chunks (> 512 bytes) with boundary tags, growing downwards
 * ```
 *
 * Every object starts on a 16-byte boundary with a 16-byte header; an object reference ("ref") is
 * the byte offset of that header. 0 is NULL. Hot paths may read fields directly, for example an
 * int's value is `heap.f64[(ref + OFF_VALUE) >> 3]` and a type tag is `heap.u8[ref + OFF_TYPE]`.
 *
 * Object header (16 bytes):
 * ```
 * +0  u8   type tag (T_*); T_FREE for a freed block
 * +1  u8   flags (F_*); for a freed block: the type tag it had (so errors can name it)
 * +2  u16  biased mode: owner thread id + 1 (0 = no owner: merged or immortal); else 0
 * +4  i32  refcount (gil, atomic) or ob_ref_local (biased); < 0 means immortal (IMMORTAL_REFCNT);
 *          0 in a freed block
 * +8  i32  biased mode: ob_ref_shared = count << 2 | state (SHARED_*), may be negative; else 0
 * +12 i32  link: free-list next (free blocks), dealloc work list, biased merge queue next
 *
 * Who writes what: the refcount word with plain writes in gil mode (the GIL orders them) and by a
 * biased owner; with Atomics otherwise. Allocator state (pools, chunks, C_FREEPOOLS...) only under
 * C_ALLOC_LOCK in atomic/biased modes, a thread's TC_* record only by that thread.
 * +16      type-specific fields (below)
 * ```
 */

// ---- type tags (u8 at OFF_TYPE) ----
/** A freed small block (never a live object). */
export const T_FREE = 0;
export const T_NONE = 1;
export const T_BOOL = 2;
/** int whose value is a safe integer (|v| <= 2**53 - 1), stored as a float64 at OFF_VALUE. */
export const T_INT = 3;
/** int outside the safe range, stored as sign + little-endian 32-bit magnitude digits. */
export const T_BIGINT = 4;
export const T_FLOAT = 5;
export const T_STR = 6;
export const T_BYTES = 7;
export const T_TUPLE = 8;
export const T_LIST = 9;
export const T_DICT = 10;
export const T_SET = 11;
/** Opaque handle for the vm: a host kind tag, N reference slots (traversed) and M float64 words. */
export const T_OBJECT = 12;
/** Internal out-of-line storage (list items, dict and set tables); not an object. */
export const T_STORAGE = 13;
/** One past the largest valid tag. */
export const T_COUNT = 14;

/** Python-visible type names, indexed by tag. */
export const TYPE_NAMES: readonly string[] = [
  'freed block',
  'NoneType',
  'bool',
  'int',
  'int',
  'float',
  'str',
  'bytes',
  'tuple',
  'list',
  'dict',
  'set',
  'object',
  'storage',
];

// ---- header offsets ----
export const OFF_TYPE = 0;
export const OFF_FLAGS = 1;
export const OFF_OWNER = 2;
export const OFF_REFCNT = 4;
export const OFF_SHARED = 8;
export const OFF_LINK = 12;
export const HEADER_BYTES = 16;

// ---- flags (u8 at OFF_FLAGS) ----
/** Object lives in the large-object region (chunk header at ref - 16). */
export const F_LARGE = 1;
/**
 * Left to the host (the vm): the heap never sets or reads it except where documented. A T_SET
 * with this bit is a frozenset: `hash` gives CPython's frozenset hash (others stay unhashable).
 */
export const F_HOST = 2;

/** Refcount word of immortal objects (PEP 683's 64-bit initial value, read as int32 < 0). */
export const IMMORTAL_REFCNT = 0xc0000000 | 0;
/** What `refcount()` reports for an immortal object. */
export const IMMORTAL_REFCOUNT_REPORTED = 0xc0000000;

// ---- biased refcounting (PEP 703) ob_ref_shared states (low 2 bits) ----
export const SHARED_SHIFT = 2;
export const SHARED_DEFAULT = 0;
/** Queued to the owner for merging (the queue holds one pending decref). */
export const SHARED_QUEUED = 2;
/** Local count folded into the shared count; every thread uses the shared count now. */
export const SHARED_MERGED = 3;
export const SHARED_STATE_MASK = 3;

// ---- per-type fields ----
/** int, bool (0/1), float: float64 value. */
export const OFF_VALUE = 16;
/** bigint: i32 sign (-1 or 1) at +16, u32 digit count at +20, u32 digits from +24. */
export const OFF_BIG_SIGN = 16;
export const OFF_BIG_NDIGITS = 20;
export const OFF_BIG_DIGITS = 24;
/** str, bytes: u32 byte length. */
export const OFF_STR_BYTES = 16;
/** str, bytes: i32 cached hash (valid when SF_HASHED is set). */
export const OFF_STR_HASH = 20;
/** str: u32 length in code points (Python's len()). bytes: equal to the byte length. */
export const OFF_STR_LEN = 24;
/** str, bytes: u32 flags (SF_*). */
export const OFF_STR_FLAGS = 28;
/** str, bytes: UTF-8 / raw bytes start here. */
export const OFF_STR_DATA = 32;
export const SF_HASHED = 1;
/** Every code point is ASCII (byte index = character index). */
export const SF_ASCII = 2;
/** tuple: u32 length at +16, i32 item refs from +20. */
export const OFF_TUPLE_LEN = 16;
export const OFF_TUPLE_ITEMS = 20;
/** list: u32 length, u32 capacity, i32 storage ref (0 when capacity is 0); items at storage + 16. */
export const OFF_LIST_LEN = 16;
export const OFF_LIST_CAP = 20;
export const OFF_LIST_ITEMS = 24;
/** dict: u32 live entries, u32 used entry slots (live + deleted), i32 storage, u32 log2(index slots). */
export const OFF_DICT_USED = 16;
export const OFF_DICT_NENTRIES = 20;
export const OFF_DICT_TABLE = 24;
export const OFF_DICT_LOG2 = 28;
/** set: u32 live keys, u32 fill (live + dummy), u32 mask (slots - 1), i32 storage. */
export const OFF_SET_USED = 16;
export const OFF_SET_FILL = 20;
export const OFF_SET_MASK = 24;
export const OFF_SET_TABLE = 28;
/** object handle: i32 host kind, u32 slot count, u32 word count; slots (i32) from +32, words after. */
export const OFF_OBJ_KIND = 16;
export const OFF_OBJ_NSLOTS = 20;
export const OFF_OBJ_NWORDS = 24;
export const OFF_OBJ_SLOTS = 32;
/** storage block payload. */
export const OFF_STORAGE_DATA = 16;

/** Dict table entry: f64 hash, i32 key, i32 value (16 bytes). Set table entry: f64 hash, i32 key, pad. */
export const DICT_ENTRY_BYTES = 16;
export const SET_ENTRY_BYTES = 16;
/**
 * Set slot key marking a deleted entry: even (never a tagged int) and below STATIC_BASE (never a
 * ref). A slot is occupied iff its key is neither 0 nor SET_DUMMY.
 */
export const SET_DUMMY = 2;
/** Dict index slot values. */
export const DKIX_EMPTY = -1;
export const DKIX_DUMMY = -2;

// ---- allocator geometry (pymalloc) ----
export const ALIGNMENT = 16;
export const ALIGNMENT_SHIFT = 4;
/** Requests up to this many bytes use size-classed pools; larger ones use the large-object path. */
export const SMALL_REQUEST_THRESHOLD = 512;
export const NB_SMALL_SIZE_CLASSES = SMALL_REQUEST_THRESHOLD >> ALIGNMENT_SHIFT;
export const POOL_SIZE = 16384;
export const POOL_MASK = POOL_SIZE - 1;
/** Arenas are a reporting unit here (the buffer is one allocation): 64 pools, 1 MiB. */
export const ARENA_SIZE = 1 << 20;

/** Pool header (i32 word offsets from pool >> 2). Blocks start at pool + POOL_HEADER_BYTES. */
export const P_CLASS = 0; // size class index, -1 when the pool is empty and on the free-pool list
export const P_NUSED = 1; // live blocks
export const P_FREEBLOCK = 2; // head of the LIFO free list (0 = empty)
export const P_NEXTOFFSET = 3; // bytes from pool start of the next never-used block (lazy carving)
export const P_MAXNEXTOFFSET = 4; // largest valid P_NEXTOFFSET
export const P_NEXTPOOL = 5; // usedpools[class] list / free-pool list
export const P_PREVPOOL = 6;
export const P_BLOCKSIZE = 7;
export const POOL_HEADER_BYTES = 32;

/** Large chunk header (16 bytes, at ref - 16). Object header follows. */
export const LC_SIZE = 0; // chunk bytes including this header, multiple of 16; bit 0 = in use
export const LC_PREVSIZE = 1; // size of the chunk just below (0 when this chunk is at largeBottom)
export const LC_NEXTFREE = 2; // free chunks: doubly linked first-fit list
export const LC_PREVFREE = 3; // free chunks: prev; in-use chunks: (ref ^ LARGE_MAGIC) sanity tag
export const LARGE_HEADER_BYTES = 16;
export const LARGE_MAGIC = 0x5a17c0de;
export const LARGE_MIN_SPLIT = 64;

// ---- control block (i32 word indices) ----
/** Control words, then one thread cache per thread id (see C_THREAD_CACHES). */
export const CONTROL_BYTES = 4096 + 256 * 64 * 4;
export const HEAP_MAGIC = 0x6769_6c68; // 'gilh'
export const HEAP_VERSION = 1;
export const C_MAGIC = 0;
export const C_VERSION = 1;
export const C_MODE = 2; // MODE_*
export const C_TOTAL_BYTES = 3;
export const C_CHECKED = 4;
export const C_POOL_TOP = 5;
export const C_LARGE_BOTTOM = 6;
export const C_FREEPOOLS = 7; // singly linked through P_NEXTPOOL
export const C_LARGE_FREE = 8; // head of the large free list
export const C_ALLOC_LOCK = 9; // 0 free, 1 held, 2 held with waiters (atomic and biased modes only)
export const C_ALLOCS = 10; // gil mode; atomic/biased count per thread (TC_ALLOCS)
export const C_FREES = 11; // gil mode; atomic/biased count per thread (TC_FREES)
export const C_COLLECTIONS = 12;
export const C_COLLECTED = 13;
export const C_NEXT_THREAD_ID = 14;
export const C_MERGES = 15;
export const C_QUEUED = 16;
/** Containers allocated minus containers freed since the last collect() (CPython's gen0 count). */
export const C_GC_COUNT = 17;
/** 1 when the heap was created with `taggedInts` (see TAGGED_MIN). */
export const C_TAGGED = 18;
/** The intern table: an immortal dict of immortal strs (0 until the first `intern`). */
export const C_INTERN = 19;
/**
 * HOST_ROOTS words of references the host keeps findable from the buffer (e.g. the vm's table of
 * type objects, so every attached worker uses the same refs): `hostRoot(i)` / `setHostRoot(i, ref)`.
 * Each non-zero word owns one reference; `verify` counts them as roots.
 */
export const C_HOST_ROOTS = 20;
export const HOST_ROOTS = 8;
export const C_USEDPOOLS = 32; // NB_SMALL_SIZE_CLASSES heads of partly used pools
export const C_BRC_QUEUES = 64; // MAX_THREADS heads of biased-refcount merge queues (linked via OFF_LINK)
/**
 * Striped per-object locks (PEP 703's per-object critical sections, striped): OBJ_LOCK_STRIPES
 * futex words from this i32 index; object `ref` uses stripe `(ref >> 4) & (OBJ_LOCK_STRIPES - 1)`.
 * 0 free, 1 held, 2 held with waiters.
 */
export const C_OBJ_LOCKS = 512;
export const OBJ_LOCK_STRIPES = 256;
/** Thread ids are 0 .. MAX_THREADS - 1. */
export const MAX_THREADS = 256;
/**
 * Per-thread block caches, TC_WORDS words per thread id from this i32 index. Each caches up to
 * TC_CAPACITY free blocks of size class CACHED_CLASS (32 bytes). In atomic and biased modes every
 * 32-byte allocation (ints, floats, short tuples, lists, dicts) goes through it so it skips
 * C_ALLOC_LOCK, refilled and flushed TC_BATCH blocks at a time under the lock. In gil mode freed
 * ints and floats are pushed on it and 32-byte allocations pop it first (a LIFO free list in front
 * of the pools, like the int/float free lists CPython once had); the GIL guards it. Cached blocks
 * are T_FREE but still counted in their pool's P_NUSED; `detach()` returns them.
 */
export const C_THREAD_CACHES = 1024;
export const TC_COUNT = 0; // blocks in the cache
export const TC_ALLOCS = 1; // allocations served by this thread in atomic/biased mode (cache or not)
export const TC_FREES = 2; // frees done by this thread in atomic/biased mode
/** 1 while a thread with this id is attached, 0 after detach(): objects queued to a detached owner are merged by the queuer (CPython: owner thread not found). */
export const TC_LIVE = 3;
export const TC_SLOTS = 4; // first cached block ref
export const TC_CAPACITY = 60;
export const TC_BATCH = 30;
export const TC_WORDS = 64;
export const CACHED_CLASS = 1;

export const MODE_GIL = 0;
export const MODE_ATOMIC = 1;
export const MODE_BIASED = 2;
export type RefcountMode = 'gil' | 'atomic' | 'biased';
export const MODE_NAMES: readonly RefcountMode[] = ['gil', 'atomic', 'biased'];

// ---- static immortal objects (fixed addresses) ----
export const STATIC_BASE = CONTROL_BYTES;
export const NONE_REF = STATIC_BASE;
export const TRUE_REF = STATIC_BASE + 32;
export const FALSE_REF = STATIC_BASE + 64;
export const EMPTY_TUPLE_REF = STATIC_BASE + 96;
export const EMPTY_STR_REF = STATIC_BASE + 128;
export const EMPTY_BYTES_REF = STATIC_BASE + 160;
export const SMALL_INT_MIN = -5;
export const SMALL_INT_MAX = 256;
/** ref of small int v is SMALL_INT_BASE + ((v - SMALL_INT_MIN) << SMALL_INT_SHIFT). */
export const SMALL_INT_BASE = STATIC_BASE + 192;
export const SMALL_INT_SHIFT = 5;
/** ref of the one-character str chr(c), c < 256, is CHAR_BASE + c * CHAR_STRIDE. */
export const CHAR_BASE = SMALL_INT_BASE + ((SMALL_INT_MAX - SMALL_INT_MIN + 1) << SMALL_INT_SHIFT);
export const CHAR_STRIDE = 48;
export const STATIC_END = CHAR_BASE + 256 * CHAR_STRIDE;
/** First pool; pools are POOL_SIZE-aligned. */
export const POOL_BASE = Math.ceil(STATIC_END / POOL_SIZE) * POOL_SIZE;
/** Smallest heap: control, statics and a few pools. */
export const MIN_HEAP_BYTES = POOL_BASE + 4 * POOL_SIZE;

/**
 * Tagged ints (opt-in, `Heap.create({ taggedInts: true })`): an int v with TAGGED_MIN <= v <=
 * TAGGED_MAX is the odd number `(v << 1) | 1` instead of a heap object. Real refs are 16-aligned, so
 * odd refs are never objects; `ref >> 1` is the value. Tagged ints are immortal: incref/decref
 * ignore them and containers hold them like any other ref, so int arithmetic allocates nothing.
 */
export const TAGGED_MIN = -(2 ** 30);
export const TAGGED_MAX = 2 ** 30 - 1;

/** Round a byte count up to the allocation alignment. */
export function align16(n: number): number {
  return (n + 15) & ~15;
}

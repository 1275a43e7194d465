/**
 * The verifier: walks the whole buffer and checks every invariant the allocator and object model
 * rely on. It reports instead of throwing, so tests and docs can show a heap that concurrent plain
 * refcounting has corrupted. Run it with the world stopped.
 */
import type { Heap } from './heap.js';
import {
  C_BRC_QUEUES,
  C_FREEPOOLS,
  C_LARGE_BOTTOM,
  C_LARGE_FREE,
  C_POOL_TOP,
  C_THREAD_CACHES,
  C_TOTAL_BYTES,
  C_USEDPOOLS,
  CACHED_CLASS,
  HOST_ROOTS,
  IMMORTAL_REFCNT,
  LARGE_HEADER_BYTES,
  LARGE_MAGIC,
  LC_NEXTFREE,
  LC_PREVFREE,
  LC_PREVSIZE,
  LC_SIZE,
  MAX_THREADS,
  MODE_BIASED,
  NB_SMALL_SIZE_CLASSES,
  OFF_DICT_NENTRIES,
  OFF_DICT_TABLE,
  OFF_DICT_USED,
  OFF_LINK,
  OFF_LIST_CAP,
  OFF_LIST_ITEMS,
  OFF_LIST_LEN,
  OFF_SET_FILL,
  OFF_SET_MASK,
  OFF_SET_TABLE,
  OFF_SET_USED,
  OFF_STORAGE_DATA,
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
  POOL_SIZE,
  SET_DUMMY,
  SHARED_QUEUED,
  SHARED_STATE_MASK,
  T_COUNT,
  T_DICT,
  T_FREE,
  T_LIST,
  T_SET,
  T_STORAGE,
  TC_CAPACITY,
  TC_COUNT,
  TC_SLOTS,
  TC_WORDS,
  TYPE_NAMES,
} from './layout.js';
import { forEachBlock, forEachChild, isContainerType, staticRefs, storageOf } from './walk.js';

/** Options of `verify`. */
export interface VerifyOptions {
  /**
   * Every reference held from outside the heap (one entry per reference, repeats allowed). When
   * given, each object's refcount must equal the references found in the heap plus those here.
   */
  roots?: readonly number[];
  /** Stop collecting messages after this many (default 100). */
  maxErrors?: number;
}

/** Result of `verify`. */
export interface VerifyReport {
  /** True when no invariant is broken. */
  ok: boolean;
  /** One line per broken invariant. */
  errors: string[];
  /** Live objects found (including statics). */
  objects: number;
  /** Whether refcounts were checked exactly (roots given). */
  refcountsChecked: boolean;
}

export function verifyHeap(heap: Heap, options: VerifyOptions): VerifyReport {
  const i32 = heap.i32;
  const u8 = heap.u8;
  const errors: string[] = [];
  const maxErrors = options.maxErrors ?? 100;
  const fail = (msg: string): void => {
    if (errors.length < maxErrors) errors.push(msg);
  };
  const total = i32[C_TOTAL_BYTES];
  const poolTop = i32[C_POOL_TOP];
  const largeBottom = i32[C_LARGE_BOTTOM];
  const name = (ref: number): string => `'${TYPE_NAMES[u8[ref]] ?? `tag ${u8[ref]}`}' at ${ref}`;

  // ---- regions ----
  if (
    poolTop < POOL_BASE ||
    (poolTop - POOL_BASE) % POOL_SIZE !== 0 ||
    poolTop > largeBottom ||
    largeBottom > total
  ) {
    fail(`regions out of order: poolTop ${poolTop}, largeBottom ${largeBottom}, total ${total}`);
    return { ok: false, errors, objects: 0, refcountsChecked: false };
  }

  // ---- per-thread caches: free blocks still counted in their pools' nused ----
  const cached = new Set<number>();
  const cachedPerPool = new Map<number, number>();
  for (let tid = 0; tid < MAX_THREADS; tid++) {
    const cb = C_THREAD_CACHES + tid * TC_WORDS;
    const n = i32[cb + TC_COUNT];
    if (n < 0 || n > TC_CAPACITY) {
      fail(`thread ${tid}'s block cache has bad count ${n}`);
      continue;
    }
    for (let k = 0; k < n; k++) {
      const b = i32[cb + TC_SLOTS + k];
      const pool = b & ~(POOL_SIZE - 1);
      if (b < POOL_BASE || b >= poolTop || i32[(pool >> 2) + P_CLASS] !== CACHED_CLASS || cached.has(b)) {
        fail(`thread ${tid}'s block cache holds a bad block ${b}`);
        continue;
      }
      if (u8[b] !== T_FREE) fail(`block ${b} is in thread ${tid}'s cache but is a live ${name(b)}`);
      cached.add(b);
      cachedPerPool.set(pool, (cachedPerPool.get(pool) ?? 0) + 1);
    }
  }

  // ---- pools ----
  const emptyPools = new Set<number>();
  for (let p = i32[C_FREEPOOLS], guard = 0; p !== 0; p = i32[(p >> 2) + P_NEXTPOOL]) {
    if (
      p < POOL_BASE ||
      p >= poolTop ||
      (p - POOL_BASE) % POOL_SIZE !== 0 ||
      ++guard > 1 << 20 ||
      emptyPools.has(p)
    ) {
      fail(`free-pool list broken at ${p}`);
      break;
    }
    if (i32[(p >> 2) + P_CLASS] !== -1)
      fail(`pool ${p} is on the free-pool list but has class ${i32[(p >> 2) + P_CLASS]}`);
    emptyPools.add(p);
  }
  const inUsedList = new Set<number>();
  for (let cls = 0; cls < NB_SMALL_SIZE_CLASSES; cls++) {
    let prev = 0;
    for (let p = i32[C_USEDPOOLS + cls], guard = 0; p !== 0; p = i32[(p >> 2) + P_NEXTPOOL]) {
      if (
        p < POOL_BASE ||
        p >= poolTop ||
        (p - POOL_BASE) % POOL_SIZE !== 0 ||
        ++guard > 1 << 20 ||
        inUsedList.has(p)
      ) {
        fail(`usedpools[${cls}] list broken at ${p}`);
        break;
      }
      if (i32[(p >> 2) + P_CLASS] !== cls)
        fail(`pool ${p} is on usedpools[${cls}] but has class ${i32[(p >> 2) + P_CLASS]}`);
      if (i32[(p >> 2) + P_PREVPOOL] !== prev)
        fail(`pool ${p}: back link ${i32[(p >> 2) + P_PREVPOOL]} should be ${prev}`);
      inUsedList.add(p);
      prev = p;
    }
  }
  for (let pool = POOL_BASE; pool < poolTop; pool += POOL_SIZE) {
    const pi = pool >> 2;
    const cls = i32[pi + P_CLASS];
    if (cls === -1) {
      if (!emptyPools.has(pool)) fail(`empty pool ${pool} is not on the free-pool list`);
      continue;
    }
    if (cls < 0 || cls >= NB_SMALL_SIZE_CLASSES) {
      fail(`pool ${pool} has bad class ${cls}`);
      continue;
    }
    const size = i32[pi + P_BLOCKSIZE];
    const next = i32[pi + P_NEXTOFFSET];
    if (size !== (cls + 1) << 4 || i32[pi + P_MAXNEXTOFFSET] !== POOL_SIZE - size) {
      fail(`pool ${pool}: block size ${size} does not match class ${cls}`);
      continue;
    }
    if (next < POOL_HEADER_BYTES + size || next > POOL_SIZE || (next - POOL_HEADER_BYTES) % size !== 0) {
      fail(`pool ${pool}: next offset ${next} out of range`);
      continue;
    }
    const carved = (next - POOL_HEADER_BYTES) / size;
    let free = 0;
    const seen = new Set<number>();
    for (let b = i32[pi + P_FREEBLOCK]; b !== 0; b = i32[(b + OFF_LINK) >> 2]) {
      const off = b - pool - POOL_HEADER_BYTES;
      if (off < 0 || b >= pool + next || off % size !== 0 || seen.has(b)) {
        fail(`pool ${pool}: free list broken at ${b}`);
        break;
      }
      if (u8[b] !== T_FREE) fail(`block ${b} is on pool ${pool}'s free list but is a live ${name(b)}`);
      if (cached.has(b)) fail(`block ${b} is both on pool ${pool}'s free list and in a thread cache`);
      seen.add(b);
      free++;
    }
    let live = 0;
    for (let b = pool + POOL_HEADER_BYTES; b < pool + next; b += size) {
      if (u8[b] !== T_FREE) live++;
      else if (!seen.has(b) && !cached.has(b))
        fail(`freed block ${b} in pool ${pool} is on no free list (leaked)`);
    }
    const inCache = cachedPerPool.get(pool) ?? 0;
    if (live + inCache !== i32[pi + P_NUSED]) {
      fail(`pool ${pool}: nused is ${i32[pi + P_NUSED]} but ${live} blocks are live and ${inCache} cached`);
    }
    if (live + free + inCache !== carved) {
      fail(`pool ${pool}: ${live} live + ${free} free + ${inCache} cached != ${carved} carved blocks`);
    }
    const full = free === 0 && next > POOL_SIZE - size;
    if (!full && !inUsedList.has(pool)) fail(`pool ${pool} (class ${cls}) has room but is not on usedpools`);
    if (full && inUsedList.has(pool)) fail(`pool ${pool} is full but still on usedpools`);
  }

  // ---- large chunks ----
  const freeChunks = new Set<number>();
  for (let c = i32[C_LARGE_FREE], guard = 0; c !== 0; c = i32[(c >> 2) + LC_NEXTFREE]) {
    if (c < largeBottom || c >= total || (c & 15) !== 0 || ++guard > 1 << 24 || freeChunks.has(c)) {
      fail(`large free list broken at ${c}`);
      break;
    }
    freeChunks.add(c);
  }
  let prevSize = 0;
  let prevFree = false;
  for (let c = largeBottom; c < total; ) {
    const word = i32[(c >> 2) + LC_SIZE];
    const size = word & ~1;
    if (size < 32 || (size & 15) !== 0 || c + size > total) {
      fail(`large chunk ${c} has bad size ${size}`);
      break;
    }
    if (i32[(c >> 2) + LC_PREVSIZE] !== prevSize)
      fail(`large chunk ${c}: prev size ${i32[(c >> 2) + LC_PREVSIZE]} != ${prevSize}`);
    const inUse = (word & 1) !== 0;
    if (inUse) {
      if (freeChunks.has(c)) fail(`large chunk ${c} is in use and on the free list`);
      if (i32[(c >> 2) + LC_PREVFREE] !== ((c + LARGE_HEADER_BYTES) ^ LARGE_MAGIC))
        fail(`large chunk ${c} lost its tag`);
    } else {
      if (!freeChunks.has(c)) fail(`free large chunk ${c} is not on the free list`);
      if (prevFree) fail(`free large chunks at ${c - prevSize} and ${c} were not coalesced`);
      if (c === largeBottom) fail(`free large chunk ${c} at the bottom was not returned to the wilderness`);
      freeChunks.delete(c);
    }
    prevFree = !inUse;
    prevSize = size;
    c += size;
  }
  if (freeChunks.size > 0) fail(`large free list holds ${freeChunks.size} chunk(s) that are not free chunks`);

  // ---- objects ----
  const objects: number[] = staticRefs();
  const storages = new Set<number>();
  forEachBlock(heap, (ref) => {
    const t = u8[ref];
    if (t === T_STORAGE) storages.add(ref);
    else objects.push(ref);
  });
  const isObject = (ref: number): boolean => {
    const t = u8[ref];
    return (
      ref > 0 && ref < total && (ref & 15) === 0 && t !== T_FREE && t < T_STORAGE && heap.isBlockStart(ref)
    );
  };
  const found = new Map<number, number>();
  for (const ref of objects) {
    const t = u8[ref];
    if (t >= T_COUNT) {
      fail(`object at ${ref} has invalid type tag ${t}`);
      continue;
    }
    const rc = heap.rawRefcount(ref);
    const immortal = i32[(ref >> 2) + 1] === IMMORTAL_REFCNT;
    if (!immortal && i32[(ref >> 2) + 1] < 0 && heap.modeId !== MODE_BIASED)
      fail(`${name(ref)} has negative refcount`);
    if (!immortal && rc <= 0 && !(heap.modeId === MODE_BIASED && rc === 0 && queued(heap, ref))) {
      fail(`${name(ref)} is live with refcount ${rc}`);
    }
    if (!isContainerType(t)) continue;
    const storage = storageOf(heap, ref);
    if (storage !== 0) {
      if (!storages.delete(storage))
        fail(`${name(ref)} points at storage ${storage} that is not a live storage block (or is shared)`);
      else checkStorage(heap, ref, fail, name);
    } else if (t === T_SET) fail(`${name(ref)} has no table`);
    forEachChild(heap, ref, (child) => {
      if ((child & 1) !== 0 && heap.taggedInts) return; // a tagged int: a value, not a reference
      if (!isObject(child)) {
        fail(`${name(ref)} holds a reference to ${child}, which is not a live object`);
        return;
      }
      found.set(child, (found.get(child) ?? 0) + 1);
    });
  }
  for (const s of storages) fail(`storage block ${s} belongs to no container (leaked)`);

  // ---- biased merge queues: exactly the QUEUED objects, each once ----
  if (heap.modeId === MODE_BIASED) {
    const inQueue = new Set<number>();
    for (let tid = 0; tid < MAX_THREADS; tid++) {
      for (let r = i32[C_BRC_QUEUES + tid], guard = 0; r !== 0; r = i32[(r + OFF_LINK) >> 2]) {
        if (!isObject(r) || inQueue.has(r) || ++guard > 1 << 24) {
          fail(`thread ${tid}'s merge queue is broken at ${r}`);
          break;
        }
        if (!queued(heap, r))
          fail(`${name(r)} is in thread ${tid}'s merge queue but not in the QUEUED state`);
        inQueue.add(r);
      }
    }
    for (const ref of objects) {
      if (queued(heap, ref) && !inQueue.has(ref)) fail(`${name(ref)} is QUEUED but in no merge queue`);
    }
  }

  // ---- exact refcounts ----
  const roots = options.roots;
  if (roots) {
    const hostRoots: number[] = [];
    for (let k = 0; k < HOST_ROOTS; k++) {
      const r = heap.hostRoot(k);
      if (r !== 0) hostRoots.push(r);
    }
    for (const r of [...roots, ...hostRoots]) {
      if ((r & 1) !== 0 && heap.taggedInts) continue;
      if (!isObject(r)) fail(`root ${r} is not a live object`);
      else found.set(r, (found.get(r) ?? 0) + 1);
    }
    for (const ref of objects) {
      if (i32[(ref >> 2) + 1] === IMMORTAL_REFCNT || u8[ref] >= T_COUNT) continue;
      let rc = heap.rawRefcount(ref);
      if (heap.modeId === MODE_BIASED && queued(heap, ref)) rc -= 1; // the queue holds a pending decref
      const refs = found.get(ref) ?? 0;
      if (rc !== refs) fail(`${name(ref)} has refcount ${rc} but ${refs} reference(s) exist`);
    }
  }
  return { ok: errors.length === 0, errors, objects: objects.length, refcountsChecked: roots !== undefined };
}

function queued(heap: Heap, ref: number): boolean {
  return (heap.i32[(ref >> 2) + 2] & SHARED_STATE_MASK) === SHARED_QUEUED;
}

function checkStorage(heap: Heap, ref: number, fail: (m: string) => void, name: (r: number) => string): void {
  const i32 = heap.i32;
  const t = heap.u8[ref];
  if (t === T_LIST) {
    const len = i32[(ref + OFF_LIST_LEN) >> 2];
    const cap = i32[(ref + OFF_LIST_CAP) >> 2];
    if (len > cap) fail(`${name(ref)} has length ${len} > capacity ${cap}`);
    for (let k = 0; k < len; k++) {
      if (i32[((i32[(ref + OFF_LIST_ITEMS) >> 2] + OFF_STORAGE_DATA) >> 2) + k] === 0)
        fail(`${name(ref)} has a NULL item ${k}`);
    }
  } else if (t === T_DICT) {
    const table = i32[(ref + OFF_DICT_TABLE) >> 2];
    const n = i32[(ref + OFF_DICT_NENTRIES) >> 2];
    const nslots = 1 << i32[(table + 8) >> 2];
    const usable = ((nslots << 1) / 3) | 0;
    if (n > usable) fail(`${name(ref)}: ${n} entries exceed the usable ${usable}`);
    const base = (table + OFF_STORAGE_DATA + ((4 * nslots + 15) & ~15)) >> 2;
    let live = 0;
    for (let k = 0; k < n; k++) if (i32[base + 4 * k + 2] !== 0) live++;
    if (live !== i32[(ref + OFF_DICT_USED) >> 2])
      fail(`${name(ref)}: used is ${i32[(ref + OFF_DICT_USED) >> 2]} but ${live} entries are live`);
    const idx = (table + OFF_STORAGE_DATA) >> 2;
    let indexed = 0;
    for (let s = 0; s < nslots; s++) {
      const ix = i32[idx + s];
      if (ix >= 0) {
        if (ix >= n || i32[base + 4 * ix + 2] === 0)
          fail(`${name(ref)}: index slot ${s} points at dead entry ${ix}`);
        indexed++;
      }
    }
    if (indexed !== live) fail(`${name(ref)}: ${indexed} index slots for ${live} live entries`);
  } else if (t === T_SET) {
    const mask = i32[(ref + OFF_SET_MASK) >> 2];
    const base = (i32[(ref + OFF_SET_TABLE) >> 2] + OFF_STORAGE_DATA) >> 2;
    let used = 0;
    let fill = 0;
    for (let j = 0; j <= mask; j++) {
      const k = i32[base + 4 * j + 2];
      if (k !== 0) fill++;
      if (k !== SET_DUMMY && k !== 0) used++;
    }
    if (used !== i32[(ref + OFF_SET_USED) >> 2] || fill !== i32[(ref + OFF_SET_FILL) >> 2]) {
      fail(
        `${name(ref)}: used/fill ${i32[(ref + OFF_SET_USED) >> 2]}/${i32[(ref + OFF_SET_FILL) >> 2]} but table has ${used}/${fill}`,
      );
    }
  }
}

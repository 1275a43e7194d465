/**
 * Heap statistics, computed by walking the buffer (cold path) plus the counters the allocator
 * keeps in the control block.
 */
import type { Heap } from './heap.js';
import {
  ARENA_SIZE,
  C_ALLOCS,
  C_COLLECTED,
  C_COLLECTIONS,
  C_FREES,
  C_LARGE_BOTTOM,
  C_LARGE_FREE,
  C_MERGES,
  C_POOL_TOP,
  C_QUEUED,
  C_THREAD_CACHES,
  C_TOTAL_BYTES,
  LC_NEXTFREE,
  LC_SIZE,
  MAX_THREADS,
  P_CLASS,
  P_FREEBLOCK,
  P_MAXNEXTOFFSET,
  P_NEXTOFFSET,
  POOL_BASE,
  POOL_SIZE,
  T_STORAGE,
  TC_ALLOCS,
  TC_COUNT,
  TC_FREES,
  TC_WORDS,
  TYPE_NAMES,
} from './layout.js';
import { forEachBlock, staticRefs } from './walk.js';

/** What `heap.stats()` reports. */
export interface HeapStats {
  /** Buffer size. */
  totalBytes: number;
  /** Bytes in live blocks (objects and their storage), by block size, excluding statics. */
  bytesInUse: number;
  /** Bytes never handed out: the wilderness between pools and large chunks. */
  wildernessBytes: number;
  /** Live objects by Python type name (statics included). */
  objectsByType: Record<string, number>;
  /** Live objects in total (statics included). */
  objects: number;
  /** Immortal static objects. */
  immortalObjects: number;
  /** Pools carved so far, split by state. */
  pools: { total: number; used: number; full: number; empty: number };
  /** 1 MiB arenas the pool region spans. */
  arenas: number;
  /** Large chunks in use and free. */
  largeChunks: { used: number; free: number; freeBytes: number };
  /** Free 32-byte blocks parked in per-thread caches (returned by detach()). */
  cachedBlocks: number;
  /** Block allocations and frees since creation (objects and storage). */
  allocations: number;
  frees: number;
  /** collect() runs and container objects they freed. */
  collections: number;
  collected: number;
  /** Biased mode: objects queued to owners, and merged by them. */
  queued: number;
  merged: number;
}

export function heapStats(heap: Heap): HeapStats {
  const i32 = heap.i32;
  const u8 = heap.u8;
  const objectsByType: Record<string, number> = {};
  const statics = staticRefs();
  for (const ref of statics) {
    const n = TYPE_NAMES[u8[ref]];
    objectsByType[n] = (objectsByType[n] ?? 0) + 1;
  }
  let bytesInUse = 0;
  let objects = statics.length;
  forEachBlock(heap, (ref, size) => {
    bytesInUse += size;
    const t = u8[ref];
    if (t === T_STORAGE) return;
    objects++;
    const n = TYPE_NAMES[t] ?? `tag ${t}`;
    objectsByType[n] = (objectsByType[n] ?? 0) + 1;
  });
  const poolTop = i32[C_POOL_TOP];
  const pools = { total: 0, used: 0, full: 0, empty: 0 };
  for (let pool = POOL_BASE; pool < poolTop; pool += POOL_SIZE) {
    const pi = pool >> 2;
    pools.total++;
    if (i32[pi + P_CLASS] < 0) pools.empty++;
    else if (i32[pi + P_FREEBLOCK] === 0 && i32[pi + P_NEXTOFFSET] > i32[pi + P_MAXNEXTOFFSET]) pools.full++;
    else pools.used++;
  }
  const largeChunks = { used: 0, free: 0, freeBytes: 0 };
  const total = i32[C_TOTAL_BYTES];
  for (let c = i32[C_LARGE_BOTTOM]; c < total; ) {
    const size = i32[(c >> 2) + LC_SIZE] & ~1;
    if (size <= 0) break;
    if ((i32[(c >> 2) + LC_SIZE] & 1) !== 0) largeChunks.used++;
    c += size;
  }
  for (let c = i32[C_LARGE_FREE]; c !== 0; c = i32[(c >> 2) + LC_NEXTFREE]) {
    largeChunks.free++;
    largeChunks.freeBytes += i32[(c >> 2) + LC_SIZE] & ~1;
  }
  let allocations = i32[C_ALLOCS] >>> 0;
  let frees = i32[C_FREES] >>> 0;
  let cachedBlocks = 0;
  for (let tid = 0; tid < MAX_THREADS; tid++) {
    const cb = C_THREAD_CACHES + tid * TC_WORDS;
    allocations += i32[cb + TC_ALLOCS] >>> 0;
    frees += i32[cb + TC_FREES] >>> 0;
    cachedBlocks += i32[cb + TC_COUNT];
  }
  return {
    totalBytes: total,
    bytesInUse,
    wildernessBytes: i32[C_LARGE_BOTTOM] - poolTop,
    objectsByType,
    objects,
    immortalObjects: statics.length,
    pools,
    arenas: Math.ceil((poolTop - POOL_BASE) / ARENA_SIZE),
    largeChunks,
    cachedBlocks,
    allocations,
    frees,
    collections: i32[C_COLLECTIONS],
    collected: i32[C_COLLECTED],
    queued: i32[C_QUEUED],
    merged: i32[C_MERGES],
  };
}

/**
 * The cycle collector, after CPython's Modules/gcmodule.c (single generation; the heap is walked
 * instead of keeping a tracked-object list, which keeps allocation free of gc bookkeeping).
 *
 * 1. update_refs: every container (tuple, list, dict, set, object handle; not immortal) gets
 *    gc_refs = its refcount.
 * 2. subtract_refs: for every reference from one container to another, decrement the target's
 *    gc_refs. What is left is the number of references from outside the container graph.
 * 3. move_unreachable: containers with gc_refs > 0 are reachable from outside; so is everything
 *    they reach. The rest is garbage: only other garbage refers to it.
 * 4. Free the garbage: hold each (incref), clear it (drop its references, like tp_clear), then
 *    drop the hold, so every object reaches zero exactly once and no child is freed twice.
 *
 * Must run with the world stopped (no other thread touching the heap), as CPython's free-threaded
 * gc does. In biased mode it first merges every thread's queue and merges the garbage's counts,
 * so the final decrefs free immediately instead of queueing to owners.
 */
import type { Heap } from './heap.js';
import {
  C_COLLECTED,
  C_COLLECTIONS,
  C_GC_COUNT,
  MAX_THREADS,
  MODE_BIASED,
  OFF_DICT_NENTRIES,
  OFF_DICT_TABLE,
  OFF_DICT_USED,
  OFF_LIST_CAP,
  OFF_LIST_ITEMS,
  OFF_LIST_LEN,
  OFF_OBJ_NSLOTS,
  OFF_OBJ_SLOTS,
  OFF_SET_FILL,
  OFF_SET_MASK,
  OFF_SET_TABLE,
  OFF_SET_USED,
  OFF_STORAGE_DATA,
  OFF_TUPLE_ITEMS,
  OFF_TUPLE_LEN,
  T_DICT,
  T_LIST,
  T_OBJECT,
  T_SET,
  T_TUPLE,
} from './layout.js';
import { forEachBlock, forEachChild, isContainerType } from './walk.js';

export function collectCycles(heap: Heap): number {
  if (heap.modeId === MODE_BIASED) {
    for (let tid = 0; tid < MAX_THREADS; tid++) heap.mergeQueueOf(tid);
  }
  const u8 = heap.u8;
  const containers: number[] = [];
  forEachBlock(heap, (ref) => {
    if (isContainerType(u8[ref])) containers.push(ref);
  });
  const n = containers.length;
  const index = new Map<number, number>();
  const gcRefs = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    index.set(containers[k], k);
    // Immortal containers (the intern table) are roots: never garbage, whatever refers to them.
    gcRefs[k] = heap.isImmortal(containers[k]) ? 0x3fffffff : heap.rawRefcount(containers[k]);
  }
  for (let k = 0; k < n; k++) {
    forEachChild(heap, containers[k], (child) => {
      const j = index.get(child);
      if (j !== undefined) gcRefs[j]--;
    });
  }
  const reachable = new Uint8Array(n);
  const stack: number[] = [];
  for (let k = 0; k < n; k++) {
    if (gcRefs[k] > 0) {
      reachable[k] = 1;
      stack.push(k);
    }
  }
  const markChild = (child: number): void => {
    const j = index.get(child);
    if (j !== undefined && reachable[j] === 0) {
      reachable[j] = 1;
      stack.push(j);
    }
  };
  while (stack.length > 0) forEachChild(heap, containers[stack.pop()!], markChild);

  const garbage: number[] = [];
  for (let k = 0; k < n; k++) if (reachable[k] === 0) garbage.push(containers[k]);
  if (heap.modeId === MODE_BIASED) for (const ref of garbage) heap.mergeForCollect(ref);
  for (const ref of garbage) heap.incref(ref);
  for (const ref of garbage) {
    for (const child of clearContainer(heap, ref)) heap.decref(child);
  }
  for (const ref of garbage) heap.decref(ref);

  const i32 = heap.i32;
  Atomics.store(i32, C_GC_COUNT, 0); // like CPython: the generation count restarts after a collection
  Atomics.add(i32, C_COLLECTIONS, 1);
  Atomics.add(i32, C_COLLECTED, garbage.length);
  return garbage.length;
}

/** Detach and return every reference a container holds (tp_clear); the caller decrefs them. */
function clearContainer(heap: Heap, ref: number): number[] {
  const i32 = heap.i32;
  const held: number[] = [];
  forEachChild(heap, ref, (child) => {
    held.push(child);
  });
  switch (heap.u8[ref]) {
    case T_TUPLE: {
      const base = (ref + OFF_TUPLE_ITEMS) >> 2;
      i32.fill(0, base, base + i32[(ref + OFF_TUPLE_LEN) >> 2]);
      break;
    }
    case T_LIST: {
      const items = i32[(ref + OFF_LIST_ITEMS) >> 2];
      i32[(ref + OFF_LIST_LEN) >> 2] = 0;
      i32[(ref + OFF_LIST_CAP) >> 2] = 0;
      i32[(ref + OFF_LIST_ITEMS) >> 2] = 0;
      if (items !== 0) heap.freeRaw(items);
      break;
    }
    case T_DICT: {
      const table = i32[(ref + OFF_DICT_TABLE) >> 2];
      i32[(ref + OFF_DICT_TABLE) >> 2] = 0;
      i32[(ref + OFF_DICT_USED) >> 2] = 0;
      i32[(ref + OFF_DICT_NENTRIES) >> 2] = 0;
      if (table !== 0) heap.freeRaw(table);
      break;
    }
    case T_SET: {
      const base = (i32[(ref + OFF_SET_TABLE) >> 2] + OFF_STORAGE_DATA) >> 2;
      i32.fill(0, base, base + 4 * (i32[(ref + OFF_SET_MASK) >> 2] + 1));
      i32[(ref + OFF_SET_USED) >> 2] = 0;
      i32[(ref + OFF_SET_FILL) >> 2] = 0;
      break;
    }
    case T_OBJECT: {
      const base = (ref + OFF_OBJ_SLOTS) >> 2;
      i32.fill(0, base, base + i32[(ref + OFF_OBJ_NSLOTS) >> 2]);
      break;
    }
    default:
      break;
  }
  return held;
}

/**
 * Walking the heap: every live block (statics, pool blocks, large chunks) and every reference a
 * container holds. Used by the collector, the verifier and stats; none of these are hot paths.
 */
import type { Heap } from './heap.js';
import {
  C_LARGE_BOTTOM,
  C_POOL_TOP,
  C_TOTAL_BYTES,
  CHAR_BASE,
  CHAR_STRIDE,
  EMPTY_BYTES_REF,
  EMPTY_STR_REF,
  EMPTY_TUPLE_REF,
  FALSE_REF,
  LARGE_HEADER_BYTES,
  LC_SIZE,
  NONE_REF,
  OFF_DICT_NENTRIES,
  OFF_DICT_TABLE,
  OFF_LIST_ITEMS,
  OFF_LIST_LEN,
  OFF_OBJ_NSLOTS,
  OFF_OBJ_SLOTS,
  OFF_SET_MASK,
  OFF_SET_TABLE,
  OFF_STORAGE_DATA,
  OFF_TUPLE_ITEMS,
  OFF_TUPLE_LEN,
  P_BLOCKSIZE,
  P_CLASS,
  P_NEXTOFFSET,
  POOL_BASE,
  POOL_HEADER_BYTES,
  POOL_SIZE,
  SET_DUMMY,
  SMALL_INT_BASE,
  SMALL_INT_MAX,
  SMALL_INT_MIN,
  SMALL_INT_SHIFT,
  T_DICT,
  T_FREE,
  T_LIST,
  T_OBJECT,
  T_SET,
  T_TUPLE,
  TRUE_REF,
} from './layout.js';

/** The fixed addresses of the static immortal objects. */
export function staticRefs(): number[] {
  const refs = [NONE_REF, TRUE_REF, FALSE_REF, EMPTY_TUPLE_REF, EMPTY_STR_REF, EMPTY_BYTES_REF];
  for (let v = SMALL_INT_MIN; v <= SMALL_INT_MAX; v++)
    refs.push(SMALL_INT_BASE + ((v - SMALL_INT_MIN) << SMALL_INT_SHIFT));
  for (let c = 0; c < 256; c++) refs.push(CHAR_BASE + c * CHAR_STRIDE);
  return refs;
}

/** Visit every live block in the pools and the large region (objects and storage; not statics). */
export function forEachBlock(heap: Heap, visit: (ref: number, size: number) => void): void {
  const i32 = heap.i32;
  const u8 = heap.u8;
  const top = i32[C_POOL_TOP];
  for (let pool = POOL_BASE; pool < top; pool += POOL_SIZE) {
    const pi = pool >> 2;
    if (i32[pi + P_CLASS] < 0) continue;
    const size = i32[pi + P_BLOCKSIZE];
    const end = pool + i32[pi + P_NEXTOFFSET];
    for (let ref = pool + POOL_HEADER_BYTES; ref < end; ref += size) {
      if (u8[ref] !== T_FREE) visit(ref, size);
    }
  }
  const total = i32[C_TOTAL_BYTES];
  for (let c = i32[C_LARGE_BOTTOM]; c < total; ) {
    const word = i32[(c >> 2) + LC_SIZE];
    const size = word & ~1;
    if (size <= 0) return; // corrupt chain: verify reports it
    if ((word & 1) !== 0) visit(c + LARGE_HEADER_BYTES, size);
    c += size;
  }
}

/** True for types that hold references (tracked by the collector). */
export function isContainerType(type: number): boolean {
  return type === T_TUPLE || type === T_LIST || type === T_DICT || type === T_SET || type === T_OBJECT;
}

/** Visit each reference held by a container (non-NULL). */
export function forEachChild(heap: Heap, ref: number, visit: (child: number) => void): void {
  const i32 = heap.i32;
  const oi = ref >> 2;
  switch (heap.u8[ref]) {
    case T_TUPLE: {
      const n = i32[(ref + OFF_TUPLE_LEN) >> 2];
      for (let k = 0; k < n; k++) {
        const c = i32[((ref + OFF_TUPLE_ITEMS) >> 2) + k];
        if (c !== 0) visit(c);
      }
      return;
    }
    case T_LIST: {
      const n = i32[(ref + OFF_LIST_LEN) >> 2];
      const items = i32[(ref + OFF_LIST_ITEMS) >> 2];
      if (items === 0) return;
      const base = (items + OFF_STORAGE_DATA) >> 2;
      for (let k = 0; k < n; k++) {
        const c = i32[base + k];
        if (c !== 0) visit(c);
      }
      return;
    }
    case T_DICT: {
      const table = i32[(ref + OFF_DICT_TABLE) >> 2];
      if (table === 0) return;
      const n = i32[(ref + OFF_DICT_NENTRIES) >> 2];
      const nslots = 1 << i32[(table + 8) >> 2];
      const base = (table + OFF_STORAGE_DATA + ((4 * nslots + 15) & ~15)) >> 2;
      for (let k = 0; k < n; k++) {
        const key = i32[base + 4 * k + 2];
        if (key === 0) continue;
        visit(key);
        const v = i32[base + 4 * k + 3];
        if (v !== 0) visit(v);
      }
      return;
    }
    case T_SET: {
      const mask = i32[(ref + OFF_SET_MASK) >> 2];
      const base = (i32[(ref + OFF_SET_TABLE) >> 2] + OFF_STORAGE_DATA) >> 2;
      for (let j = 0; j <= mask; j++) {
        const k = i32[base + 4 * j + 2];
        if (k !== 0 && k !== SET_DUMMY) visit(k);
      }
      return;
    }
    case T_OBJECT: {
      const n = i32[oi + (OFF_OBJ_NSLOTS >> 2)];
      for (let k = 0; k < n; k++) {
        const c = i32[oi + (OFF_OBJ_SLOTS >> 2) + k];
        if (c !== 0) visit(c);
      }
      return;
    }
    default:
      return;
  }
}

/** Storage blocks a container owns (list items, dict/set tables). */
export function storageOf(heap: Heap, ref: number): number {
  const i32 = heap.i32;
  switch (heap.u8[ref]) {
    case T_LIST:
      return i32[(ref + OFF_LIST_ITEMS) >> 2];
    case T_DICT:
      return i32[(ref + OFF_DICT_TABLE) >> 2];
    case T_SET:
      return i32[(ref + OFF_SET_TABLE) >> 2];
    default:
      return 0;
  }
}

/**
 * dict: CPython's compact, insertion-ordered hash table (Objects/dictobject.c).
 *
 * The dict object holds counts and a storage block. The storage block has an index table of
 * 2**log2 int32 slots (DKIX_EMPTY, DKIX_DUMMY or an entry number) followed by a dense entry array
 * in insertion order, each entry `f64 hash, i32 key, i32 value` (key 0 = deleted). Storage word +8
 * holds log2 so dealloc/gc/verify can find the entries without the dict. Usable entries are 2/3 of
 * the slots; when they run out the table is rebuilt for `used * 3` (CPython's GROWTH_RATE),
 * dropping deleted entries, which keeps iteration order = insertion order.
 */

import { hashBytes } from './hash.js';
import type { Heap } from './heap.js';
import { probeNext, probeStart } from './probe.js';
import { measureUtf8, writeUtf8 } from './utf8.js';

// Local copies of layout.ts constants. V8 does not constant-fold imported bindings (every use is a
// module-cell load plus a TDZ check, which measured 2x slower on the alloc/free path), so hot
// modules keep their own copies; layout.test.ts checks every copy against layout.ts.
const DICT_ENTRY_BYTES = 0x10; // layout.DICT_ENTRY_BYTES
const DKIX_DUMMY = -2; // layout.DKIX_DUMMY
const DKIX_EMPTY = -1; // layout.DKIX_EMPTY
const OFF_DICT_LOG2 = 0x1c; // layout.OFF_DICT_LOG2
const OFF_DICT_NENTRIES = 0x14; // layout.OFF_DICT_NENTRIES
const OFF_DICT_TABLE = 0x18; // layout.OFF_DICT_TABLE
const OFF_DICT_USED = 0x10; // layout.OFF_DICT_USED
const OFF_STORAGE_DATA = 0x10; // layout.OFF_STORAGE_DATA
const OFF_STR_BYTES = 0x10; // layout.OFF_STR_BYTES
const OFF_STR_DATA = 0x20; // layout.OFF_STR_DATA
const T_DICT = 0xa; // layout.T_DICT
const T_STORAGE = 0xd; // layout.T_STORAGE
const T_STR = 0x6; // layout.T_STR
/** @internal The layout constants this module copies (for layout.test.ts). */
export const LAYOUT_COPIES_DICT: Readonly<Record<string, number>> = {
  DICT_ENTRY_BYTES,
  DKIX_DUMMY,
  DKIX_EMPTY,
  OFF_DICT_LOG2,
  OFF_DICT_NENTRIES,
  OFF_DICT_TABLE,
  OFF_DICT_USED,
  OFF_STORAGE_DATA,
  OFF_STR_BYTES,
  OFF_STR_DATA,
  T_DICT,
  T_STORAGE,
  T_STR,
};

export const OFF_USED = OFF_DICT_USED;
export const OFF_NENTRIES = OFF_DICT_NENTRIES;
/** Storage word (byte offset) holding log2(index slots). */
export const OFF_TABLE_LOG2 = 8;
const MIN_LOG2 = 3;

/** Byte offset of the first entry of a dict table. */
export function entriesBase(heap: Heap, table: number): number {
  const nslots = 1 << heap.i32[(table + OFF_TABLE_LOG2) >> 2];
  return table + OFF_STORAGE_DATA + ((4 * nslots + 15) & ~15);
}

function usable(log2: number): number {
  return (((1 << log2) << 1) / 3) | 0;
}

function allocTable(heap: Heap, log2: number): number {
  const nslots = 1 << log2;
  const bytes = OFF_STORAGE_DATA + ((4 * nslots + 15) & ~15) + DICT_ENTRY_BYTES * usable(log2);
  const table = heap.allocObject(bytes, T_STORAGE);
  const i32 = heap.i32;
  i32[(table + OFF_TABLE_LOG2) >> 2] = log2;
  const start = (table + OFF_STORAGE_DATA) >> 2;
  i32.fill(DKIX_EMPTY, start, start + nslots);
  return table;
}

export function newDict(heap: Heap): number {
  const d = heap.allocObject(32, T_DICT);
  const i32 = heap.i32;
  i32[(d + OFF_DICT_USED) >> 2] = 0;
  i32[(d + OFF_DICT_NENTRIES) >> 2] = 0;
  i32[(d + OFF_DICT_TABLE) >> 2] = 0;
  i32[(d + OFF_DICT_LOG2) >> 2] = 0;
  return d;
}

/** Entry number of `key` (hash `h`) or -1. */
function lookup(heap: Heap, table: number, key: number, h: number): number {
  const i32 = heap.i32;
  const f64 = heap.f64;
  const log2 = i32[(table + OFF_TABLE_LOG2) >> 2];
  const mask = (1 << log2) - 1;
  const idx = (table + OFF_STORAGE_DATA) >> 2;
  const ebase = entriesBase(heap, table);
  let i = probeStart(h, mask);
  for (;;) {
    const ix = i32[idx + i];
    if (ix === DKIX_EMPTY) return -1;
    if (ix >= 0) {
      const e = ebase + ix * DICT_ENTRY_BYTES;
      const k = i32[(e + 8) >> 2];
      if (k === key || (f64[e >> 3] === h && heap.eq(k, key))) return ix;
    }
    i = probeNext(i, mask);
  }
}

function findEmptySlot(heap: Heap, table: number, h: number): number {
  const i32 = heap.i32;
  const mask = (1 << i32[(table + OFF_TABLE_LOG2) >> 2]) - 1;
  const idx = (table + OFF_STORAGE_DATA) >> 2;
  let i = probeStart(h, mask);
  while (i32[idx + i] >= 0) i = probeNext(i, mask);
  return i;
}

export function dictGet(heap: Heap, d: number, key: number): number {
  const table = heap.i32[(d + OFF_DICT_TABLE) >> 2];
  const h = heap.hash(key);
  if (table === 0) return 0;
  const ix = lookup(heap, table, key, h);
  if (ix < 0) return 0;
  return heap.i32[((entriesBase(heap, table) + ix * DICT_ENTRY_BYTES) >> 2) + 3];
}

// Scratch for dictGetStr: the JS string is encoded once per call into this buffer.
let scratch = new Uint8Array(256);

export function dictGetStr(heap: Heap, d: number, name: string): number {
  const table = heap.i32[(d + OFF_DICT_TABLE) >> 2];
  if (table === 0) return 0;
  const { bytes } = measureUtf8(name);
  if (bytes > scratch.length) scratch = new Uint8Array(bytes * 2);
  writeUtf8(scratch, 0, name);
  const h = hashBytes(scratch, 0, bytes);
  const i32 = heap.i32;
  const u8 = heap.u8;
  const mask = (1 << i32[(table + OFF_TABLE_LOG2) >> 2]) - 1;
  const idx = (table + OFF_STORAGE_DATA) >> 2;
  const ebase = entriesBase(heap, table);
  let i = probeStart(h, mask);
  for (;;) {
    const ix = i32[idx + i];
    if (ix === DKIX_EMPTY) return 0;
    if (ix >= 0) {
      const e = ebase + ix * DICT_ENTRY_BYTES;
      const k = i32[(e + 8) >> 2];
      if (
        heap.f64[e >> 3] === h &&
        (k & 1) === 0 &&
        u8[k] === T_STR &&
        i32[(k + OFF_STR_BYTES) >> 2] === bytes
      ) {
        let same = true;
        for (let p = 0; p < bytes; p++) {
          if (u8[k + OFF_STR_DATA + p] !== scratch[p]) {
            same = false;
            break;
          }
        }
        if (same) return i32[(e + 12) >> 2];
      }
    }
    i = probeNext(i, mask);
  }
}

export function dictSet(heap: Heap, d: number, key: number, value: number): void {
  const i32 = heap.i32;
  const h = heap.hash(key); // throws for unhashable keys before anything changes
  let table = i32[(d + OFF_DICT_TABLE) >> 2];
  if (table !== 0) {
    const ix = lookup(heap, table, key, h);
    if (ix >= 0) {
      const vi = ((entriesBase(heap, table) + ix * DICT_ENTRY_BYTES) >> 2) + 3;
      const old = i32[vi];
      heap.incref(value);
      i32[vi] = value;
      heap.decref(old);
      return;
    }
  }
  const nentries = i32[(d + OFF_DICT_NENTRIES) >> 2];
  if (table === 0 || nentries >= usable(i32[(table + OFF_TABLE_LOG2) >> 2])) {
    table = resize(heap, d, i32[(d + OFF_DICT_USED) >> 2] * 3);
  }
  const n = i32[(d + OFF_DICT_NENTRIES) >> 2];
  const slot = findEmptySlot(heap, table, h);
  i32[((table + OFF_STORAGE_DATA) >> 2) + slot] = n;
  const e = entriesBase(heap, table) + n * DICT_ENTRY_BYTES;
  heap.incref(key);
  heap.incref(value);
  heap.f64[e >> 3] = h;
  i32[(e + 8) >> 2] = key;
  i32[(e + 12) >> 2] = value;
  i32[(d + OFF_DICT_NENTRIES) >> 2] = n + 1;
  i32[(d + OFF_DICT_USED) >> 2]++;
}

/** Rebuild the table for at least `minUsed` entries; live entries keep their order. */
function resize(heap: Heap, d: number, minUsed: number): number {
  let log2 = MIN_LOG2;
  while (1 << log2 < minUsed) log2++;
  const i32 = heap.i32;
  const f64 = heap.f64;
  const fresh = allocTable(heap, log2); // may throw PyMemoryError: nothing changed yet
  const old = i32[(d + OFF_DICT_TABLE) >> 2];
  let n = 0;
  if (old !== 0) {
    const count = i32[(d + OFF_DICT_NENTRIES) >> 2];
    const from = entriesBase(heap, old);
    const to = entriesBase(heap, fresh);
    const mask = (1 << log2) - 1;
    const idx = (fresh + OFF_STORAGE_DATA) >> 2;
    for (let k = 0; k < count; k++) {
      const e = from + k * DICT_ENTRY_BYTES;
      const key = i32[(e + 8) >> 2];
      if (key === 0) continue;
      const h = f64[e >> 3];
      const t = to + n * DICT_ENTRY_BYTES;
      f64[t >> 3] = h;
      i32[(t + 8) >> 2] = key;
      i32[(t + 12) >> 2] = i32[(e + 12) >> 2];
      let i = probeStart(h, mask);
      while (i32[idx + i] !== DKIX_EMPTY) i = probeNext(i, mask);
      i32[idx + i] = n;
      n++;
    }
    heap.freeRaw(old);
  }
  i32[(d + OFF_DICT_TABLE) >> 2] = fresh;
  i32[(d + OFF_DICT_NENTRIES) >> 2] = n;
  i32[(d + OFF_DICT_LOG2) >> 2] = log2;
  return fresh;
}

/** del d[key]: true if it was present. */
export function dictDelete(heap: Heap, d: number, key: number): boolean {
  const value = dictPop(heap, d, key);
  if (value === 0) return false;
  heap.decref(value);
  return true;
}

/** Remove `key`; returns its value with the dict's reference handed to the caller, or 0. */
export function dictPop(heap: Heap, d: number, key: number): number {
  const i32 = heap.i32;
  const h = heap.hash(key);
  const table = i32[(d + OFF_DICT_TABLE) >> 2];
  if (table === 0) return 0;
  const mask = (1 << i32[(table + OFF_TABLE_LOG2) >> 2]) - 1;
  const idx = (table + OFF_STORAGE_DATA) >> 2;
  const ebase = entriesBase(heap, table);
  let i = probeStart(h, mask);
  for (;;) {
    const ix = i32[idx + i];
    if (ix === DKIX_EMPTY) return 0;
    if (ix >= 0) {
      const e = ebase + ix * DICT_ENTRY_BYTES;
      const k = i32[(e + 8) >> 2];
      if (k === key || (heap.f64[e >> 3] === h && heap.eq(k, key))) {
        const value = i32[(e + 12) >> 2];
        i32[idx + i] = DKIX_DUMMY;
        i32[(e + 8) >> 2] = 0;
        i32[(e + 12) >> 2] = 0;
        i32[(d + OFF_DICT_USED) >> 2]--;
        heap.decref(k);
        return value;
      }
    }
    i = probeNext(i, mask);
  }
}

/** Next live entry after `pos` (-1 to start), or -1 at the end. */
export function dictNext(heap: Heap, d: number, pos: number): number {
  const i32 = heap.i32;
  const table = i32[(d + OFF_DICT_TABLE) >> 2];
  if (table === 0) return -1;
  const n = i32[(d + OFF_DICT_NENTRIES) >> 2];
  const base = entriesBase(heap, table) >> 2;
  for (let k = pos + 1; k < n; k++) if (i32[base + 4 * k + 2] !== 0) return k;
  return -1;
}

export function entryKey(heap: Heap, d: number, pos: number): number {
  const table = heap.i32[(d + OFF_DICT_TABLE) >> 2];
  return heap.i32[(entriesBase(heap, table) >> 2) + 4 * pos + 2];
}

export function entryValue(heap: Heap, d: number, pos: number): number {
  const table = heap.i32[(d + OFF_DICT_TABLE) >> 2];
  return heap.i32[(entriesBase(heap, table) >> 2) + 4 * pos + 3];
}

/** Visit every (key, value) pair of a dict's table (for gc and verify). */
export function forEachRef(heap: Heap, d: number, visit: (ref: number) => void): void {
  const i32 = heap.i32;
  const table = i32[(d + OFF_DICT_TABLE) >> 2];
  if (table === 0) return;
  const n = i32[(d + OFF_DICT_NENTRIES) >> 2];
  const base = entriesBase(heap, table) >> 2;
  for (let k = 0; k < n; k++) {
    const key = i32[base + 4 * k + 2];
    if (key === 0) continue;
    visit(key);
    visit(i32[base + 4 * k + 3]);
  }
}

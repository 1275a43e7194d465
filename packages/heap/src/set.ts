/**
 * set: CPython's set table (Objects/setobject.c): open addressing over `mask + 1` slots of
 * `f64 hash, i32 key` (key 0 = never used, SET_DUMMY = deleted), probing LINEAR_PROBES neighbours
 * before perturbing, resizing when `fill * 5 >= mask * 3` to the smallest power of two above
 * `used * 4` (`used * 2` past 50,000), and iterating in slot order. With CPython's int hashes this
 * makes `print({3, 1, 2})` and friends come out in CPython's order.
 */
import type { Heap } from './heap.js';
import { probeNext, probeStart } from './probe.js';

// Local copies of layout.ts constants. V8 does not constant-fold imported bindings (every use is a
// module-cell load plus a TDZ check, which measured 2x slower on the alloc/free path), so hot
// modules keep their own copies; layout.test.ts checks every copy against layout.ts.
const OFF_SET_FILL = 0x14; // layout.OFF_SET_FILL
const OFF_SET_MASK = 0x18; // layout.OFF_SET_MASK
const OFF_SET_TABLE = 0x1c; // layout.OFF_SET_TABLE
const OFF_SET_USED = 0x10; // layout.OFF_SET_USED
const OFF_STORAGE_DATA = 0x10; // layout.OFF_STORAGE_DATA
const SET_DUMMY = 0x2; // layout.SET_DUMMY
const SET_ENTRY_BYTES = 0x10; // layout.SET_ENTRY_BYTES
const T_SET = 0xb; // layout.T_SET
const T_STORAGE = 0xd; // layout.T_STORAGE
/** @internal The layout constants this module copies (for layout.test.ts). */
export const LAYOUT_COPIES_SET: Readonly<Record<string, number>> = {
  OFF_SET_FILL,
  OFF_SET_MASK,
  OFF_SET_TABLE,
  OFF_SET_USED,
  OFF_STORAGE_DATA,
  SET_DUMMY,
  SET_ENTRY_BYTES,
  T_SET,
  T_STORAGE,
};

export const OFF_USED = OFF_SET_USED;
export const OFF_MASK = OFF_SET_MASK;
export const DUMMY = SET_DUMMY;
const MINSIZE = 8;
const LINEAR_PROBES = 9;

function allocTable(heap: Heap, size: number): number {
  const table = heap.allocObject(OFF_STORAGE_DATA + SET_ENTRY_BYTES * size, T_STORAGE);
  const start = (table + OFF_STORAGE_DATA) >> 2;
  heap.i32.fill(0, start, start + 4 * size);
  return table;
}

export function newSet(heap: Heap): number {
  const table = allocTable(heap, MINSIZE);
  let s: number;
  try {
    s = heap.allocObject(32, T_SET);
  } catch (err) {
    heap.freeRaw(table);
    throw err;
  }
  const i32 = heap.i32;
  i32[(s + OFF_SET_USED) >> 2] = 0;
  i32[(s + OFF_SET_FILL) >> 2] = 0;
  i32[(s + OFF_SET_MASK) >> 2] = MINSIZE - 1;
  i32[(s + OFF_SET_TABLE) >> 2] = table;
  return s;
}

/** Slot of `key` or -1 (`set_lookkey`). */
function find(heap: Heap, s: number, key: number, h: number): number {
  const i32 = heap.i32;
  const f64 = heap.f64;
  const mask = i32[(s + OFF_SET_MASK) >> 2];
  const base = (i32[(s + OFF_SET_TABLE) >> 2] + OFF_STORAGE_DATA) >> 2;
  let i = probeStart(h, mask);
  for (;;) {
    const probes = i + LINEAR_PROBES <= mask ? LINEAR_PROBES : 0;
    for (let j = i; j <= i + probes; j++) {
      const k = i32[base + 4 * j + 2];
      if (k === 0) return -1;
      if (k !== SET_DUMMY && (k === key || (f64[(base + 4 * j) >> 1] === h && heap.eq(k, key)))) return j;
    }
    i = probeNext(i, mask);
  }
}

export function setContains(heap: Heap, s: number, key: number): boolean {
  return find(heap, s, key, heap.hash(key)) >= 0;
}

export function setAdd(heap: Heap, s: number, key: number): boolean {
  const h = heap.hash(key); // unhashable: throws before any change
  const i32 = heap.i32;
  const f64 = heap.f64;
  const mask = i32[(s + OFF_SET_MASK) >> 2];
  const base = (i32[(s + OFF_SET_TABLE) >> 2] + OFF_STORAGE_DATA) >> 2;
  let freeslot = -1;
  let i = probeStart(h, mask);
  let slot = -1;
  search: for (;;) {
    const probes = i + LINEAR_PROBES <= mask ? LINEAR_PROBES : 0;
    for (let j = i; j <= i + probes; j++) {
      const k = i32[base + 4 * j + 2];
      if (k === 0) {
        slot = j;
        break search;
      }
      if (k === SET_DUMMY) {
        // CPython's set_add_entry keeps the LAST dummy seen on the probe path, not the first
        freeslot = j;
      } else if (k === key || (f64[(base + 4 * j) >> 1] === h && heap.eq(k, key))) {
        return false;
      }
    }
    i = probeNext(i, mask);
  }
  if (freeslot >= 0) {
    heap.incref(key);
    f64[(base + 4 * freeslot) >> 1] = h;
    i32[base + 4 * freeslot + 2] = key;
    i32[(s + OFF_SET_USED) >> 2]++;
    return true;
  }
  const fill = i32[(s + OFF_SET_FILL) >> 2] + 1;
  const used = i32[(s + OFF_SET_USED) >> 2] + 1;
  f64[(base + 4 * slot) >> 1] = h;
  i32[base + 4 * slot + 2] = key;
  i32[(s + OFF_SET_FILL) >> 2] = fill;
  i32[(s + OFF_SET_USED) >> 2] = used;
  if (fill * 5 >= mask * 3) {
    // As CPython: insert into the old table, then rebuild it in slot order (which fixes where
    // colliding keys land). On PyMemoryError undo the insert so the set is untouched.
    try {
      resize(heap, s, used > 50000 ? used * 2 : used * 4);
    } catch (err) {
      i32[base + 4 * slot + 2] = 0;
      f64[(base + 4 * slot) >> 1] = 0;
      i32[(s + OFF_SET_FILL) >> 2] = fill - 1;
      i32[(s + OFF_SET_USED) >> 2] = used - 1;
      throw err;
    }
    i32[(s + OFF_SET_FILL) >> 2] = used;
  }
  heap.incref(key);
  return true;
}

/** `set_insert_clean`: place a key known to be absent into a table without dummies. */
function insertClean(heap: Heap, s: number, key: number, h: number): void {
  const i32 = heap.i32;
  const mask = i32[(s + OFF_SET_MASK) >> 2];
  const base = (i32[(s + OFF_SET_TABLE) >> 2] + OFF_STORAGE_DATA) >> 2;
  let i = probeStart(h, mask);
  for (;;) {
    const probes = i + LINEAR_PROBES <= mask ? LINEAR_PROBES : 0;
    for (let j = i; j <= i + probes; j++) {
      if (i32[base + 4 * j + 2] === 0) {
        heap.f64[(base + 4 * j) >> 1] = h;
        i32[base + 4 * j + 2] = key;
        return;
      }
    }
    i = probeNext(i, mask);
  }
}

/** `set_table_resize`: new table of the smallest power of two > minused, live keys in old slot order. */
function resize(heap: Heap, s: number, minused: number): void {
  let size = MINSIZE;
  while (size <= minused) size <<= 1;
  const i32 = heap.i32;
  const fresh = allocTable(heap, size);
  const old = i32[(s + OFF_SET_TABLE) >> 2];
  const oldMask = i32[(s + OFF_SET_MASK) >> 2];
  i32[(s + OFF_SET_TABLE) >> 2] = fresh;
  i32[(s + OFF_SET_MASK) >> 2] = size - 1;
  const obase = (old + OFF_STORAGE_DATA) >> 2;
  for (let j = 0; j <= oldMask; j++) {
    const k = i32[obase + 4 * j + 2];
    if (k !== 0 && k !== SET_DUMMY) insertClean(heap, s, k, heap.f64[(obase + 4 * j) >> 1]);
  }
  heap.freeRaw(old);
}

export function setDiscard(heap: Heap, s: number, key: number): boolean {
  const slot = find(heap, s, key, heap.hash(key));
  if (slot < 0) return false;
  const i32 = heap.i32;
  const base = (i32[(s + OFF_SET_TABLE) >> 2] + OFF_STORAGE_DATA) >> 2;
  const k = i32[base + 4 * slot + 2];
  heap.f64[(base + 4 * slot) >> 1] = -1;
  i32[base + 4 * slot + 2] = SET_DUMMY;
  i32[(s + OFF_SET_USED) >> 2]--;
  heap.decref(k);
  return true;
}

/**
 * `set_merge` (CPython 3.11): add every key of the set `other` to `so`. One resize up front when
 * the keys may not fit; an empty `so` with a table of the same size as a dummy-free `other` gets
 * its slots copied as they are, an empty `so` otherwise gets clean inserts in `other`'s slot order,
 * else keys are added one by one. This is what makes `a | b`, `a.copy()` and `set(a)` iterate in
 * CPython's order.
 */
export function setMerge(heap: Heap, so: number, other: number): void {
  if (other === so) return;
  const i32 = heap.i32;
  const f64 = heap.f64;
  const oused = i32[(other + OFF_SET_USED) >> 2];
  if (oused === 0) return;
  if ((i32[(so + OFF_SET_FILL) >> 2] + oused) * 5 >= i32[(so + OFF_SET_MASK) >> 2] * 3) {
    resize(heap, so, (i32[(so + OFF_SET_USED) >> 2] + oused) * 2);
    i32[(so + OFF_SET_FILL) >> 2] = i32[(so + OFF_SET_USED) >> 2];
  }
  const omask = i32[(other + OFF_SET_MASK) >> 2];
  const obase = (i32[(other + OFF_SET_TABLE) >> 2] + OFF_STORAGE_DATA) >> 2;
  if (i32[(so + OFF_SET_FILL) >> 2] === 0) {
    const mask = i32[(so + OFF_SET_MASK) >> 2];
    const base = (i32[(so + OFF_SET_TABLE) >> 2] + OFF_STORAGE_DATA) >> 2;
    const verbatim = mask === omask && i32[(other + OFF_SET_FILL) >> 2] === oused;
    for (let j = 0; j <= omask; j++) {
      const k = i32[obase + 4 * j + 2];
      if (k === 0 || k === SET_DUMMY) continue;
      heap.incref(k);
      const h = f64[(obase + 4 * j) >> 1];
      if (verbatim) {
        f64[(base + 4 * j) >> 1] = h;
        i32[base + 4 * j + 2] = k;
      } else insertClean(heap, so, k, h);
    }
    i32[(so + OFF_SET_FILL) >> 2] = oused;
    i32[(so + OFF_SET_USED) >> 2] = oused;
    return;
  }
  for (let j = 0; j <= omask; j++) {
    const k = i32[obase + 4 * j + 2];
    if (k !== 0 && k !== SET_DUMMY) setAdd(heap, so, k);
  }
}

/** `set_swap_bodies`: exchange the tables (and counts) of two sets; header flags stay. */
export function setSwapBodies(heap: Heap, a: number, b: number): void {
  const i32 = heap.i32;
  for (const off of [OFF_SET_USED, OFF_SET_FILL, OFF_SET_MASK, OFF_SET_TABLE]) {
    const t = i32[(a + off) >> 2];
    i32[(a + off) >> 2] = i32[(b + off) >> 2];
    i32[(b + off) >> 2] = t;
  }
}

/** Next occupied slot after `pos` (-1 to start), or -1 at the end. */
export function setNext(heap: Heap, s: number, pos: number): number {
  const i32 = heap.i32;
  const mask = i32[(s + OFF_SET_MASK) >> 2];
  const base = (i32[(s + OFF_SET_TABLE) >> 2] + OFF_STORAGE_DATA) >> 2;
  for (let j = pos + 1; j <= mask; j++) {
    const k = i32[base + 4 * j + 2];
    if (k !== 0 && k !== SET_DUMMY) return j;
  }
  return -1;
}

export function slotKey(heap: Heap, s: number, pos: number): number {
  const i32 = heap.i32;
  return i32[((i32[(s + OFF_SET_TABLE) >> 2] + OFF_STORAGE_DATA) >> 2) + 4 * pos + 2];
}

/** Visit every key of a set (for gc and verify). */
export function forEachRef(heap: Heap, s: number, visit: (ref: number) => void): void {
  const i32 = heap.i32;
  const mask = i32[(s + OFF_SET_MASK) >> 2];
  const base = (i32[(s + OFF_SET_TABLE) >> 2] + OFF_STORAGE_DATA) >> 2;
  for (let j = 0; j <= mask; j++) {
    const k = i32[base + 4 * j + 2];
    if (k !== 0 && k !== SET_DUMMY) visit(k);
  }
}

/** CPython's `_shuffle_bits` (setobject.c), on unsigned 64-bit values. */
function shuffleBits(h: bigint): bigint {
  return BigInt.asUintN(64, (h ^ 89869747n ^ (h << 16n)) * 3644798167n);
}

/**
 * CPython's `frozenset_hash`: the xor of every entry's shuffled hash (order independent), mixed
 * with the size and dispersed. CPython also folds in empty and dummy slots, then cancels exactly
 * those contributions, so only live entries count here. Element hashes are this heap's.
 */
export function frozensetHash(heap: Heap, s: number): number {
  const i32 = heap.i32;
  const f64 = heap.f64;
  const mask = i32[(s + OFF_SET_MASK) >> 2];
  const base = (i32[(s + OFF_SET_TABLE) >> 2] + OFF_STORAGE_DATA) >> 2;
  let hash = 0n;
  for (let j = 0; j <= mask; j++) {
    const k = i32[base + 4 * j + 2];
    if (k === 0 || k === SET_DUMMY) continue;
    hash ^= shuffleBits(BigInt.asUintN(64, BigInt(f64[(base + 4 * j) >> 1])));
  }
  const used = BigInt(i32[(s + OFF_SET_USED) >> 2]);
  hash ^= BigInt.asUintN(64, (used + 1n) * 1927868237n);
  hash ^= (hash >> 11n) ^ (hash >> 25n);
  hash = BigInt.asUintN(64, hash * 69069n + 907133923n);
  if (hash === 0xffffffffffffffffn) hash = 590923713n;
  return Number(BigInt.asIntN(64, hash));
}

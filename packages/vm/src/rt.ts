/**
 * The value layer: every MiniPy value is a {@link Ref} into a `@gilkit/heap` heap (or a tagged
 * small int). This module owns the current heap (`H` and its views, switched by {@link bindHeap}),
 * refcounting with an inline fast path, constructors and accessors of the value types, and the
 * vm's own object kinds, which live in the heap as `T_OBJECT` handles (type, function, cell,
 * range, slice, builtin, module, code, JS handle, instance).
 *
 * Ownership is CPython's C API: parameters are borrowed, results are new references, getters
 * return borrowed references (see PORT.md and the heap README).
 *
 * Hot functions read the heap's typed arrays directly with module-local copies of the layout
 * constants (V8 does not constant-fold imported bindings); rt.test.ts checks the copies.
 */
import { Heap } from '@gilkit/heap';
import type { Kw, NativeFn, PyExc, PyType } from './objects.js';
import type { CodeObject } from './opcodes.js';

/** A value: a heap reference (16-aligned byte offset) or a tagged int `(v << 1) | 1`. 0 = absent. */
export type Ref = number;

// ---- local copies of layout constants (checked against the heap's layout in rt.test.ts) ----
const T_NONE = 1;
const T_BOOL = 2;
const T_INT = 3;
const T_BIGINT = 4;
const T_FLOAT = 5;
const T_STR = 6;
const T_BYTES = 7;
const T_TUPLE = 8;
const T_LIST = 9;
const T_DICT = 10;
const T_SET = 11;
const T_OBJECT = 12;
const OFF_VALUE = 16;
const OFF_OBJ_KIND = 16;
const OFF_OBJ_SLOTS = 32;
const OFF_TUPLE_LEN = 16;
const OFF_TUPLE_ITEMS = 20;
const OFF_LIST_LEN = 16;
const OFF_LIST_ITEMS = 24;
const OFF_STORAGE_DATA = 16;
const IMMORTAL_REFCNT = -1073741824;
const TAGGED_MIN = -1073741824;
const TAGGED_MAX = 1073741823;
/** Header flag bit (u8 at +1) the heap leaves to the host: set on frozensets. */
const F_HOST = 2;
/** @internal For rt.test.ts: the layout constants copied above. */
export const LAYOUT_COPIES_RT: Readonly<Record<string, number>> = {
  T_NONE,
  T_BOOL,
  T_INT,
  T_BIGINT,
  T_FLOAT,
  T_STR,
  T_BYTES,
  T_TUPLE,
  T_LIST,
  T_DICT,
  T_SET,
  T_OBJECT,
  OFF_VALUE,
  OFF_OBJ_KIND,
  OFF_OBJ_SLOTS,
  OFF_TUPLE_LEN,
  OFF_TUPLE_ITEMS,
  OFF_LIST_LEN,
  OFF_LIST_ITEMS,
  OFF_STORAGE_DATA,
  IMMORTAL_REFCNT,
  TAGGED_MIN,
  TAGGED_MAX,
};

/** None (immortal). */
export const NONE: Ref = 0x11000;
/** True (immortal). */
export const TRUE: Ref = 0x11020;
/** False (immortal). */
export const FALSE: Ref = 0x11040;
/** `()` (immortal). */
export const EMPTY_TUPLE: Ref = 0x11060;
/** `''` (immortal). */
export const EMPTY_STR: Ref = 0x11080;

// ---- the current heap ----
/** The current heap (live binding; switch with {@link bindHeap}). */
export let H: Heap;
/** Views of the current heap's buffer. */
export let u8: Uint8Array;
export let i32: Int32Array;
export let f64: Float64Array;
/** gil mode without checks: incref/decref update the count inline. */
let fast = false;

/** Per-heap state of this thread's vm (type refs, JS handle table). */
interface State {
  readonly heap: Heap;
  /** K_TYPE refs by PyType.index (0 = not created yet). */
  readonly typeRefs: Ref[];
  /** K_HANDLE table: index -> JS object. */
  readonly handles: (PyHandle | undefined)[];
  readonly freeHandles: number[];
  /** Interned strs of this heap by value (immortal). */
  readonly interned: Map<string, Ref>;
  /** Per-heap constants by owner and key (see heapConst). */
  readonly consts: WeakMap<object, Map<string, Ref>>;
  /**
   * Written into every handle this table makes: workers attached to one heap each have their own
   * table, so a handle is only resolved (or finalized) by the thread whose table it indexes.
   */
  readonly tag: number;
}
const states = new WeakMap<Heap, State>();
let S: State;

/** Options of {@link newHeap}. */
export interface NewHeapOptions {
  /** Buffer bytes (default 32 MiB). */
  bytes?: number;
  /** SharedArrayBuffer-backed (default false). */
  shared?: boolean;
  /** Heap checked mode: use-after-free raises StaleReferenceError (slower). */
  checked?: boolean;
  /** Refcount mode (default 'gil'); 'atomic'/'biased' for threads without a GIL. */
  refcountMode?: 'gil' | 'atomic' | 'biased';
}

/** A heap for the vm: tagged ints, gil refcounts, the vm's finalizer installed. */
export function newHeap(o: NewHeapOptions = {}): Heap {
  const h = Heap.create({
    bytes: o.bytes ?? 32 << 20,
    shared: o.shared ?? false,
    checked: o.checked ?? false,
    taggedInts: true,
    refcountMode: o.refcountMode ?? 'gil',
  });
  stateOf(h);
  return h;
}

/** Hooks of @gilkit/heap this module uses when present (feature-detected). */
interface HeapHooks {
  setFinalizer?(fn: ((ref: number, kind: number) => void) | null): void;
  hostRoot?(index: number): number;
  setHostRoot?(index: number, ref: number, expected?: number): boolean;
}

function stateOf(h: Heap): State {
  let s = states.get(h);
  if (s === undefined) {
    if (!h.taggedInts) throw new TypeError('the vm needs a heap created with taggedInts: true');
    s = {
      heap: h,
      typeRefs: [],
      handles: [],
      freeHandles: [],
      interned: new Map(),
      consts: new WeakMap(),
      tag: ((Math.random() * 0x7ffffffe) | 0) + 1,
    };
    states.set(h, s);
    const st = s;
    (h as Heap & HeapHooks).setFinalizer?.((ref, kind) => finalize(st, ref, kind));
  }
  return s;
}

/** Called by the heap before a T_OBJECT is freed: release the JS side of handles. */
function finalize(s: State, ref: Ref, kind: number): void {
  if (kind !== K_HANDLE) return;
  const hi = s.heap.i32;
  // another thread's handle (shared heap): its JS object is in that thread's table. TODO(leak)
  if (hi[(ref + HANDLE_TAG) >> 2] !== s.tag) return;
  const idx = hi[(ref + HANDLE_WORD) >> 2];
  const obj = s.handles[idx];
  s.handles[idx] = undefined;
  s.freeHandles.push(idx);
  if (obj === undefined) return;
  if (lockDepth > 0) {
    // inside a critical section: dispose may lock other objects (stripes are not re-entrant)
    deferred.push({ s, obj, ref });
    return;
  }
  runDispose(s, obj, ref);
}

function runDispose(s: State, obj: PyHandle, ref: Ref): void {
  // dispose may decref what the handle owns: run it with its own heap current
  const prev = S;
  if (prev !== s) bindHeap(s.heap);
  try {
    obj.dispose?.(ref);
  } finally {
    if (prev !== undefined && prev !== s) bindHeap(prev.heap);
  }
}

/** Make `h` the current heap (no-op when it already is). */
export function bindHeap(h: Heap): void {
  if (H === h) return;
  S = stateOf(h);
  H = h;
  u8 = h.u8;
  i32 = h.i32;
  f64 = h.f64;
  fast = h.refcountMode === 'gil' && !h.checked;
  locking = h.refcountMode !== 'gil';
}

// ---- per-object critical sections (heaps without a GIL) ----
/** True when the current heap has no GIL: container mutations take the object's critical section. */
export let locking = false;
let lockDepth = 0;
const deferred: { s: State; obj: PyHandle; ref: Ref }[] = [];

/**
 * Enter `r`'s critical section when the heap has no GIL (no-op in gil mode). Hold one at a time
 * (or two via {@link lockRefs2}); handle finalizers that run meanwhile are deferred to the unlock.
 */
export function lockRef(r: Ref): void {
  if (!locking) return;
  H.lockObject(r);
  lockDepth++;
}
/** Leave what {@link lockRef} entered. */
export function unlockRef(r: Ref): void {
  if (!locking) return;
  H.unlockObject(r);
  if (--lockDepth === 0 && deferred.length > 0) drainDeferred();
}
/** Enter the critical sections of two objects (e.g. `a |= b`) without deadlock. */
export function lockRefs2(a: Ref, b: Ref): void {
  if (!locking) return;
  H.lockObjects2(a, b);
  lockDepth++;
}
/** Leave what {@link lockRefs2} entered. */
export function unlockRefs2(a: Ref, b: Ref): void {
  if (!locking) return;
  H.unlockObjects2(a, b);
  if (--lockDepth === 0 && deferred.length > 0) drainDeferred();
}
function drainDeferred(): void {
  while (deferred.length > 0) {
    const d = deferred.shift() as { s: State; obj: PyHandle; ref: Ref };
    runDispose(d.s, d.obj, d.ref);
  }
}

// ---- refcounts ----

/** Add a reference (tagged ints and immortals: no-op). */
export function incref(r: Ref): void {
  if ((r & 1) !== 0) return;
  if (fast) {
    const i = (r >> 2) + 1;
    const rc = i32[i];
    if (rc >= 0) i32[i] = rc + 1;
    return;
  }
  H.incref(r);
}

/** Drop a reference; frees at zero. */
export function decref(r: Ref): void {
  if ((r & 1) !== 0) return;
  if (fast) {
    const i = (r >> 2) + 1;
    const rc = i32[i];
    if (rc > 1) {
      i32[i] = rc - 1;
      return;
    }
    if (rc < 0) return;
  }
  H.decref(r);
}

/** incref, 0 allowed. */
export function xincref(r: Ref): void {
  if (r !== 0) incref(r);
}

/** decref, 0 allowed. */
export function xdecref(r: Ref): void {
  if (r !== 0) decref(r);
}

/** Make `r` immortal (PEP 683): incref/decref ignore it from now on. */
export function immortalize(r: Ref): void {
  if ((r & 1) !== 0) return;
  const i = r >> 2;
  i32[i + 1] = IMMORTAL_REFCNT;
  i32[i + 2] = 0;
  H.u16[(r >> 1) + 1] = 0;
}

/**
 * A constant of the current heap, made by `make` (a new ref) on first use and kept immortal:
 * for process-wide JS objects (types, code, modules) that need a ref in each heap. Borrowed.
 */
export function heapConst(owner: object, key: string, make: () => Ref): Ref {
  let m = S.consts.get(owner);
  if (m === undefined) {
    m = new Map();
    S.consts.set(owner, m);
  }
  let r = m.get(key);
  if (r === undefined) {
    r = make();
    immortalize(r);
    m.set(key, r);
  }
  return r;
}

/** Decref every ref of an array (for arrays of new refs, e.g. from {@link toArray}). */
export function decrefAll(refs: readonly Ref[]): void {
  for (let k = 0; k < refs.length; k++) decref(refs[k]);
}

// ---- None, bool, int, float ----

export function pyBool(b: boolean): Ref {
  return b ? TRUE : FALSE;
}

/** New int (normalizes: tagged when small, a heap int when safe, a big int beyond). */
export function newInt(n: number | bigint): Ref {
  if (typeof n === 'number') {
    if ((n | 0) === n && n >= TAGGED_MIN && n <= TAGGED_MAX) return (n << 1) | 1;
    return H.newInt(n === 0 ? 0 : n);
  }
  if (n >= -9007199254740991n && n <= 9007199254740991n) return newInt(Number(n));
  return H.newBigInt(n);
}

/** An int, not a bool. */
export function isIntRef(r: Ref): boolean {
  if ((r & 1) !== 0) return true;
  const t = u8[r];
  return t === T_INT || t === T_BIGINT;
}

/** An int or a bool. */
export function isIntLike(r: Ref): boolean {
  if ((r & 1) !== 0) return true;
  const t = u8[r];
  return t === T_INT || t === T_BIGINT || t === T_BOOL;
}

/** Value of an int or bool (bool -> 0/1): a number when safe, else a bigint. */
export function intOf(r: Ref): number | bigint {
  if ((r & 1) !== 0) return r >> 1;
  const t = u8[r];
  if (t === T_INT || t === T_BOOL) return f64[(r + OFF_VALUE) >> 3];
  if (t === T_BIGINT) return H.bigIntValue(r);
  throw new TypeError(`intOf: not an int (heap type ${H.typeOf(r)})`);
}

/** Exact value of an int or bool as a bigint. */
export function bigOf(r: Ref): bigint {
  if ((r & 1) !== 0) return BigInt(r >> 1);
  return H.bigIntValue(r);
}

export function newFloat(x: number): Ref {
  return H.newFloat(x);
}
export function isFloat(r: Ref): boolean {
  return (r & 1) === 0 && u8[r] === T_FLOAT;
}
/** Value of a float. */
export function floatOf(r: Ref): number {
  return f64[(r + OFF_VALUE) >> 3];
}

// ---- str, bytes ----

export function newStr(s: string): Ref {
  return H.newStr(s);
}
export function isStr(r: Ref): boolean {
  return (r & 1) === 0 && u8[r] === T_STR;
}
/** The str as a JS string. */
export function strOf(r: Ref): string {
  return H.strValue(r);
}
/** The immortal str equal to `s` (same ref for equal strings in this heap). */
export function intern(s: string): Ref {
  if (S === undefined) throw new Error(`rt.intern('${s}'): no heap is bound yet (bindHeap first)`);
  let r = S.interned.get(s);
  if (r === undefined) {
    r = H.intern(s);
    S.interned.set(s, r);
  }
  return r;
}

export function newBytes(b: Uint8Array): Ref {
  return H.newBytes(b);
}
export function isBytes(r: Ref): boolean {
  return (r & 1) === 0 && u8[r] === T_BYTES;
}
/** A copy of the bytes. */
export function bytesOf(r: Ref): Uint8Array {
  return H.bytesValue(r);
}

// ---- containers ----

export function isNone(r: Ref): boolean {
  return r === NONE;
}
export function isTuple(r: Ref): boolean {
  return (r & 1) === 0 && u8[r] === T_TUPLE;
}
export function isList(r: Ref): boolean {
  return (r & 1) === 0 && u8[r] === T_LIST;
}
export function isDict(r: Ref): boolean {
  return (r & 1) === 0 && u8[r] === T_DICT;
}
/** set or frozenset. */
export function isSet(r: Ref): boolean {
  return (r & 1) === 0 && u8[r] === T_SET;
}
export function isFrozenSet(r: Ref): boolean {
  return (r & 1) === 0 && u8[r] === T_SET && (u8[r + 1] & F_HOST) !== 0;
}

/** New tuple holding new references to `items`. */
export function newTuple(items: readonly Ref[]): Ref {
  return H.newTuple(items);
}
/** New tuple taking over the caller's references to `items`. */
export function newTupleSteal(items: readonly Ref[]): Ref {
  const n = items.length;
  if (n === 0) return EMPTY_TUPLE;
  const t = H.tupleNew(n);
  const base = (t + OFF_TUPLE_ITEMS) >> 2;
  for (let k = 0; k < n; k++) i32[base + k] = items[k];
  return t;
}
/** len() of a tuple. */
export function tupleLen(t: Ref): number {
  return i32[(t + OFF_TUPLE_LEN) >> 2];
}
/** Borrowed t[k] (k in range). */
export function tupleAt(t: Ref, k: number): Ref {
  return i32[((t + OFF_TUPLE_ITEMS) >> 2) + k];
}
/** Borrowed snapshot of a tuple's items. */
export function tupleItems(t: Ref): Ref[] {
  const n = i32[(t + OFF_TUPLE_LEN) >> 2];
  const base = (t + OFF_TUPLE_ITEMS) >> 2;
  // a plain loop: Array.from(subarray) goes through the iterator protocol (4-7x slower)
  const out = new Array<Ref>(n);
  for (let k = 0; k < n; k++) out[k] = i32[base + k];
  return out;
}

/** New list holding new references to `items`. */
export function newList(items: readonly Ref[] = []): Ref {
  return H.newList(items);
}
/** New list taking over the caller's references to `items`. */
export function newListSteal(items: readonly Ref[]): Ref {
  // one allocation of the right size; the caller's refs keep every item alive across the decrefs
  const l = H.newList(items);
  for (let k = 0; k < items.length; k++) decref(items[k]);
  return l;
}
/** len() of a list. */
export function listLen(l: Ref): number {
  return i32[(l + OFF_LIST_LEN) >> 2];
}
/** Borrowed l[k] (k in range). */
export function listAt(l: Ref, k: number): Ref {
  return i32[((i32[(l + OFF_LIST_ITEMS) >> 2] + OFF_STORAGE_DATA) >> 2) + k];
}
/** Borrowed snapshot of a list's items. */
export function listItems(l: Ref): Ref[] {
  const n = i32[(l + OFF_LIST_LEN) >> 2];
  const out = new Array<Ref>(n);
  if (n === 0) return out;
  const base = (i32[(l + OFF_LIST_ITEMS) >> 2] + OFF_STORAGE_DATA) >> 2;
  for (let k = 0; k < n; k++) out[k] = i32[base + k];
  return out;
}

/** New set (or frozenset: a header flag bit) holding new references to `items`. */
export function newSet(items: readonly Ref[] = [], frozen = false): Ref {
  const s = H.newSet();
  if (frozen) u8[s + 1] |= F_HOST;
  try {
    for (let k = 0; k < items.length; k++) H.setAdd(s, items[k]);
  } catch (e) {
    H.decref(s);
    throw e;
  }
  return s;
}

/** New empty dict. */
export function newDict(): Ref {
  return H.newDict();
}

// ---- vm object kinds (T_OBJECT handles) ----
export const K_TYPE = 1;
export const K_FUNCTION = 2;
export const K_CELL = 3;
export const K_RANGE = 4;
export const K_SLICE = 5;
export const K_BUILTIN = 6;
export const K_MODULE = 7;
export const K_CODE = 8;
export const K_HANDLE = 9;
export const K_INSTANCE = 10;

/** The vm kind of a T_OBJECT, 0 for anything else. */
export function kindOf(r: Ref): number {
  if ((r & 1) !== 0 || u8[r] !== T_OBJECT) return 0;
  return i32[(r + OFF_OBJ_KIND) >> 2];
}

/** Borrowed slot k of an object (no checks). */
function slot(r: Ref, k: number): Ref {
  return i32[((r + OFF_OBJ_SLOTS) >> 2) + k];
}
/** Store a new ref (stolen) in a fresh object's empty slot. */
function initSlot(r: Ref, k: number, v: Ref): void {
  i32[((r + OFF_OBJ_SLOTS) >> 2) + k] = v;
}
/** Byte offset of word 0 for an object with `nslots` slots. */
function wordsAt(nslots: number): number {
  return (OFF_OBJ_SLOTS + 4 * nslots + 7) & ~7;
}

// Integer words (type index, code id, native id, handle index) are stored as the int32 at the
// start of their 8-byte word: loads from an Int32Array are Smis in V8 (a float64 load used as an
// array index costs a conversion and can deopt). Range bounds stay float64 (safe integers).

// K_TYPE: word0 = PyType.index; immortal, one per type per heap.
/** Every PyType by index (filled by the PyType constructor, in creation order). */
export const TYPES: PyType[] = [];

/** Host root word holding the heap's type table (a list of K_TYPE refs by PyType.index). */
const ROOT_TYPES = 0;

/**
 * The type object of `t` in the current heap (immortal; no incref needed). The table lives in a
 * heap host root, so every worker attached to the heap finds the same refs.
 */
export function typeRef(t: PyType): Ref {
  const refs = S.typeRefs;
  const r = refs[t.index];
  if (r !== undefined && r !== 0) return r;
  const found = sharedTypeRef(t);
  refs[t.index] = found;
  return found;
}

function sharedTypeRef(t: PyType): Ref {
  const h = H as Heap & HeapHooks;
  if (h.hostRoot === undefined || h.setHostRoot === undefined) return makeTypeRef(t);
  let table = h.hostRoot(ROOT_TYPES);
  if (table === 0) {
    const fresh = H.newList();
    immortalize(fresh);
    if (!h.setHostRoot(ROOT_TYPES, fresh, 0)) H.decref(fresh); // another thread won: immortal, stays
    table = h.hostRoot(ROOT_TYPES);
  }
  const lock = H.refcountMode !== 'gil';
  if (lock) H.lockObject(table);
  try {
    const n = H.listLen(table);
    const have = t.index < n ? H.listGet(table, t.index) : NONE;
    if (have !== NONE) return have;
    const made = makeTypeRef(t);
    for (let k = n; k <= t.index; k++) H.listAppend(table, NONE);
    H.listSet(table, t.index, made);
    return made;
  } finally {
    if (lock) H.unlockObject(table);
  }
}

function makeTypeRef(t: PyType): Ref {
  const n = H.newObject(K_TYPE, 0, 1);
  i32[(n + wordsAt(0)) >> 2] = t.index;
  immortalize(n);
  return n;
}
/** The PyType of a type object, or null. */
export function asType(r: Ref): PyType | null {
  if (kindOf(r) !== K_TYPE) return null;
  return TYPES[i32[(r + wordsAt(0)) >> 2]] ?? null;
}

// K_FUNCTION: slots globals, defaults, kwdefaults, closure; word0 = code id.
const FUNC_WORD = wordsAt(4);
/** New function object (increfs its arguments). */
export function newFunction(
  code: CodeObject,
  globals: Ref,
  defaults: Ref,
  kwdefaults: Ref,
  closure: Ref,
): Ref {
  const f = H.newObject(K_FUNCTION, 4, 1);
  incref(globals);
  incref(defaults);
  incref(kwdefaults);
  incref(closure);
  initSlot(f, 0, globals);
  initSlot(f, 1, defaults);
  initSlot(f, 2, kwdefaults);
  initSlot(f, 3, closure);
  i32[(f + FUNC_WORD) >> 2] = codeId(code);
  return f;
}
export function funcCode(f: Ref): CodeObject {
  return CODES[i32[(f + FUNC_WORD) >> 2]];
}
/** Borrowed globals dict. */
export function funcGlobals(f: Ref): Ref {
  return slot(f, 0);
}
/** Borrowed defaults tuple or NONE. */
export function funcDefaults(f: Ref): Ref {
  return slot(f, 1);
}
/** Borrowed kwdefaults dict or NONE. */
export function funcKwdefaults(f: Ref): Ref {
  return slot(f, 2);
}
/** Borrowed closure tuple (of cells) or NONE. */
export function funcClosure(f: Ref): Ref {
  return slot(f, 3);
}
/** Replace defaults (takes its own reference). */
export function setFuncDefaults(f: Ref, v: Ref): void {
  H.objectSet(f, 1, v);
}
/** Replace kwdefaults (takes its own reference). */
export function setFuncKwdefaults(f: Ref, v: Ref): void {
  H.objectSet(f, 2, v);
}

// Code ids: a process-wide table (code objects are JS and shared by every heap of this thread).
const CODES: CodeObject[] = [];
let codeIds = new WeakMap<CodeObject, number>();
/**
 * The process-wide id of a code object (assigned on first use). The table keeps its codes until
 * {@link resetCodeIds}.
 */
export function codeId(code: CodeObject): number {
  let id = codeIds.get(code);
  if (id === undefined) {
    id = CODES.length;
    CODES.push(code);
    codeIds.set(code, id);
  }
  return id;
}
export function codeById(id: number): CodeObject {
  return CODES[id];
}
/**
 * Forgets every code id: the next {@link codeId} starts again at 0, and the table lets go of the
 * code objects it kept. For a thread that is done with every heap it used and starts over (a
 * reused worker: its new heap's function objects must get the same ids as in the other workers).
 * Function and code objects still in a heap would name the wrong code afterwards.
 */
export function resetCodeIds(): void {
  CODES.length = 0;
  codeIds = new WeakMap();
}

// K_CELL: slot0 value or 0 (empty).
/** New cell holding `v` (increfs; 0 = empty). */
export function newCell(v: Ref): Ref {
  const c = H.newObject(K_CELL, 1, 0);
  if (v !== 0) {
    incref(v);
    initSlot(c, 0, v);
  }
  return c;
}
/** Borrowed cell content, 0 when empty. */
export function cellGet(c: Ref): Ref {
  return slot(c, 0);
}
/** Set the cell's content (takes its own reference; 0 clears), dropping the old one. */
export function cellSet(c: Ref, v: Ref): void {
  const at = ((c + OFF_OBJ_SLOTS) >> 2) + 0;
  const old = i32[at];
  if (v !== 0) incref(v);
  i32[at] = v;
  if (old !== 0) decref(old);
}

// K_RANGE: words start, stop, step.
const RANGE_WORD = wordsAt(0);
export function newRange(start: number, stop: number, step: number): Ref {
  const r = H.newObject(K_RANGE, 0, 3);
  const w = (r + RANGE_WORD) >> 3;
  f64[w] = start;
  f64[w + 1] = stop;
  f64[w + 2] = step;
  return r;
}
export function rangeStart(r: Ref): number {
  return f64[(r + RANGE_WORD) >> 3];
}
export function rangeStop(r: Ref): number {
  return f64[((r + RANGE_WORD) >> 3) + 1];
}
export function rangeStep(r: Ref): number {
  return f64[((r + RANGE_WORD) >> 3) + 2];
}
/** len() of a range. */
export function rangeLen(r: Ref): number {
  const w = (r + RANGE_WORD) >> 3;
  const start = f64[w];
  const stop = f64[w + 1];
  const step = f64[w + 2];
  if (step > 0) return stop > start ? Math.floor((stop - start - 1) / step) + 1 : 0;
  return start > stop ? Math.floor((start - stop - 1) / -step) + 1 : 0;
}

// K_SLICE: slots start, stop, step (NONE allowed).
/** New slice (increfs its parts). */
export function newSlice(start: Ref, stop: Ref, step: Ref): Ref {
  const s = H.newObject(K_SLICE, 3, 0);
  incref(start);
  incref(stop);
  incref(step);
  initSlot(s, 0, start);
  initSlot(s, 1, stop);
  initSlot(s, 2, step);
  return s;
}
export function sliceStart(s: Ref): Ref {
  return slot(s, 0);
}
export function sliceStop(s: Ref): Ref {
  return slot(s, 1);
}
export function sliceStep(s: Ref): Ref {
  return slot(s, 2);
}

// K_BUILTIN: slot0 bound self (0 when unbound); word0 native id.
/** A registered native function. */
export interface NativeInfo {
  name: string;
  fn: NativeFn;
  /** Owner type name, for reprs like `<method 'append' of 'list' objects>`. */
  owner?: string;
}
const NATIVES: NativeInfo[] = [];
/** Register a native (once, at module load); returns its process-wide id. */
export function registerNative(name: string, fn: NativeFn, owner?: string): number {
  NATIVES.push(owner === undefined ? { name, fn } : { name, fn, owner });
  return NATIVES.length - 1;
}
/** The registered native of an id. */
export function nativeInfo(id: number): NativeInfo {
  return NATIVES[id];
}
const BUILTIN_WORD = wordsAt(1);
/** New builtin function object (bound to `self` when given: increfs it). */
export function newBuiltin(id: number, self?: Ref): Ref {
  const b = H.newObject(K_BUILTIN, 1, 1);
  if (self !== undefined && self !== 0) {
    incref(self);
    initSlot(b, 0, self);
  }
  i32[(b + BUILTIN_WORD) >> 2] = id;
  return b;
}
/** Native id of a builtin object. */
export function builtinId(r: Ref): number {
  return i32[(r + BUILTIN_WORD) >> 2];
}
export function builtinInfo(r: Ref): NativeInfo {
  return NATIVES[i32[(r + BUILTIN_WORD) >> 2]];
}
/** Borrowed bound receiver, 0 if unbound. */
export function builtinSelf(r: Ref): Ref {
  return slot(r, 0);
}

// K_MODULE: slots dict, name (str).
/** New module object (increfs dict). */
export function newModule(name: string, dict: Ref): Ref {
  const m = H.newObject(K_MODULE, 2, 0);
  incref(dict);
  initSlot(m, 0, dict);
  initSlot(m, 1, H.newStr(name));
  return m;
}
/** Borrowed module dict. */
export function moduleDict(m: Ref): Ref {
  return slot(m, 0);
}
export function moduleName(m: Ref): string {
  return H.strValue(slot(m, 1));
}

// K_CODE: word0 code id.
/** New code object ref. */
export function codeRef(code: CodeObject): Ref {
  const r = H.newObject(K_CODE, 0, 1);
  i32[(r + wordsAt(0)) >> 2] = codeId(code);
  return r;
}
/** The CodeObject of a K_CODE ref. */
export function codeOf(r: Ref): CodeObject {
  return CODES[i32[(r + wordsAt(0)) >> 2]];
}

// K_HANDLE: word0 index into this heap's table of JS objects (thread-local).
/** A JS object a handle ref stands for. `dispose` drops the refs it owns when the handle dies. */
export interface PyHandle {
  readonly cls: PyType;
  dispose?(ref: Ref): void;
}
const HANDLE_WORD = wordsAt(0);
/** word1: the tag of the table that word0 indexes (see State.tag). */
const HANDLE_TAG = HANDLE_WORD + 8;
/** New handle ref for `obj` (one handle per call). */
export function newHandle(obj: PyHandle): Ref {
  const r = H.newObject(K_HANDLE, 0, 2);
  const idx = S.freeHandles.length > 0 ? (S.freeHandles.pop() as number) : S.handles.length;
  S.handles[idx] = obj;
  i32[(r + HANDLE_WORD) >> 2] = idx;
  i32[(r + HANDLE_TAG) >> 2] = S.tag;
  return r;
}
/** The JS object of a handle ref, or null (also for another thread's handle in a shared heap). */
export function handleOf(r: Ref): PyHandle | null {
  if ((r & 1) !== 0 || u8[r] !== T_OBJECT || i32[(r + OFF_OBJ_KIND) >> 2] !== K_HANDLE) return null;
  if (i32[(r + HANDLE_TAG) >> 2] !== S.tag) return null;
  return S.handles[i32[(r + HANDLE_WORD) >> 2]] ?? null;
}

const excRefs = new WeakMap<PyExc, { heap: Heap; ref: Ref }>();
/** The handle ref of an exception (new ref; one handle per exception while it lives). */
export function excRef(e: PyExc): Ref {
  const c = excRefs.get(e);
  // the cached handle may have been freed (finalized) since: check it is still e's handle
  if (
    c !== undefined &&
    c.heap === H &&
    isLiveHandle(c.ref) &&
    S.handles[i32[(c.ref + HANDLE_WORD) >> 2]] === e
  ) {
    incref(c.ref);
    return c.ref;
  }
  const r = newHandle(e);
  excRefs.set(e, { heap: H, ref: r });
  return r;
}
/** The handle ref excRef last made for `e` in the current heap (maybe dead), or 0. */
export function cachedExcRef(e: PyExc): Ref {
  const c = excRefs.get(e);
  return c !== undefined && c.heap === H ? c.ref : 0;
}
function isLiveHandle(r: Ref): boolean {
  return u8[r] === T_OBJECT && i32[(r + OFF_OBJ_KIND) >> 2] === K_HANDLE && i32[(r >> 2) + 1] !== 0;
}
/** The exception of a handle ref, or null. */
export function excOf(r: Ref): PyExc | null {
  const h = handleOf(r);
  return h !== null && (h as { isExc?: boolean }).isExc === true ? (h as PyExc) : null;
}

// K_INSTANCE: slot0 attrs dict (or NONE); word0 PyType.index, word1 native id, word2 spare.
// Shareable between workers attached to one heap (no JS side).
const INST_WORD = wordsAt(1);
/** New instance of `t` (attrs NONE until {@link instanceSetAttrs}). */
export function newInstance(t: PyType, nativeId: number): Ref {
  const r = H.newObject(K_INSTANCE, 1, 3);
  initSlot(r, 0, NONE);
  const w = (r + INST_WORD) >> 3;
  i32[(r + INST_WORD) >> 2] = t.index;
  f64[w + 1] = nativeId;
  return r;
}
export function instanceType(r: Ref): PyType {
  return TYPES[i32[(r + INST_WORD) >> 2]];
}
export function instanceNative(r: Ref): number {
  return f64[((r + INST_WORD) >> 3) + 1];
}
export function setInstanceNative(r: Ref, v: number): void {
  f64[((r + INST_WORD) >> 3) + 1] = v;
}
/** Spare data word of an instance. */
export function instanceWord(r: Ref): number {
  return f64[((r + INST_WORD) >> 3) + 2];
}
export function setInstanceWord(r: Ref, v: number): void {
  f64[((r + INST_WORD) >> 3) + 2] = v;
}
/** Borrowed attrs dict, or NONE. */
export function instanceAttrs(r: Ref): Ref {
  return slot(r, 0);
}
/** The attrs dict of an instance, created on first use (borrowed). */
export function instanceDict(r: Ref): Ref {
  let d = slot(r, 0);
  if (d === NONE) {
    d = H.newDict();
    H.objectSetSteal(r, 0, d);
  }
  return d;
}

/** Keyword arguments helper: the value of `name` in kw (borrowed) or 0. */
export function kwGet(kw: Kw, name: string): Ref {
  if (kw === null) return 0;
  return kw.get(name) ?? 0;
}

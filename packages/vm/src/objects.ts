/**
 * MiniPy's object model on heap refs (see rt.ts): type objects, exceptions, the JS handle classes
 * (iterators, dict views, instances) and the protocols every operator needs — typeOf, truthiness,
 * ==, ordering, `in`, iteration — with CPython's semantics and error messages.
 *
 * Ownership (CPython's C API): parameters are borrowed, results are new references unless a
 * function says "borrowed".
 */
import {
  bigOf,
  bytesOf,
  cachedExcRef,
  decref,
  excRef,
  FALSE,
  f64,
  floatOf,
  H,
  handleOf,
  heapConst,
  i32,
  incref,
  intOf,
  isIntLike,
  isIntRef,
  isStr,
  K_BUILTIN,
  K_CELL,
  K_CODE,
  K_FUNCTION,
  K_HANDLE,
  K_INSTANCE,
  K_MODULE,
  K_RANGE,
  K_SLICE,
  K_TYPE,
  kindOf,
  listAt,
  listItems,
  listLen,
  locking,
  lockRef,
  NONE,
  newBytes,
  newFloat,
  newHandle,
  newInt,
  newStr,
  newTupleSteal,
  type PyHandle,
  type Ref,
  rangeLen,
  rangeStart,
  rangeStep,
  rangeStop,
  strOf,
  TRUE,
  TYPES,
  tupleAt,
  tupleLen,
  u8,
  unlockRef,
} from './rt.js';

export type { Ref } from './rt.js';
/** Any MiniPy value (a heap ref). Kept as an alias of {@link Ref} for older call sites. */
export type V = Ref;
/** Keyword arguments of a call (insertion ordered; values borrowed). */
export type Kw = Map<string, Ref> | null;
/** Native function: args and kw borrowed, result a new ref. Methods get `self` as `args[0]`. */
export type NativeFn = (args: Ref[], kw: Kw) => Ref;

// local copies of layout constants (checked in rt.test.ts through rt's copies)
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
const OFF_OBJ_KIND = 16;
const OFF_STR_BYTES = 16;
const OFF_STR_DATA = 32;
const F_HOST = 2;

/** Base of the JS objects that handle refs stand for (see rt.ts `newHandle`). */
export abstract class PyObject implements PyHandle {
  abstract get cls(): PyType;
  /** Drop the references this object owns (the handle died). */
  dispose?(ref: Ref): void;
}

/** A Python type object. Callable when `ctor` is set. Its value is `typeRef(t)`. */
export class PyType {
  /** Position in rt's TYPES table (creation order at module load: the same in every worker). */
  readonly index: number;
  /** Methods by name: native ids (rt `registerNative`). */
  readonly methods = new Map<string, number>();
  /**
   * Class-level attributes whose ref is the same in every heap (tagged ints, NONE, TRUE, FALSE).
   * Anything allocated (strs, builtins, types) goes in {@link lazyAttrs}: a PyType outlives heaps.
   */
  readonly attrs = new Map<string, Ref>();
  /** Class-level attributes made per heap on first use (the factory returns a new ref; kept immortal). */
  readonly lazyAttrs = new Map<string, () => Ref>();
  constructor(
    readonly name: string,
    readonly base: PyType | null,
    public ctor: NativeFn | null = null,
    /** Exception types: instances are PyExc. */
    readonly isExc = false,
  ) {
    this.index = TYPES.length;
    TYPES.push(this);
  }
  /** Borrowed class attribute `name` in the current heap (attrs, then lazyAttrs), or undefined. */
  attr(name: string): Ref | undefined {
    const a = this.attrs.get(name);
    if (a !== undefined) return a;
    const make = this.lazyAttrs.get(name);
    return make === undefined ? undefined : heapConst(this, name, make);
  }
  /** Names of every class attribute. */
  attrNames(): string[] {
    return [...this.attrs.keys(), ...this.lazyAttrs.keys()];
  }
  isSubtype(t: PyType): boolean {
    for (let c: PyType | null = this; c; c = c.base) if (c === t) return true;
    return false;
  }
}

/** A JS copy of a value ref that can be made into an equal ref again (see PyExc.dispose). */
type Snap = number | string | { f: number } | { b: bigint } | { y: Uint8Array } | { t: Snap[] };

function snap(r: Ref): Snap | undefined {
  // tagged ints and None/True/False are the same ref in every heap and never freed
  if ((r & 1) !== 0 || r === NONE || r === TRUE || r === FALSE) return r;
  switch (u8[r]) {
    case T_STR:
      return strOf(r);
    case T_INT:
    case T_BIGINT:
      return { b: bigOf(r) };
    case T_FLOAT:
      return { f: floatOf(r) };
    case T_BYTES:
      return { y: bytesOf(r) };
    case T_TUPLE: {
      const items: Snap[] = [];
      for (let k = 0; k < tupleLen(r); k++) {
        const sn = snap(tupleAt(r, k));
        if (sn === undefined) return undefined;
        items.push(sn);
      }
      return { t: items };
    }
  }
  return undefined;
}

function unsnap(s: Snap): Ref {
  if (typeof s === 'number') return s;
  if (typeof s === 'string') return newStr(s);
  if ('f' in s) return newFloat(s.f);
  if ('b' in s) return newInt(s.b);
  if ('y' in s) return newBytes(s.y);
  return newTupleSteal(s.t.map(unsnap));
}

/** An exception instance (a JS object; its Python value is the handle `excRef(e)`). */
export class PyExc extends PyObject {
  /** Marks exceptions for rt's `excOf`. */
  readonly isExc = true;
  /** Traceback entries, innermost last: [filename, line, function name]. */
  tb: [string, number, string][] = [];
  cause: PyExc | null = null;
  context: PyExc | null = null;
  suppressContext = false;
  /** Extra attributes (e.g. StopIteration.value); owned refs. TODO(leak): never released. */
  attrs: Map<string, Ref> | null = null;
  private argRefs: Ref[] | null;
  /** The args array made from `message` or `snapshot` (safe to drop: it can be made again). */
  private derived: Ref[] | null = null;
  /** JS copies of args given as refs, kept when the handle died (made into refs again on read). */
  private snapshot: Snap[] | null = null;
  /**
   * `args` given as `refs` (owned), or, with `refs` null, one message made into a str only when
   * someone reads `args`: an exception raised and caught inside the vm (KeyError from a lookup,
   * ValueError from int()) then allocates nothing in the heap.
   */
  constructor(
    readonly type: PyType,
    refs: Ref[] | null,
    /** The message of an exception made by {@link pyErr} (undefined: none, or given as args). */
    readonly message?: string,
  ) {
    super();
    this.argRefs = refs;
  }
  /** Owned refs (borrowed by readers: valid while the exception's handle lives, see dispose). */
  get args(): Ref[] {
    let a = this.argRefs;
    if (a === null) {
      if (this.snapshot !== null) a = this.snapshot.map(unsnap);
      else a = this.message === undefined ? [] : [newStr(this.message)];
      this.argRefs = a;
      this.derived = a;
    }
    return a;
  }
  set args(refs: Ref[]) {
    this.argRefs = refs;
    this.derived = null;
    this.snapshot = null;
  }
  /**
   * True while the args are exactly `[message]` (or `[]` without one) as pyErr made them, so
   * repr/str can use {@link message} and allocate nothing.
   */
  get messageOnly(): boolean {
    return this.snapshot === null && (this.argRefs === null || this.argRefs === this.derived);
  }
  /**
   * The handle died. The JS object may live on (thrown, chained as a context), so args are not
   * simply dropped: args made from the message are (made again if read), and args given as refs
   * are when every one is a value (str, int, float, bytes, None, bool, tuples of those) that a JS
   * snapshot can make again. Others (functions, lists...) stay owned. TODO(leak)
   */
  override dispose(ref: Ref): void {
    const a = this.argRefs;
    if (a === null || cachedExcRef(this) !== ref) return;
    if (a !== this.derived) {
      const snaps: Snap[] = [];
      for (const r of a) {
        const sn = snap(r);
        if (sn === undefined) return;
        snaps.push(sn);
      }
      this.snapshot = snaps;
    }
    this.argRefs = null;
    this.derived = null;
    for (const r of a) decref(r);
  }
  override get cls(): PyType {
    return this.type;
  }
}

/** Base of iterator objects: `next()` returns a new ref, or 0 when exhausted. */
export abstract class PyIter extends PyObject {
  abstract next(): Ref;
  override get cls(): PyType {
    return iteratorType;
  }
}

/** A generic object with attributes and a type (sha256 objects...); a handle. */
export class PyInstance extends PyObject {
  /** Attributes (owned refs). */
  readonly attrs = new Map<string, Ref>();
  constructor(
    readonly type: PyType,
    /** Native state (hash state...). */
    public native: unknown = null,
  ) {
    super();
  }
  override get cls(): PyType {
    return this.type;
  }
  /** Set an attribute (takes its own reference, drops the old one). */
  setAttr(name: string, v: Ref): void {
    incref(v);
    const old = this.attrs.get(name);
    this.attrs.set(name, v);
    if (old !== undefined) decref(old);
  }
  override dispose(): void {
    const vals = [...this.attrs.values()];
    this.attrs.clear();
    for (const v of vals) decref(v);
  }
}

// ---- type objects ----
export const objectType = new PyType('object', null);
export const typeType = new PyType('type', objectType);
export const noneType = new PyType('NoneType', objectType);
export const intType = new PyType('int', objectType);
export const boolType = new PyType('bool', intType);
export const floatType = new PyType('float', objectType);
export const strType = new PyType('str', objectType);
export const bytesType = new PyType('bytes', objectType);
export const listType = new PyType('list', objectType);
export const tupleType = new PyType('tuple', objectType);
export const dictType = new PyType('dict', objectType);
export const setType = new PyType('set', objectType);
export const frozensetType = new PyType('frozenset', objectType);
export const rangeType = new PyType('range', objectType);
export const sliceType = new PyType('slice', objectType);
export const functionType = new PyType('function', objectType);
export const builtinType = new PyType('builtin_function_or_method', objectType);
export const moduleType = new PyType('module', objectType);
export const cellType = new PyType('cell', objectType);
export const iteratorType = new PyType('iterator', objectType);
export const generatorType = new PyType('generator', objectType);
export const codeType = new PyType('code', objectType);
/**
 * CPython's iterator type names (`type(iter([]))` is list_iterator...), subtypes of iteratorType;
 * made at load in a fixed order (PyType.index must agree between workers).
 */
export const iterTypes = {
  list_iterator: new PyType('list_iterator', iteratorType),
  tuple_iterator: new PyType('tuple_iterator', iteratorType),
  range_iterator: new PyType('range_iterator', iteratorType),
  str_ascii_iterator: new PyType('str_ascii_iterator', iteratorType),
  str_iterator: new PyType('str_iterator', iteratorType),
  bytes_iterator: new PyType('bytes_iterator', iteratorType),
  dict_keyiterator: new PyType('dict_keyiterator', iteratorType),
  dict_valueiterator: new PyType('dict_valueiterator', iteratorType),
  dict_itemiterator: new PyType('dict_itemiterator', iteratorType),
  set_iterator: new PyType('set_iterator', iteratorType),
  list_reverseiterator: new PyType('list_reverseiterator', iteratorType),
  map: new PyType('map', iteratorType),
  zip: new PyType('zip', iteratorType),
  enumerate: new PyType('enumerate', iteratorType),
  filter: new PyType('filter', iteratorType),
  reversed: new PyType('reversed', iteratorType),
  callable_iterator: new PyType('callable_iterator', iteratorType),
} as const;

// ---- exceptions ----
const excTypes = new Map<string, PyType>();
function exc(name: string, base: PyType | null): PyType {
  const t = new PyType(name, base ?? objectType, null, true);
  excTypes.set(name, t);
  return t;
}
export const BaseException = exc('BaseException', null);
export const SystemExit = exc('SystemExit', BaseException);
export const KeyboardInterrupt = exc('KeyboardInterrupt', BaseException);
export const GeneratorExit = exc('GeneratorExit', BaseException);
export const Exception = exc('Exception', BaseException);
export const StopIteration = exc('StopIteration', Exception);
export const ArithmeticError = exc('ArithmeticError', Exception);
export const ZeroDivisionError = exc('ZeroDivisionError', ArithmeticError);
export const OverflowError = exc('OverflowError', ArithmeticError);
export const AssertionError = exc('AssertionError', Exception);
export const AttributeError = exc('AttributeError', Exception);
export const LookupError = exc('LookupError', Exception);
export const IndexError = exc('IndexError', LookupError);
export const KeyError = exc('KeyError', LookupError);
export const NameError = exc('NameError', Exception);
export const UnboundLocalError = exc('UnboundLocalError', NameError);
export const RuntimeError = exc('RuntimeError', Exception);
export const NotImplementedError = exc('NotImplementedError', RuntimeError);
export const RecursionError = exc('RecursionError', RuntimeError);
export const PyTypeError = exc('TypeError', Exception);
export const ValueError = exc('ValueError', Exception);
export const UnicodeError = exc('UnicodeError', ValueError);
export const UnicodeDecodeError = exc('UnicodeDecodeError', UnicodeError);
export const ImportError = exc('ImportError', Exception);
export const ModuleNotFoundError = exc('ModuleNotFoundError', ImportError);
export const MemoryError = exc('MemoryError', Exception);
export const OSError = exc('OSError', Exception);
export const TimeoutError = exc('TimeoutError', OSError);
export const PySyntaxErrorType = exc('SyntaxError', Exception);
export const SystemError = exc('SystemError', Exception);
/** All builtin exception types by name. */
export const EXCEPTION_TYPES: ReadonlyMap<string, PyType> = excTypes;

/** Create an exception instance with a message (a new str in the current heap). */
export function pyErr(type: PyType, msg?: string): PyExc {
  return new PyExc(type, msg === undefined ? [] : null, msg);
}

/** Create an exception whose args are the given refs (increfs them). */
export function pyErrArgs(type: PyType, args: readonly Ref[]): PyExc {
  for (const a of args) incref(a);
  return new PyExc(type, args.slice());
}

/**
 * The Python exception for an error the heap threw (its errors carry `pyType`, e.g. unhashable
 * keys: TypeError "unhashable type: 'list'"; a full heap: MemoryError), or null for other errors.
 */
export function fromHeapError(e: unknown): PyExc | null {
  if (e instanceof PyExc) return e;
  if (e instanceof Error && typeof (e as { pyType?: unknown }).pyType === 'string') {
    const pt = (e as unknown as { pyType: string }).pyType;
    const t = excTypes.get(pt) ?? SystemError;
    if (t === MemoryError) return new PyExc(t, []);
    return pyErr(t, e.message);
  }
  return null;
}

// ---- small helpers ----
export const MAX_SAFE = 9007199254740991;

/** Normalize a bigint to a number when it is a safe integer. */
export function normBig(b: bigint): number | bigint {
  return b >= -9007199254740991n && b <= 9007199254740991n ? Number(b) : b;
}

/** The type of a value. */
export function typeOf(r: Ref): PyType {
  if ((r & 1) !== 0) return intType;
  switch (u8[r]) {
    case T_INT:
    case T_BIGINT:
      return intType;
    case T_STR:
      return strType;
    case T_BOOL:
      return boolType;
    case T_NONE:
      return noneType;
    case T_FLOAT:
      return floatType;
    case T_LIST:
      return listType;
    case T_TUPLE:
      return tupleType;
    case T_DICT:
      return dictType;
    case T_SET:
      return (u8[r + 1] & F_HOST) !== 0 ? frozensetType : setType;
    case T_BYTES:
      return bytesType;
    case T_OBJECT:
      switch (i32[(r + OFF_OBJ_KIND) >> 2]) {
        case K_HANDLE: {
          const h = handleOf(r);
          return h === null ? objectType : h.cls;
        }
        case K_TYPE:
          return typeType;
        case K_FUNCTION:
          return functionType;
        case K_BUILTIN:
          return builtinType;
        case K_CELL:
          return cellType;
        case K_RANGE:
          return rangeType;
        case K_SLICE:
          return sliceType;
        case K_MODULE:
          return moduleType;
        case K_CODE:
          return codeType;
        case K_INSTANCE:
          return TYPES[i32[(r + 40) >> 2]] ?? objectType;
      }
  }
  return objectType;
}

export function typeName(r: Ref): string {
  return typeOf(r).name;
}

/** int or bool. */
export function isInt(r: Ref): boolean {
  return isIntLike(r);
}

export function isinstance(r: Ref, t: PyType): boolean {
  return typeOf(r).isSubtype(t);
}

/** Python truthiness. */
export function truthy(r: Ref): boolean {
  if ((r & 1) !== 0) return r !== 1;
  switch (u8[r]) {
    case T_BOOL:
    case T_INT:
    case T_FLOAT:
      return f64[(r + 16) >> 3] !== 0;
    case T_NONE:
      return false;
    case T_STR:
    case T_BYTES:
      return i32[(r + OFF_STR_BYTES) >> 2] > 0;
    case T_TUPLE:
      return tupleLen(r) > 0;
    case T_LIST:
      return listLen(r) > 0;
    case T_DICT:
      return H.dictLen(r) > 0;
    case T_SET:
      return H.setLen(r) > 0;
    case T_BIGINT:
      return true;
    case T_OBJECT:
      if (i32[(r + OFF_OBJ_KIND) >> 2] === K_RANGE) return rangeLen(r) > 0;
      return true;
  }
  return true;
}

/** Python `hash()`: TypeError for unhashable values. */
export function hashOf(r: Ref): number {
  try {
    return H.hash(r);
  } catch (e) {
    throw fromHeapError(e) ?? e;
  }
}

/** A key the heap can hash without failing (tagged int or str): no try/catch needed. */
function simpleKey(k: Ref): boolean {
  return (k & 1) !== 0 || u8[k] === T_STR;
}

/** Borrowed `d[k]`, or 0 when absent (TypeError for an unhashable key). */
export function dictLookup(d: Ref, k: Ref): Ref {
  if (simpleKey(k) && !locking) return H.dictGet(d, k);
  lockRef(d);
  try {
    return H.dictGet(d, k);
  } catch (e) {
    throw fromHeapError(e) ?? e;
  } finally {
    unlockRef(d);
  }
}

/** `d[k] = v` (takes its own references; TypeError for an unhashable key). */
export function dictStore(d: Ref, k: Ref, v: Ref): void {
  if (simpleKey(k) && !locking) {
    H.dictSet(d, k, v);
    return;
  }
  lockRef(d);
  try {
    H.dictSet(d, k, v);
  } catch (e) {
    throw fromHeapError(e) ?? e;
  } finally {
    unlockRef(d);
  }
}

/** `s.add(k)` (takes its own reference; TypeError for an unhashable key). */
export function setAddKey(s: Ref, k: Ref): void {
  if (simpleKey(k) && !locking) {
    H.setAdd(s, k);
    return;
  }
  lockRef(s);
  try {
    H.setAdd(s, k);
  } catch (e) {
    throw fromHeapError(e) ?? e;
  } finally {
    unlockRef(s);
  }
}

/** `k in s` for a set (TypeError for an unhashable key). */
export function setHasKey(s: Ref, k: Ref): boolean {
  if (simpleKey(k) && !locking) return H.setContains(s, k);
  lockRef(s);
  try {
    return H.setContains(s, k);
  } catch (e) {
    throw fromHeapError(e) ?? e;
  } finally {
    unlockRef(s);
  }
}

/** `id()`: the object's address (tagged ints get a distinct odd-based number). */
export function objectId(r: Ref): number {
  return 0x7f0000000000 + r;
}

// ---- numbers ----

/** Exact value of an int-like (int or bool). */
export function toBigInt(r: Ref): bigint {
  return bigOf(r);
}

/** Float value of a number-like (int, bool, float), or undefined if not numeric. */
export function toFloat(r: Ref): number | undefined {
  if ((r & 1) !== 0) return r >> 1;
  switch (u8[r]) {
    case T_INT:
    case T_BOOL:
    case T_FLOAT:
      return f64[(r + 16) >> 3];
    case T_BIGINT: {
      const f = Number(H.bigIntValue(r));
      if (!Number.isFinite(f)) throw pyErr(OverflowError, 'int too large to convert to float');
      return f;
    }
  }
  return undefined;
}

/** New float ref. */
export function mkFloat(x: number): Ref {
  return newFloat(x);
}

/** New int ref from a JS number/bigint (normalized). */
export function mkInt(x: number | bigint): Ref {
  return newInt(x);
}

/** Index for sequences: ints and bools only. */
export function asIndex(r: Ref, what = 'indices'): number {
  if ((r & 1) !== 0) return r >> 1;
  const t = u8[r];
  if (t === T_INT || t === T_BOOL) return f64[(r + 16) >> 3];
  if (t === T_BIGINT) return Number(H.bigIntValue(r));
  throw pyErr(PyTypeError, `${what} must be integers or slices, not ${typeName(r)}`);
}

// ---- iterators ----

/** Iterates a list (live: sees appends, as Python's list iterator) or a tuple; owns its ref. */
export class SeqIter extends PyIter {
  i = 0;
  private done = false;
  constructor(readonly seq: Ref) {
    super();
    incref(seq);
  }
  override get cls(): PyType {
    return u8[this.seq] === T_LIST ? iterTypes.list_iterator : iterTypes.tuple_iterator;
  }
  next(): Ref {
    if (this.done) return 0;
    const s = this.seq;
    const isList = u8[s] === T_LIST;
    const n = isList ? listLen(s) : tupleLen(s);
    if (this.i >= n) {
      this.release();
      return 0;
    }
    const v = isList ? listAt(s, this.i++) : tupleAt(s, this.i++);
    incref(v);
    return v;
  }
  /** Exhausted: drop the sequence early (as CPython's iterators do). */
  private release(): void {
    this.done = true;
    decref(this.seq);
  }
  override dispose(): void {
    if (!this.done) this.release();
  }
}
/** Iterates a str by code points (a JS string copy: no heap refs held). */
export class StrIter extends PyIter {
  i = 0;
  constructor(readonly s: string) {
    super();
  }
  override get cls(): PyType {
    for (let k = 0; k < this.s.length; k++) if (this.s.charCodeAt(k) > 0x7f) return iterTypes.str_iterator;
    return iterTypes.str_ascii_iterator;
  }
  next(): Ref {
    if (this.i >= this.s.length) return 0;
    const cp = this.s.codePointAt(this.i)!;
    const ch = String.fromCodePoint(cp);
    this.i += ch.length;
    return newStr(ch);
  }
}
export class RangeIter extends PyIter {
  i = 0;
  constructor(
    public cur: number,
    readonly step: number,
    readonly n: number,
  ) {
    super();
  }
  override get cls(): PyType {
    return iterTypes.range_iterator;
  }
  next(): Ref {
    if (this.i >= this.n) return 0;
    this.i++;
    const v = this.cur;
    this.cur += this.step;
    return newInt(v);
  }
}
/** Iterates bytes as ints. */
export class BytesIter extends PyIter {
  i = 0;
  constructor(readonly b: Uint8Array) {
    super();
  }
  override get cls(): PyType {
    return iterTypes.bytes_iterator;
  }
  next(): Ref {
    return this.i < this.b.length ? newInt(this.b[this.i++]) : 0;
  }
}
/** Iterates a dict's keys, values or items (owns the dict ref); size changes raise RuntimeError. */
export class DictIter extends PyIter {
  private pos = -1;
  private readonly size: number;
  private done = false;
  constructor(
    readonly d: Ref,
    readonly kind: 'keys' | 'values' | 'items',
  ) {
    super();
    incref(d);
    this.size = H.dictLen(d);
  }
  override get cls(): PyType {
    const k = this.kind;
    return k === 'keys'
      ? iterTypes.dict_keyiterator
      : k === 'values'
        ? iterTypes.dict_valueiterator
        : iterTypes.dict_itemiterator;
  }
  next(): Ref {
    if (this.done) return 0;
    const d = this.d;
    if (H.dictLen(d) !== this.size) throw pyErr(RuntimeError, 'dictionary changed size during iteration');
    const p = H.dictNext(d, this.pos);
    if (p < 0) {
      this.done = true;
      decref(d);
      return 0;
    }
    this.pos = p;
    if (this.kind === 'keys') {
      const k = H.dictKeyAt(d, p);
      incref(k);
      return k;
    }
    const v = H.dictValueAt(d, p);
    incref(v);
    if (this.kind === 'values') return v;
    const k = H.dictKeyAt(d, p);
    incref(k);
    return newTupleSteal([k, v]);
  }
  override dispose(): void {
    if (!this.done) {
      this.done = true;
      decref(this.d);
    }
  }
}
/** Iterates a set (owns its ref); size changes raise RuntimeError. */
export class SetIter extends PyIter {
  private pos = -1;
  private size: number;
  private done = false;
  constructor(readonly s: Ref) {
    super();
    incref(s);
    this.size = H.setLen(s);
  }
  override get cls(): PyType {
    return iterTypes.set_iterator;
  }
  next(): Ref {
    if (this.done) return 0;
    const s = this.s;
    if (H.setLen(s) !== this.size) {
      this.size = -1;
      throw pyErr(RuntimeError, 'Set changed size during iteration');
    }
    const p = H.setNext(s, this.pos);
    if (p < 0) {
      this.done = true;
      decref(s);
      return 0;
    }
    this.pos = p;
    const k = H.setKeyAt(s, p);
    incref(k);
    return k;
  }
  override dispose(): void {
    if (!this.done) {
      this.done = true;
      decref(this.s);
    }
  }
}
/**
 * An iterator implemented by a JS generator of new refs (map, filter, zip, enumerate, reversed...).
 * `onDispose` drops what the generator holds if it is abandoned.
 */
export class JsIter extends PyIter {
  constructor(
    readonly g: Iterator<Ref>,
    readonly typeName: string,
    readonly onDispose?: () => void,
  ) {
    super();
  }
  override get cls(): PyType {
    return (iterTypes as Record<string, PyType>)[this.typeName] ?? iteratorType;
  }
  next(): Ref {
    const r = this.g.next();
    return r.done ? 0 : r.value;
  }
  override dispose(): void {
    this.g.return?.();
    this.onDispose?.();
  }
}
/** dict.keys()/values()/items() views (own the dict ref). */
export class PyDictView extends PyObject {
  constructor(
    readonly d: Ref,
    readonly kind: 'keys' | 'values' | 'items',
  ) {
    super();
    incref(d);
  }
  override get cls(): PyType {
    return dictViewTypes[this.kind];
  }
  override dispose(): void {
    decref(this.d);
  }
}
export const dictViewTypes = {
  keys: new PyType('dict_keys', objectType),
  values: new PyType('dict_values', objectType),
  items: new PyType('dict_items', objectType),
};

/** Hooks filled by the eval loop: iteration of generators and other special objects. */
export const iterHooks: {
  /** New iterator ref for `r`, or 0 if the hook does not know it. */
  getIter: ((r: Ref) => Ref) | null;
  /** Next item of an iterator that is not a PyIter handle: new ref, or 0 when exhausted. */
  next: ((it: Ref) => Ref) | null;
} = { getIter: null, next: null };

/** The PyIter of a handle ref, or null. */
function pyIterOf(r: Ref): PyIter | null {
  const h = handleOf(r);
  return h instanceof PyIter ? h : null;
}

/** `iter(r)`: a new ref to an iterator. */
export function getIter(r: Ref): Ref {
  const it = makeIter(r);
  if (it !== null) return newHandle(it);
  if (pyIterOf(r) !== null) {
    incref(r);
    return r;
  }
  const h = iterHooks.getIter?.(r) ?? 0;
  if (h !== 0) return h;
  throw pyErr(PyTypeError, `'${typeName(r)}' object is not iterable`);
}

/** A fresh JS iterator over a builtin iterable, or null. */
function makeIter(r: Ref): PyIter | null {
  if ((r & 1) !== 0) return null;
  switch (u8[r]) {
    case T_LIST:
    case T_TUPLE:
      return new SeqIter(r);
    case T_STR:
      return new StrIter(strOf(r));
    case T_DICT:
      return new DictIter(r, 'keys');
    case T_SET:
      return new SetIter(r);
    case T_BYTES:
      return new BytesIter(bytesOf(r));
    case T_OBJECT: {
      const k = i32[(r + OFF_OBJ_KIND) >> 2];
      if (k === K_RANGE) return new RangeIter(rangeStart(r), rangeStep(r), rangeLen(r));
      if (k === K_HANDLE) {
        const h = handleOf(r);
        if (h instanceof PyDictView) return new DictIter(h.d, h.kind);
      }
      return null;
    }
  }
  return null;
}

/** `next(it)`: a new ref, or 0 when exhausted. */
export function iterNext(it: Ref): Ref {
  const p = pyIterOf(it);
  if (p !== null) return p.next();
  if (iterHooks.next !== null) return iterHooks.next(it);
  throw pyErr(PyTypeError, `'${typeName(it)}' object is not an iterator`);
}

/**
 * Call `fn` with every item of an iterable (borrowed: valid during the call); `false` stops.
 * Lists are indexed live, as Python's list iterator does.
 */
export function forEach(iterable: Ref, fn: (item: Ref) => unknown): void {
  if ((iterable & 1) === 0) {
    const t = u8[iterable];
    if (t === T_LIST || t === T_TUPLE) {
      const isList = t === T_LIST;
      incref(iterable);
      try {
        for (let i = 0; i < (isList ? listLen(iterable) : tupleLen(iterable)); i++) {
          const v = isList ? listAt(iterable, i) : tupleAt(iterable, i);
          incref(v);
          let r: unknown;
          try {
            r = fn(v);
          } finally {
            decref(v);
          }
          if (r === false) return;
        }
      } finally {
        decref(iterable);
      }
      return;
    }
    if (t === T_OBJECT && i32[(iterable + OFF_OBJ_KIND) >> 2] === K_RANGE) {
      const n = rangeLen(iterable);
      const step = rangeStep(iterable);
      for (let i = 0, x = rangeStart(iterable); i < n; i++, x += step) {
        const v = newInt(x);
        let r: unknown;
        try {
          r = fn(v);
        } finally {
          decref(v);
        }
        if (r === false) return;
      }
      return;
    }
  }
  // A builtin iterable: iterate a JS iterator directly (no handle in the heap).
  const local = makeIter(iterable);
  const it = local === null ? getIter(iterable) : 0;
  // call the PyIter directly: one JS frame less per item on deep recursion through builtins
  const p = local ?? pyIterOf(it);
  try {
    for (;;) {
      const v = p !== null ? p.next() : iterNext(it);
      if (v === 0) return;
      let r: unknown;
      try {
        r = fn(v);
      } finally {
        decref(v);
      }
      if (r === false) return;
    }
  } finally {
    if (local !== null) local.dispose?.(0);
    else decref(it);
  }
}

/** Iterate any iterable as a JS generator of borrowed refs (valid until the next step). */
export function* iterate(r: Ref): Generator<Ref> {
  const local = makeIter(r);
  const it = local === null ? getIter(r) : 0;
  const p = local ?? pyIterOf(it);
  try {
    for (;;) {
      const v = p !== null ? p.next() : iterNext(it);
      if (v === 0) return;
      try {
        yield v;
      } finally {
        decref(v);
      }
    }
  } finally {
    if (local !== null) local.dispose?.(0);
    else decref(it);
  }
}

/** Materialize an iterable as a JS array of new refs (decref each, or hand them to a *Steal). */
export function toArray(r: Ref): Ref[] {
  if ((r & 1) === 0) {
    const t = u8[r];
    if (t === T_LIST || t === T_TUPLE) {
      const out = t === T_LIST ? listItems(r) : tupleItemsCopy(r);
      for (let k = 0; k < out.length; k++) incref(out[k]);
      return out;
    }
    if (t === T_OBJECT && i32[(r + OFF_OBJ_KIND) >> 2] === K_RANGE) {
      const n = rangeLen(r);
      const step = rangeStep(r);
      const out = new Array<Ref>(n);
      for (let i = 0, x = rangeStart(r); i < n; i++, x += step) out[i] = newInt(x);
      return out;
    }
  }
  const out: Ref[] = [];
  const local = makeIter(r);
  const it = local === null ? getIter(r) : 0;
  const p = local ?? pyIterOf(it);
  try {
    for (;;) {
      const x = p !== null ? p.next() : iterNext(it);
      if (x === 0) return out;
      out.push(x);
    }
  } catch (e) {
    for (const x of out) decref(x);
    throw e;
  } finally {
    if (local !== null) local.dispose?.(0);
    else decref(it);
  }
}

function tupleItemsCopy(t: Ref): Ref[] {
  const n = tupleLen(t);
  const out = new Array<Ref>(n);
  for (let k = 0; k < n; k++) out[k] = tupleAt(t, k);
  return out;
}

// ---- equality and ordering ----

/** Python `==`. */
export function eq(a: Ref, b: Ref): boolean {
  if (a === b) return !((a & 1) === 0 && u8[a] === T_FLOAT && Number.isNaN(f64[(a + 16) >> 3]));
  const ta = (a & 1) !== 0 ? T_INT : u8[a];
  const tb = (b & 1) !== 0 ? T_INT : u8[b];
  const na = ta === T_INT || ta === T_BOOL || ta === T_FLOAT;
  const nb = tb === T_INT || tb === T_BOOL || tb === T_FLOAT;
  if (na && nb) return numValue(a) === numValue(b);
  if (ta === T_BIGINT || tb === T_BIGINT) {
    if (!(na || ta === T_BIGINT) || !(nb || tb === T_BIGINT)) return false;
    if (ta === T_FLOAT) return floatEqBig(floatOf(a), H.bigIntValue(b));
    if (tb === T_FLOAT) return floatEqBig(floatOf(b), H.bigIntValue(a));
    return bigOf(a) === bigOf(b);
  }
  if (ta !== tb) {
    if (ta === T_OBJECT && tb === T_SET) return viewEqSet(a, b);
    if (tb === T_OBJECT && ta === T_SET) return viewEqSet(b, a);
    return false;
  }
  switch (ta) {
    case T_STR:
    case T_BYTES:
      return bytesCmp(a, b) === 0;
    case T_TUPLE: {
      const n = tupleLen(a);
      if (n !== tupleLen(b)) return false;
      for (let k = 0; k < n; k++) {
        const x = tupleAt(a, k);
        const y = tupleAt(b, k);
        if (x !== y && !eq(x, y)) return false;
      }
      return true;
    }
    case T_LIST: {
      if (listLen(a) !== listLen(b)) return false;
      for (let k = 0; k < listLen(a) && k < listLen(b); k++) {
        const x = listAt(a, k);
        const y = listAt(b, k);
        if (x !== y && !eq(x, y)) return false;
      }
      return listLen(a) === listLen(b);
    }
    case T_DICT: {
      if (H.dictLen(a) !== H.dictLen(b)) return false;
      for (let p = H.dictNext(a, -1); p >= 0; p = H.dictNext(a, p)) {
        const bv = H.dictGet(b, H.dictKeyAt(a, p));
        if (bv === 0) return false;
        const av = H.dictValueAt(a, p);
        if (av !== bv && !eq(av, bv)) return false;
      }
      return true;
    }
    case T_SET:
      return setEq(a, b);
    case T_OBJECT: {
      const ka = kindOf(a);
      const kb = kindOf(b);
      if (ka === K_RANGE && kb === K_RANGE) {
        const la = rangeLen(a);
        if (la !== rangeLen(b)) return false;
        if (la === 0) return true;
        return rangeStart(a) === rangeStart(b) && (la === 1 || rangeStep(a) === rangeStep(b));
      }
      if (ka === K_HANDLE && kb === K_HANDLE) {
        const va = handleOf(a);
        const vb = handleOf(b);
        if (
          va instanceof PyDictView &&
          vb instanceof PyDictView &&
          va.kind === 'keys' &&
          vb.kind === 'keys'
        ) {
          if (H.dictLen(va.d) !== H.dictLen(vb.d)) return false;
          for (let p = H.dictNext(va.d, -1); p >= 0; p = H.dictNext(va.d, p)) {
            if (H.dictGet(vb.d, H.dictKeyAt(va.d, p)) === 0) return false;
          }
          return true;
        }
      }
      return false;
    }
  }
  return false;
}

/** Value of an int/bool/float that is not a big int. */
function numValue(r: Ref): number {
  return (r & 1) !== 0 ? r >> 1 : f64[(r + 16) >> 3];
}

function floatEqBig(f: number, i: bigint): boolean {
  return Number.isInteger(f) && BigInt(f) === i;
}

function setEq(a: Ref, b: Ref): boolean {
  if (H.setLen(a) !== H.setLen(b)) return false;
  for (let p = H.setNext(a, -1); p >= 0; p = H.setNext(a, p)) {
    if (!H.setContains(b, H.setKeyAt(a, p))) return false;
  }
  return true;
}

/** dict_keys view == set. */
function viewEqSet(v: Ref, s: Ref): boolean {
  const h = handleOf(v);
  if (!(h instanceof PyDictView) || h.kind !== 'keys') return false;
  if (H.dictLen(h.d) !== H.setLen(s)) return false;
  for (let p = H.dictNext(h.d, -1); p >= 0; p = H.dictNext(h.d, p)) {
    if (!H.setContains(s, H.dictKeyAt(h.d, p))) return false;
  }
  return true;
}

/**
 * Compare two str (or two bytes) objects: negative, 0 or positive. UTF-8 byte order is code
 * point order, so str comparison needs no decoding (and orders astral characters as Python does).
 */
export function bytesCmp(a: Ref, b: Ref): number {
  const la = i32[(a + OFF_STR_BYTES) >> 2];
  const lb = i32[(b + OFF_STR_BYTES) >> 2];
  const n = Math.min(la, lb);
  const pa = a + OFF_STR_DATA;
  const pb = b + OFF_STR_DATA;
  for (let k = 0; k < n; k++) {
    const x = u8[pa + k];
    const y = u8[pb + k];
    if (x !== y) return x - y;
  }
  return la - lb;
}

const OP_SYMBOL: Record<string, string> = { lt: '<', le: '<=', gt: '>', ge: '>=' };

/** `a < b`. Throws TypeError for unorderable types. */
export function lt(a: Ref, b: Ref, op = 'lt', swapped = false): boolean {
  if ((a & b & 1) !== 0) return a < b; // tagged ints order like their values
  const fa = numLike(a);
  const fb = numLike(b);
  if (fa !== undefined && fb !== undefined) return fa < fb;
  const ta = (a & 1) !== 0 ? T_INT : u8[a];
  const tb = (b & 1) !== 0 ? T_INT : u8[b];
  if (ta === tb) {
    switch (ta) {
      case T_STR:
      case T_BYTES:
        return bytesCmp(a, b) < 0;
      case T_LIST:
        return seqLt(listItems(a), listItems(b));
      case T_TUPLE:
        return seqLt(tupleItemsCopy(a), tupleItemsCopy(b));
      case T_SET: {
        if (H.setLen(a) >= H.setLen(b)) return false;
        for (let p = H.setNext(a, -1); p >= 0; p = H.setNext(a, p)) {
          if (!H.setContains(b, H.setKeyAt(a, p))) return false;
        }
        return true;
      }
    }
  }
  throw pyErr(
    PyTypeError,
    `'${OP_SYMBOL[op]}' not supported between instances of '${typeName(swapped ? b : a)}' and '${typeName(swapped ? a : b)}'`,
  );
}

/**
 * `a < b` for JS strings by code points (JS compares UTF-16 units, which orders astral characters
 * below U+E000..U+FFFF).
 */
export function strLt(a: string, b: string): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(i);
    if (ca !== cb) {
      const sa = ca >= 0xd800 && ca < 0xe000;
      const sb = cb >= 0xd800 && cb < 0xe000;
      if (sa !== sb && ca >= 0xd800 && cb >= 0xd800) return !sa;
      return ca < cb;
    }
  }
  return a.length < b.length;
}

/** Compare with Python semantics: op in lt/le/gt/ge. */
export function compare(a: Ref, b: Ref, op: 'lt' | 'le' | 'gt' | 'ge'): boolean {
  switch (op) {
    case 'lt':
      return lt(a, b, 'lt');
    case 'gt':
      return lt(b, a, 'gt', true);
    case 'le': {
      if (isSetRef(a) && isSetRef(b)) return lt(a, b) || eq(a, b);
      const x = numLike(a);
      const y = numLike(b);
      return x !== undefined && y !== undefined ? x <= y : !lt(b, a, 'le', true);
    }
    case 'ge': {
      if (isSetRef(a) && isSetRef(b)) return lt(b, a) || eq(a, b);
      const x = numLike(a);
      const y = numLike(b);
      return x !== undefined && y !== undefined ? x >= y : !lt(a, b, 'ge');
    }
  }
}

function isSetRef(r: Ref): boolean {
  return (r & 1) === 0 && u8[r] === T_SET;
}

/** Numeric value of int/bool/float (bigint for big ints), or undefined. */
function numLike(r: Ref): number | bigint | undefined {
  if ((r & 1) !== 0) return r >> 1;
  switch (u8[r]) {
    case T_INT:
    case T_BOOL:
    case T_FLOAT:
      return f64[(r + 16) >> 3];
    case T_BIGINT:
      return H.bigIntValue(r);
  }
  return undefined;
}

/** Lexicographic `<` of two borrowed item snapshots (the containers are held by the caller). */
function seqLt(a: Ref[], b: Ref[]): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i] && !eq(a[i], b[i])) return lt(a[i], b[i]);
  }
  return a.length < b.length;
}

/** `x in container`. */
export function contains(container: Ref, x: Ref): boolean {
  const t = (container & 1) !== 0 ? T_INT : u8[container];
  switch (t) {
    case T_LIST: {
      for (let k = 0; k < listLen(container); k++) {
        const y = listAt(container, k);
        if (y === x || eq(y, x)) return true;
      }
      return false;
    }
    case T_TUPLE: {
      const n = tupleLen(container);
      for (let k = 0; k < n; k++) {
        const y = tupleAt(container, k);
        if (y === x || eq(y, x)) return true;
      }
      return false;
    }
    case T_STR:
      if (!isStr(x))
        throw pyErr(PyTypeError, `'in <string>' requires string as left operand, not ${typeName(x)}`);
      return strOf(container).includes(strOf(x));
    case T_DICT:
      return dictLookup(container, x) !== 0;
    case T_SET:
      return setHasKey(container, x);
    case T_BYTES: {
      const hay = bytesOf(container);
      if (isIntRef(x)) return hay.includes(Number(intOf(x)));
      if ((x & 1) === 0 && u8[x] === T_BYTES)
        return String.fromCharCode(...hay).includes(String.fromCharCode(...bytesOf(x)));
      throw pyErr(PyTypeError, "a bytes-like object is required, not 'str'");
    }
    case T_OBJECT: {
      const k = kindOf(container);
      if (k === K_RANGE) {
        if (!isIntLike(x) || typeof intOf(x) === 'bigint') {
          let found = false;
          forEach(container, (y) => {
            if (eq(x, y)) {
              found = true;
              return false;
            }
          });
          return found;
        }
        const v = Number(intOf(x));
        const start = rangeStart(container);
        const stop = rangeStop(container);
        const step = rangeStep(container);
        if (step > 0 ? v < start || v >= stop : v > start || v <= stop) return false;
        return (v - start) % step === 0;
      }
      if (k === K_HANDLE) {
        const h = handleOf(container);
        if (h instanceof PyDictView) {
          if (h.kind === 'keys') return dictLookup(h.d, x) !== 0;
          let found = false;
          forEach(container, (y) => {
            if (eq(x, y)) {
              found = true;
              return false;
            }
          });
          return found;
        }
        if (h instanceof PyIter) {
          for (;;) {
            const y = h.next();
            if (y === 0) return false;
            const same = eq(x, y);
            decref(y);
            if (same) return true;
          }
        }
      }
      break;
    }
  }
  throw pyErr(PyTypeError, `argument of type '${typeName(container)}' is not iterable`);
}

/** A new ref to an exception's Python value (rt `excRef`). */
export { excRef };

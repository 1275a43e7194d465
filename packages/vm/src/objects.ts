/**
 * MiniPy's object model. Design note: the eval loop's hot values are unboxed JS values so that the
 * int fast paths allocate nothing: `None` is `null`, bools are JS booleans, ints are JS numbers
 * while they are safe integers (|v| <= 2**53-1) and `bigint` beyond (always normalized, so one
 * Python int has exactly one representation), str is a JS string. Everything else is an instance
 * of a {@link PyObject} subclass whose prototype carries its {@link PyType} (`cls`).
 */

/** Any MiniPy value. */
export type V = null | boolean | number | bigint | string | PyObject;
/** Keyword arguments of a call (insertion ordered). */
export type Kw = Map<string, V> | null;
/** Native function signature for builtins and methods (methods get `self` as `args[0]`). */
export type NativeFn = (args: V[], kw: Kw) => V;

/** Base of all boxed values. */
export abstract class PyObject {
  declare cls: PyType;
}

/** A Python type object. Callable when `ctor` is set. */
export class PyType extends PyObject {
  readonly methods = new Map<string, PyBuiltin>();
  /** Class-level attributes (e.g. exception types on modules). */
  readonly attrs = new Map<string, V>();
  constructor(
    readonly name: string,
    readonly base: PyType | null,
    public ctor: NativeFn | null = null,
    /** Exception types: instances are PyExc. */
    readonly isExc = false,
  ) {
    super();
  }
  isSubtype(t: PyType): boolean {
    for (let c: PyType | null = this; c; c = c.base) if (c === t) return true;
    return false;
  }
}

export class PyFloat extends PyObject {
  constructor(readonly v: number) {
    super();
  }
}
export class PyList extends PyObject {
  constructor(public a: V[]) {
    super();
  }
}
export class PyTuple extends PyObject {
  constructor(readonly a: V[]) {
    super();
  }
}
export class PyBytes extends PyObject {
  constructor(readonly b: Uint8Array) {
    super();
  }
}
/** dict: insertion-ordered; `keys`/`vals` are keyed by {@link hashKey}. */
export class PyDict extends PyObject {
  readonly keys = new Map<unknown, V>();
  readonly vals = new Map<unknown, V>();
  get(k: V): V | undefined {
    return this.vals.get(hashKey(k));
  }
  set(k: V, v: V): void {
    const hk = hashKey(k);
    const n = this.vals.size;
    this.vals.set(hk, v);
    // a new key grew `vals`: record the original key object (an existing key keeps the first one)
    if (this.vals.size !== n) this.keys.set(hk, k);
  }
  /** Returns whether the key was present. */
  delete(k: V): boolean {
    const hk = hashKey(k);
    this.keys.delete(hk);
    return this.vals.delete(hk);
  }
  get size(): number {
    return this.vals.size;
  }
}
export class PySet extends PyObject {
  readonly m = new Map<unknown, V>();
  constructor(readonly frozen = false) {
    super();
  }
  add(v: V): void {
    const hk = hashKey(v);
    if (!this.m.has(hk)) this.m.set(hk, v);
  }
  has(v: V): boolean {
    return this.m.has(hashKey(v));
  }
}
export class PyRange extends PyObject {
  constructor(
    readonly start: number,
    readonly stop: number,
    readonly step: number,
  ) {
    super();
  }
  get length(): number {
    const { start, stop, step } = this;
    if (step > 0) return stop > start ? Math.floor((stop - start - 1) / step) + 1 : 0;
    return start > stop ? Math.floor((start - stop - 1) / -step) + 1 : 0;
  }
}
export class PySlice extends PyObject {
  constructor(
    readonly start: V,
    readonly stop: V,
    readonly step: V,
  ) {
    super();
  }
}
export class PyBuiltin extends PyObject {
  constructor(
    readonly name: string,
    readonly fn: NativeFn,
    /** Bound receiver (a bound method of a builtin type), or undefined. */
    readonly self?: V,
    /** Owner type name, for reprs like `<method 'append' of 'list' objects>`. */
    readonly owner?: string,
  ) {
    super();
  }
}
export class PyModule extends PyObject {
  constructor(
    readonly name: string,
    readonly dict: Map<string, V>,
  ) {
    super();
  }
}
/** An exception instance. */
export class PyExc extends PyObject {
  /** Traceback entries, innermost last: [filename, line, function name]. */
  tb: [string, number, string][] = [];
  cause: PyExc | null = null;
  context: PyExc | null = null;
  suppressContext = false;
  /** Extra attributes (e.g. StopIteration.value). */
  attrs: Map<string, V> | null = null;
  constructor(
    readonly type: PyType,
    public args: V[],
  ) {
    super();
  }
}
/** Base of iterator objects. `next()` returns `undefined` when exhausted. */
export abstract class PyIter extends PyObject {
  abstract next(): V | undefined;
}
export class PyCell extends PyObject {
  constructor(public v: V | undefined) {
    super();
  }
}
/** A generic object with attributes and a type (threading.Thread, Lock, sha256 objects...). */
export class PyInstance extends PyObject {
  readonly attrs = new Map<string, V>();
  constructor(
    readonly type: PyType,
    /** Native state (lock id, hash state...). */
    public native: unknown = null,
  ) {
    super();
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

PyType.prototype.cls = typeType;
PyFloat.prototype.cls = floatType;
PyList.prototype.cls = listType;
PyTuple.prototype.cls = tupleType;
PyBytes.prototype.cls = bytesType;
PyDict.prototype.cls = dictType;
PyRange.prototype.cls = rangeType;
PySlice.prototype.cls = sliceType;
PyBuiltin.prototype.cls = builtinType;
PyModule.prototype.cls = moduleType;
PyCell.prototype.cls = cellType;
PyIter.prototype.cls = iteratorType;
Object.defineProperty(PySet.prototype, 'cls', {
  get(this: PySet) {
    return this.frozen ? frozensetType : setType;
  },
});
Object.defineProperty(PyExc.prototype, 'cls', {
  get(this: PyExc) {
    return this.type;
  },
});
Object.defineProperty(PyInstance.prototype, 'cls', {
  get(this: PyInstance) {
    return this.type;
  },
});

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

/** Create an exception instance with a message. */
export function pyErr(type: PyType, msg?: string): PyExc {
  return new PyExc(type, msg === undefined ? [] : [msg]);
}

// ---- small helpers ----
export const MAX_SAFE = 9007199254740991;

/** Normalize a bigint to a number when it is a safe integer. */
export function normBig(b: bigint): number | bigint {
  return b >= -9007199254740991n && b <= 9007199254740991n ? Number(b) : b;
}

export function typeOf(v: V): PyType {
  switch (typeof v) {
    case 'number':
    case 'bigint':
      return intType;
    case 'string':
      return strType;
    case 'boolean':
      return boolType;
    case 'object':
      return v === null ? noneType : v.cls;
  }
  return objectType;
}

export function typeName(v: V): string {
  return typeOf(v).name;
}

export function isInt(v: V): v is number | bigint | boolean {
  return typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean';
}

export function isinstance(v: V, t: PyType): boolean {
  return typeOf(v).isSubtype(t);
}

/** Python truthiness. */
export function truthy(v: V): boolean {
  switch (typeof v) {
    case 'boolean':
      return v;
    case 'number':
      return v !== 0;
    case 'string':
      return v.length > 0;
    case 'bigint':
      return true;
  }
  if (v === null) return false;
  if (v instanceof PyList || v instanceof PyTuple) return v.a.length > 0;
  if (v instanceof PyDict) return v.size > 0;
  if (v instanceof PySet) return v.m.size > 0;
  if (v instanceof PyFloat) return v.v !== 0;
  if (v instanceof PyRange) return v.length > 0;
  if (v instanceof PyBytes) return v.b.length > 0;
  return true;
}

/**
 * Dict/set key: a JS value that is equal (SameValueZero) exactly when the Python keys are equal
 * (`1 == 1.0 == True`). Unhashable types raise TypeError.
 */
export function hashKey(v: V): unknown {
  switch (typeof v) {
    case 'number':
    case 'string':
    case 'bigint':
      return v;
    case 'boolean':
      return v ? 1 : 0;
  }
  if (v === null) return v;
  if (v instanceof PyFloat) {
    const x = v.v;
    // NaN is only equal to itself: hash by identity, as CPython does
    if (Number.isNaN(x)) return v;
    if (Number.isInteger(x) && !Number.isSafeInteger(x)) return BigInt(x);
    return x;
  }
  if (v instanceof PyTuple) return `\u0000T${v.a.map(keyPart).join('')}`;
  if (v instanceof PyBytes) return `\u0000B${String.fromCharCode(...v.b)}`;
  if (v instanceof PySet && v.frozen) {
    return `\u0000F${[...v.m.values()].map(keyPart).sort().join('')}`;
  }
  if (v instanceof PyList || v instanceof PyDict || v instanceof PySet) {
    throw pyErr(PyTypeError, `unhashable type: '${typeName(v)}'`);
  }
  return v;
}

let idCounter = 0;
const ids = new WeakMap<object, number>();
/** `id()` for boxed values. */
export function objectId(o: object): number {
  let id = ids.get(o);
  if (id === undefined) {
    id = 0x7f0000001000 + (++idCounter << 4);
    ids.set(o, id);
  }
  return id;
}

function keyPart(v: V): string {
  const k = hashKey(v);
  switch (typeof k) {
    case 'number':
      return `n${k};`;
    case 'bigint':
      return `b${k};`;
    case 'string':
      return `s${k.length}:${k}`;
  }
  if (k === null) return 'N';
  return `o${objectId(k as object)};`;
}

// ---- numbers ----

/** Numeric value of an int-like (bool/int), or undefined. */
export function toBigInt(v: V): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'boolean') return v ? 1n : 0n;
  return BigInt(v as number);
}

/** Float value of a number-like, or undefined if not numeric. */
export function toFloat(v: V): number | undefined {
  switch (typeof v) {
    case 'number':
      return v;
    case 'boolean':
      return v ? 1 : 0;
    case 'bigint': {
      const f = Number(v);
      if (!Number.isFinite(f)) throw pyErr(OverflowError, 'int too large to convert to float');
      return f;
    }
  }
  if (v instanceof PyFloat) return v.v;
  return undefined;
}

export function mkFloat(x: number): PyFloat {
  return new PyFloat(x);
}

/** Convert a JS number/bigint to a normalized Python int value. */
export function mkInt(x: number | bigint): number | bigint {
  if (typeof x === 'bigint') return normBig(x);
  return x === 0 ? 0 : x;
}

/** Index for sequences: ints and bools only. */
export function asIndex(v: V, what = 'indices'): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'bigint') return Number(v);
  throw pyErr(PyTypeError, `${what} must be integers or slices, not ${typeName(v)}`);
}

/** Iterate any iterable as a JS iterator of values (uses {@link getIter}). */
export function* iterate(v: V): Generator<V> {
  if (v instanceof PyList || v instanceof PyTuple) {
    // lists may change during iteration: index live, as Python's list iterator does
    const a = v instanceof PyList ? v : v;
    for (let i = 0; i < a.a.length; i++) yield a.a[i];
    return;
  }
  if (typeof v === 'string') {
    for (const c of v) yield c;
    return;
  }
  const it = getIter(v);
  for (;;) {
    const x = it.next();
    if (x === undefined) return;
    yield x;
  }
}

/** Materialize an iterable as a JS array. */
export function toArray(v: V): V[] {
  if (v instanceof PyList || v instanceof PyTuple) return v.a.slice();
  if (typeof v === 'string') return Array.from(v);
  if (v instanceof PyRange) {
    const n = v.length;
    const out = new Array<V>(n);
    for (let i = 0, x = v.start; i < n; i++, x += v.step) out[i] = x;
    return out;
  }
  const out: V[] = [];
  const it = getIter(v);
  for (;;) {
    const x = it.next();
    if (x === undefined) return out;
    out.push(x);
  }
}

// ---- iterators ----
export class SeqIter extends PyIter {
  i = 0;
  constructor(readonly a: V[]) {
    super();
  }
  next(): V | undefined {
    return this.i < this.a.length ? this.a[this.i++] : undefined;
  }
}
export class StrIter extends PyIter {
  i = 0;
  constructor(readonly s: string) {
    super();
  }
  next(): V | undefined {
    if (this.i >= this.s.length) return undefined;
    const cp = this.s.codePointAt(this.i)!;
    const ch = String.fromCodePoint(cp);
    this.i += ch.length;
    return ch;
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
  next(): V | undefined {
    if (this.i >= this.n) return undefined;
    this.i++;
    const v = this.cur;
    this.cur += this.step;
    return v;
  }
}
export class MapKeyIter extends PyIter {
  readonly it: Iterator<V>;
  constructor(
    readonly m: Map<unknown, V>,
    readonly what: string,
  ) {
    super();
    this.it = m.values();
    this.size = m.size;
  }
  size: number;
  next(): V | undefined {
    if (this.m.size !== this.size) {
      this.size = -1;
      throw pyErr(RuntimeError, `${this.what} changed size during iteration`);
    }
    const r = this.it.next();
    return r.done ? undefined : r.value;
  }
}
export class DictItemIter extends PyIter {
  readonly ki: Iterator<V>;
  readonly vi: Iterator<V>;
  readonly size: number;
  constructor(
    readonly d: PyDict,
    readonly kind: 'items' | 'values',
  ) {
    super();
    this.ki = d.keys.values();
    this.vi = d.vals.values();
    this.size = d.size;
  }
  next(): V | undefined {
    if (this.d.size !== this.size) throw pyErr(RuntimeError, 'dictionary changed size during iteration');
    const k = this.ki.next();
    const v = this.vi.next();
    if (k.done) return undefined;
    return this.kind === 'items' ? new PyTuple([k.value, v.value]) : v.value;
  }
}
/** An iterator implemented by a JS generator (map, filter, zip, enumerate, reversed...). */
export class JsIter extends PyIter {
  constructor(
    readonly g: Iterator<V>,
    readonly typeName: string,
  ) {
    super();
  }
  next(): V | undefined {
    const r = this.g.next();
    return r.done ? undefined : r.value;
  }
}
/** dict.keys()/values()/items() views. */
export class PyDictView extends PyObject {
  constructor(
    readonly d: PyDict,
    readonly kind: 'keys' | 'values' | 'items',
  ) {
    super();
  }
}
export const dictViewTypes = {
  keys: new PyType('dict_keys', objectType),
  values: new PyType('dict_values', objectType),
  items: new PyType('dict_items', objectType),
};
Object.defineProperty(PyDictView.prototype, 'cls', {
  get(this: PyDictView) {
    return dictViewTypes[this.kind];
  },
});

/** Hook filled by the eval loop: iterator protocol for generator objects and other special iterables. */
export const iterHooks: { getIter: ((v: V) => PyIter | undefined) | null } = { getIter: null };

/** `iter(v)`. */
export function getIter(v: V): PyIter {
  if (v instanceof PyIter) return v;
  if (v instanceof PyList || v instanceof PyTuple) return new SeqIter(v.a);
  if (typeof v === 'string') return new StrIter(v);
  if (v instanceof PyRange) return new RangeIter(v.start, v.step, v.length);
  if (v instanceof PyDict) return new MapKeyIter(v.keys, 'dictionary');
  if (v instanceof PySet) return new MapKeyIter(v.m, 'Set');
  if (v instanceof PyDictView) {
    if (v.kind === 'keys') return new MapKeyIter(v.d.keys, 'dictionary');
    return new DictItemIter(v.d, v.kind);
  }
  if (v instanceof PyBytes) return new SeqIter(Array.from(v.b));
  const h = iterHooks.getIter?.(v);
  if (h) return h;
  throw pyErr(PyTypeError, `'${typeName(v)}' object is not iterable`);
}

// ---- equality and ordering ----

export function eq(a: V, b: V): boolean {
  if (a === b) return !(a instanceof PyFloat && Number.isNaN(a.v));
  const ta = typeof a;
  const tb = typeof b;
  if (ta === 'string' || tb === 'string') return false;
  if (
    (ta === 'number' || ta === 'boolean' || ta === 'bigint') &&
    (tb === 'number' || tb === 'boolean' || tb === 'bigint')
  ) {
    // biome-ignore lint/suspicious/noDoubleEquals: mixed number/bigint comparison is intended
    return toNum(a) == toNum(b);
  }
  if (a === null || b === null || ta !== 'object' || tb !== 'object') {
    if (a instanceof PyFloat) return isInt(b) && floatEqInt(a.v, b);
    if (b instanceof PyFloat) return isInt(a) && floatEqInt(b.v, a);
    return false;
  }
  if (a instanceof PyFloat) return b instanceof PyFloat ? a.v === b.v : false;
  if (b instanceof PyFloat) return false;
  if (a instanceof PyList) return b instanceof PyList && seqEq(a.a, b.a);
  if (a instanceof PyTuple) return b instanceof PyTuple && seqEq(a.a, b.a);
  if (a instanceof PyDict) {
    if (!(b instanceof PyDict) || a.size !== b.size) return false;
    for (const [hk, v] of a.vals) {
      if (!b.vals.has(hk)) return false;
      if (!eq(v, b.vals.get(hk)!)) return false;
    }
    return true;
  }
  if (a instanceof PySet) {
    if (!(b instanceof PySet) || a.m.size !== b.m.size) return false;
    for (const hk of a.m.keys()) if (!b.m.has(hk)) return false;
    return true;
  }
  if (a instanceof PyRange && b instanceof PyRange) {
    if (a.length !== b.length) return false;
    if (a.length === 0) return true;
    return a.start === b.start && (a.length === 1 || a.step === b.step);
  }
  if (a instanceof PyBytes && b instanceof PyBytes) {
    if (a.b.length !== b.b.length) return false;
    for (let i = 0; i < a.b.length; i++) if (a.b[i] !== b.b[i]) return false;
    return true;
  }
  if (a instanceof PyDictView && a.kind === 'keys' && b instanceof PySet) return sameKeys(a.d.keys, b.m);
  if (b instanceof PyDictView && b.kind === 'keys' && a instanceof PySet) return sameKeys(b.d.keys, a.m);
  if (a instanceof PyDictView && b instanceof PyDictView && a.kind === 'keys' && b.kind === 'keys') {
    if (a.d.size !== b.d.size) return false;
    for (const hk of a.d.keys.keys()) if (!b.d.keys.has(hk)) return false;
    return true;
  }
  return false;
}

function toNum(v: V): number | bigint {
  return typeof v === 'boolean' ? (v ? 1 : 0) : (v as number | bigint);
}
function sameKeys(x: Map<unknown, V>, y: Map<unknown, V>): boolean {
  if (x.size !== y.size) return false;
  for (const k of x.keys()) if (!y.has(k)) return false;
  return true;
}

function floatEqInt(f: number, i: V): boolean {
  if (typeof i === 'bigint') return Number.isInteger(f) && BigInt(f) === i;
  return f === (typeof i === 'boolean' ? (i ? 1 : 0) : (i as number));
}

function seqEq(a: V[], b: V[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !eq(a[i], b[i])) return false;
  return true;
}

const OP_SYMBOL: Record<string, string> = { lt: '<', le: '<=', gt: '>', ge: '>=' };

/** Three-way-ish ordering: returns a<b. Throws TypeError for unorderable types. */
export function lt(a: V, b: V, op = 'lt', swapped = false): boolean {
  const ta = typeof a;
  const tb = typeof b;
  if (ta === 'number' && tb === 'number') return (a as number) < (b as number);
  if (ta === 'string' && tb === 'string') return strLt(a as string, b as string);
  const fa = numLike(a);
  const fb = numLike(b);
  if (fa !== undefined && fb !== undefined) return fa < fb;
  if (a instanceof PyList && b instanceof PyList) return seqLt(a.a, b.a);
  if (a instanceof PyTuple && b instanceof PyTuple) return seqLt(a.a, b.a);
  if (a instanceof PySet && b instanceof PySet) {
    if (a.m.size >= b.m.size) return false;
    for (const k of a.m.keys()) if (!b.m.has(k)) return false;
    return true;
  }
  if (a instanceof PyBytes && b instanceof PyBytes) {
    const n = Math.min(a.b.length, b.b.length);
    for (let i = 0; i < n; i++) if (a.b[i] !== b.b[i]) return a.b[i] < b.b[i];
    return a.b.length < b.b.length;
  }
  throw pyErr(
    PyTypeError,
    `'${OP_SYMBOL[op]}' not supported between instances of '${typeName(swapped ? b : a)}' and '${typeName(swapped ? a : b)}'`,
  );
}

/**
 * `a < b` for str by code points (JS compares UTF-16 units, which orders astral characters below
 * U+E000..U+FFFF).
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
export function compare(a: V, b: V, op: 'lt' | 'le' | 'gt' | 'ge'): boolean {
  switch (op) {
    case 'lt':
      return lt(a, b, 'lt');
    case 'gt':
      return lt(b, a, 'gt', true);
    case 'le':
      if (a instanceof PySet && b instanceof PySet) return lt(a, b) || eq(a, b);
      return numLike(a) !== undefined && numLike(b) !== undefined
        ? (numLike(a) as number) <= (numLike(b) as number)
        : !lt(b, a, 'le', true);
    case 'ge':
      if (a instanceof PySet && b instanceof PySet) return lt(b, a) || eq(a, b);
      return numLike(a) !== undefined && numLike(b) !== undefined
        ? (numLike(a) as number) >= (numLike(b) as number)
        : !lt(a, b, 'ge');
  }
}

function numLike(v: V): number | bigint | undefined {
  switch (typeof v) {
    case 'number':
    case 'bigint':
      return v;
    case 'boolean':
      return v ? 1 : 0;
  }
  if (v instanceof PyFloat) return v.v;
  return undefined;
}

function seqLt(a: V[], b: V[]): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (!eq(a[i], b[i])) return lt(a[i], b[i]);
  }
  return a.length < b.length;
}

/** `x in container`. */
export function contains(container: V, x: V): boolean {
  if (container instanceof PyList || container instanceof PyTuple) {
    const a = container.a;
    for (let i = 0; i < a.length; i++) if (a[i] === x || eq(a[i], x)) return true;
    return false;
  }
  if (typeof container === 'string') {
    if (typeof x !== 'string')
      throw pyErr(PyTypeError, `'in <string>' requires string as left operand, not ${typeName(x)}`);
    return container.includes(x);
  }
  if (container instanceof PyDict) return container.vals.has(hashKey(x));
  if (container instanceof PySet) return container.m.has(hashKey(x));
  if (container instanceof PyRange) {
    if (typeof x !== 'number' && typeof x !== 'boolean') {
      for (const y of iterate(container)) if (eq(x, y)) return true;
      return false;
    }
    const v = typeof x === 'boolean' ? (x ? 1 : 0) : x;
    const { start, stop, step } = container;
    if (step > 0 ? v < start || v >= stop : v > start || v <= stop) return false;
    return (v - start) % step === 0;
  }
  if (container instanceof PyDictView) {
    if (container.kind === 'keys') return container.d.vals.has(hashKey(x));
    for (const y of iterate(container)) if (eq(x, y)) return true;
    return false;
  }
  if (container instanceof PyBytes) {
    if (typeof x === 'number') return container.b.includes(x);
    if (x instanceof PyBytes)
      return String.fromCharCode(...container.b).includes(String.fromCharCode(...x.b));
    throw pyErr(PyTypeError, "a bytes-like object is required, not 'str'");
  }
  if (container instanceof PyIter) {
    for (;;) {
      const y = container.next();
      if (y === undefined) return false;
      if (eq(x, y)) return true;
    }
  }
  throw pyErr(PyTypeError, `argument of type '${typeName(container)}' is not iterable`);
}

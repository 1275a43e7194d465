/**
 * Builtin functions, type constructors and the methods of the builtin types, with CPython's
 * behaviour and error messages, on heap references.
 *
 * Every function here is a {@link NativeFn} registered once at module load: arguments are
 * borrowed, the result is a new reference (CPython's C API conventions). Natives that need the
 * interpreter (print's output) find it through {@link currentThread}.
 */
import { callValue, currentThread, getAttr, setAttr } from './eval.js';
import { formatString, formatValue, intDigits, repr, str, strRepr, toFixed } from './format.js';
import {
  boolType,
  bytesType,
  contains,
  dictStore,
  dictType,
  EXCEPTION_TYPES,
  eq,
  floatType,
  forEach,
  fromHeapError,
  frozensetType,
  generatorType,
  getIter,
  IndexError,
  intType,
  isinstance,
  iteratorType,
  iterNext,
  iterTypes,
  KeyError,
  type Kw,
  LookupError,
  listType,
  lt,
  type NativeFn,
  normBig,
  OverflowError,
  objectId,
  objectType,
  PyDictView,
  PyExc,
  PyInstance,
  PyIter,
  type PyType,
  PyTypeError,
  pyErr,
  pyErrArgs,
  rangeType,
  StopIteration,
  setAddKey,
  setType,
  sliceType,
  strLt,
  strType,
  toArray,
  toBigInt,
  toFloat,
  truthy,
  tupleType,
  typeName,
  typeOf,
  typeType,
  UnicodeDecodeError,
  UnicodeError,
  ValueError,
  ZeroDivisionError,
} from './objects.js';
import { binaryOp, copySet, keyError, setFromIterable } from './ops.js';
import {
  asType,
  bytesOf,
  decref,
  excRef,
  FALSE,
  floatOf,
  H,
  handleOf,
  incref,
  intern,
  intOf,
  isBytes,
  isDict,
  isFloat,
  isFrozenSet,
  isIntLike,
  isIntRef,
  isList,
  isSet,
  isStr,
  isTuple,
  K_BUILTIN,
  K_FUNCTION,
  K_RANGE,
  K_TYPE,
  kindOf,
  listAt,
  listLen,
  locking,
  lockRef,
  lockRefs2,
  NONE,
  newBuiltin,
  newBytes,
  newFloat,
  newHandle,
  newInt,
  newList,
  newListSteal,
  newRange,
  newSet,
  newSlice,
  newStr,
  newTuple,
  newTupleSteal,
  pyBool,
  type Ref,
  rangeLen,
  rangeStart,
  rangeStep,
  registerNative,
  strOf,
  TRUE,
  tupleAt,
  tupleItems,
  tupleLen,
  typeRef,
  unlockRef,
  unlockRefs2,
  xdecref,
} from './rt.js';

// ---- argument helpers ----

/** Positional args extended by keyword arguments named `names` (in order), checked for unknown names. */
function kwPositions(a: Ref[], kw: Kw, names: string[], fn: string): Ref[] {
  kwArg(kw, names[0], names, fn);
  const out = a.slice();
  for (let i = a.length; i < names.length; i++) {
    const v = kw?.get(names[i]);
    if (v === undefined) break;
    out.push(v);
  }
  return out;
}

function nargs(name: string, args: Ref[], min: number, max: number): void {
  if (args.length < min || args.length > max) {
    if (min === max) {
      throw pyErr(
        PyTypeError,
        `${name}() takes exactly ${min === 1 ? 'one argument' : `${min} arguments`} (${args.length} given)`,
      );
    }
    if (args.length < min)
      throw pyErr(
        PyTypeError,
        `${name} expected at least ${min} argument${min === 1 ? '' : 's'}, got ${args.length}`,
      );
    throw pyErr(
      PyTypeError,
      `${name} expected at most ${max} argument${max === 1 ? '' : 's'}, got ${args.length}`,
    );
  }
}

/** CPython's message for a fixed count of several arguments (`hasattr expected 2 arguments, got 1`). */
function exactArgs(name: string, args: Ref[], n: number): void {
  if (args.length !== n)
    throw pyErr(PyTypeError, `${name} expected ${n} argument${n === 1 ? '' : 's'}, got ${args.length}`);
}

function noKw(name: string, kw: Kw): void {
  if (kw?.size) throw pyErr(PyTypeError, `${name}() takes no keyword arguments`);
}

/** A keyword argument (borrowed), after checking every keyword is allowed. */
function kwArg(kw: Kw, name: string, allowed: string[], fn: string): Ref | undefined {
  if (!kw) return undefined;
  for (const k of kw.keys()) {
    if (!allowed.includes(k)) throw pyErr(PyTypeError, `'${k}' is an invalid keyword argument for ${fn}()`);
  }
  return kw.get(name);
}

function mustInt(v: Ref, what = ''): number | bigint {
  if ((v & 1) === 1) return v >> 1;
  if (isIntLike(v)) return intOf(v);
  throw pyErr(PyTypeError, what || `'${typeName(v)}' object cannot be interpreted as an integer`);
}

/** A str argument, or TypeError `${msg} ${type}` (CPython's `must be str, not int`). */
function strArg(v: Ref, msg: string): string {
  if (!isStr(v)) throw pyErr(PyTypeError, `${msg} ${typeName(v)}`);
  return strOf(v);
}

function mustStr(v: Ref, fn: string, argDesc = 'argument'): string {
  if (!isStr(v)) throw pyErr(PyTypeError, `${fn}() ${argDesc} must be str, not ${typeName(v)}`);
  return strOf(v);
}

/** Native fns by `type.name + '.' + method`, for the bytes wrappers of str methods. */
const methodFns = new Map<string, NativeFn>();

/** Receiver checks for unbound calls (`tuple.index(5, 1)`), by type. */
const RECEIVER = new Map<PyType, (r: Ref) => boolean>();

/**
 * How many positional arguments (after self) a method takes, with CPython's message style:
 * 'N' no arguments (`str.upper() takes no arguments (1 given)`), 'O' exactly one
 * (`list.append() takes exactly one argument (0 given)`), ['E', min, max] argument-clinic style
 * (`insert expected 2 arguments, got 1`), ['T', min, max] PyArg_ParseTuple style
 * (`find() takes at least 1 argument (0 given)`). Methods not listed take any number.
 */
type Arity = 'N' | 'O' | ['E' | 'T', number, number];
const ARITY: Record<string, Arity> = {};
function arity(type: string, names: string, a: Arity): void {
  for (const n of names.split(' ')) ARITY[`${type}.${n}`] = a;
}
arity(
  'str',
  'upper lower casefold swapcase capitalize title isdigit isdecimal isnumeric isalpha isalnum isspace isupper islower isidentifier istitle',
  'N',
);
arity('str', 'strip lstrip rstrip', ['E', 0, 1]);
arity('str', 'split rsplit encode', ['T', 0, 2]);
arity('str', 'splitlines expandtabs', ['T', 0, 1]);
arity('str', 'join zfill partition rpartition removeprefix removesuffix', 'O');
arity('str', 'replace', ['E', 2, 3]);
arity('str', 'find rfind index rindex count startswith endswith', ['T', 1, 3]);
arity('str', 'center ljust rjust', ['E', 1, 2]);
arity('list', 'append extend remove count', 'O');
arity('list', 'insert', ['E', 2, 2]);
arity('list', 'pop', ['E', 0, 1]);
arity('list', 'index', ['E', 1, 3]);
arity('list', 'clear copy reverse', 'N');
arity('dict', 'get pop setdefault', ['E', 1, 2]);
arity('dict', 'keys values items popitem clear copy', 'N');
arity('dict', 'update', ['E', 0, 1]);
for (const t of ['set', 'frozenset']) {
  arity(t, 'symmetric_difference issubset issuperset isdisjoint', 'O');
  arity(t, 'copy', 'N');
}
arity('set', 'add discard remove symmetric_difference_update', 'O');
arity('set', 'pop clear', 'N');
arity('tuple', 'index', ['E', 1, 3]);
arity('tuple', 'count', 'O');
arity('range', 'index count', 'O');
arity('int', 'bit_length conjugate', 'N');
arity('float', 'is_integer hex', 'N');
arity('bytes', 'decode hex', ['T', 0, 2]);
arity('bytes', 'join', 'O');

/** Methods that take keyword arguments; every other method raises `X.m() takes no keyword arguments`. */
const KW_METHODS = new Set([
  'str.split',
  'str.rsplit',
  'str.splitlines',
  'str.expandtabs',
  'str.format',
  'str.encode',
  'list.sort',
  'dict.update',
  'bytes.decode',
  'bytes.split',
  'bytes.rsplit',
  'bytes.splitlines',
]);

function arityError(t: PyType, name: string, spec: Arity, n: number): never {
  if (spec === 'N') throw pyErr(PyTypeError, `${t.name}.${name}() takes no arguments (${n} given)`);
  if (spec === 'O') throw pyErr(PyTypeError, `${t.name}.${name}() takes exactly one argument (${n} given)`);
  const [style, min, max] = spec;
  const few = n < min;
  const lim = few ? min : max;
  const s = lim === 1 ? '' : 's';
  if (style === 'T')
    throw pyErr(
      PyTypeError,
      `${name}() takes ${few ? 'at least' : 'at most'} ${lim} argument${s} (${n} given)`,
    );
  throw pyErr(
    PyTypeError,
    `${name} expected ${min === max ? '' : few ? 'at least ' : 'at most '}${lim} argument${s}, got ${n}`,
  );
}

function method(t: PyType, name: string, fn: NativeFn): void {
  const ok = RECEIVER.get(t);
  const key = `${t.name}.${name}`;
  const spec = ARITY[key] ?? (t === bytesType ? ARITY[`str.${name}`] : undefined);
  const lo = spec === undefined ? 0 : spec === 'N' ? 0 : spec === 'O' ? 1 : spec[1];
  const hi = spec === undefined ? Number.POSITIVE_INFINITY : spec === 'N' ? 0 : spec === 'O' ? 1 : spec[2];
  const kwOk = KW_METHODS.has(key);
  const f: NativeFn = (a, kw) => {
    if (a.length === 0 || (ok !== undefined && !ok(a[0]))) {
      if (ok !== undefined || a.length === 0) descr(t, name, a[0], false);
    }
    if (kw !== null && kw.size > 0 && !kwOk) throw pyErr(PyTypeError, `${key}() takes no keyword arguments`);
    const n = a.length - 1;
    if (n < lo || n > hi) arityError(t, name, spec as Arity, n);
    return fn(a, kw);
  };
  methodFns.set(key, fn);
  t.methods.set(name, registerNative(name, f, t.name));
}

/**
 * A class-level builtin (`dict.fromkeys`, `bytes.fromhex`): a per-heap class attribute, looked up
 * unbound on the type as CPython's classmethods (which get the class, unused here).
 */
function classMethod(t: PyType, name: string, fn: NativeFn): void {
  const id = registerNative(name, fn, t.name);
  t.lazyAttrs.set(name, () => newBuiltin(id));
}

/** A read-only data attribute computed from the object (`(5).real`). */
function property(t: PyType, name: string, get: (self: Ref) => Ref): void {
  const id = registerNative('__property__', (a) => get(a[0]), t.name);
  t.lazyAttrs.set(name, () => newBuiltin(id));
}

/** Check the receiver of an unbound method call (`str.upper(5)`). */
function descr(t: PyType, name: string, self: Ref | undefined, ok: boolean): void {
  if (!ok) {
    if (self === undefined) throw pyErr(PyTypeError, `unbound method ${t.name}.${name}() needs an argument`);
    throw pyErr(
      PyTypeError,
      `descriptor '${name}' for '${t.name}' objects doesn't apply to a '${typeName(self)}' object`,
    );
  }
}

/** `s.discard(k)` for a user key (TypeError for an unhashable key); whether it was present. */
function setDiscardKey(s: Ref, k: Ref): boolean {
  return cs(s, () => H.setDiscard(s, k));
}

/**
 * Call `fn` with every item of an iterable (borrowed during the call); `false` stops. Iterator
 * handles are stepped directly (fewer JS frames per level when Python recurses through builtins).
 */
function each(src: Ref, fn: (x: Ref) => unknown): void {
  const h = handleOf(src);
  if (!(h instanceof PyIter)) {
    forEach(src, fn as (x: Ref) => undefined);
    return;
  }
  for (;;) {
    const x = h.next();
    if (x === 0) return;
    let r: unknown;
    try {
      r = fn(x);
    } finally {
      decref(x);
    }
    if (r === false) return;
  }
}

/**
 * Release the args of an exception a native caught and swallowed (it was never a Python value),
 * since PyExc does not release them itself.
 */
function dropExc(e: PyExc): void {
  const args = e.args;
  e.args = [];
  decrefAll(args);
}

/** The PyIter behind an iterator ref, to step it without a handle lookup per item (null: use iterNext). */
function pyIterOf(it: Ref): PyIter | null {
  const h = handleOf(it);
  return h instanceof PyIter ? h : null;
}

/** Next item of an iterator ref (new ref, or 0), through its cached PyIter when it has one. */
function step(it: Ref, p: PyIter | null): Ref {
  return p !== null ? p.next() : iterNext(it);
}

/**
 * Run `fn` inside `r`'s critical section when the heap has no GIL (CPython's
 * Py_BEGIN_CRITICAL_SECTION; a no-op in gil mode), turning heap errors (unhashable keys) into
 * Python exceptions. `fn` must not run Python code nor enter another critical section.
 */
function cs<T>(r: Ref, fn: () => T): T {
  if (locking) lockRef(r);
  try {
    return fn();
  } catch (e) {
    throw fromHeapError(e) ?? e;
  } finally {
    if (locking) unlockRef(r);
  }
}

/** {@link cs} for two objects at once (e.g. copying one dict into another). */
function cs2<T>(a: Ref, b: Ref, fn: () => T): T {
  if (a === b) return cs(a, fn);
  if (locking) lockRefs2(a, b);
  try {
    return fn();
  } catch (e) {
    throw fromHeapError(e) ?? e;
  } finally {
    if (locking) unlockRefs2(a, b);
  }
}

/** Borrowed snapshot of a list's items (a plain loop: faster than a typed-array copy). */
function listSnapshot(l: Ref): Ref[] {
  const n = listLen(l);
  const out = new Array<Ref>(n);
  for (let i = 0; i < n; i++) out[i] = listAt(l, i);
  return out;
}

/** Decref every ref in `refs` (an owned array). */
function decrefAll(refs: readonly Ref[]): void {
  for (let i = 0; i < refs.length; i++) decref(refs[i]);
}

/** Three-way comparison with Python's `<` only. */
export function cmp(a: Ref, b: Ref): number {
  if ((a & b & 1) === 1) return a < b ? -1 : a > b ? 1 : 0; // tagged ints order as their values
  if (isStr(a) && isStr(b)) {
    if (a === b) return 0;
    const x = strOf(a);
    const y = strOf(b);
    return x === y ? 0 : strLt(x, y) ? -1 : 1;
  }
  if (lt(a, b)) return -1;
  if (lt(b, a)) return 1;
  return 0;
}

const SURROGATE = /[\uD800-\uDFFF]/;

function cmpRefOrder(i: number, j: number): number {
  return i - j;
}

/** An index comparator over `keys` (borrowed), specialised when all keys are ints, numbers or strs. */
function comparator(keys: readonly Ref[]): (i: number, j: number) => number {
  let allTagged = true;
  let allNum = true;
  let allStr = true;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    if ((k & 1) === 0) {
      allTagged = false;
      if (!isFloat(k)) allNum = false;
      if (!isStr(k)) allStr = false;
    } else allStr = false;
    if (!allNum && !allStr) break;
  }
  if (allTagged) {
    // tagged ints order as their values
    return function cmpTagged(i, j) {
      return keys[i] - keys[j];
    };
  }
  if (allNum) {
    const v = keys.map((k) => ((k & 1) === 1 ? k >> 1 : floatOf(k)));
    return function cmpNum(i, j) {
      const x = v[i];
      const y = v[j];
      return x < y ? -1 : x > y ? 1 : 0;
    };
  }
  if (allStr) {
    const s = keys.map(strOf);
    let astral = false;
    for (let i = 0; i < s.length && !astral; i++) astral = SURROGATE.test(s[i]);
    if (!astral) {
      // without surrogates UTF-16 order is code point order: the engine's compare is exact
      return function cmpStr(i, j) {
        const x = s[i];
        const y = s[j];
        return x < y ? -1 : x > y ? 1 : 0;
      };
    }
    return function cmpAstral(i, j) {
      return s[i] === s[j] ? 0 : strLt(s[i], s[j]) ? -1 : 1;
    };
  }
  return function cmpAny(i, j) {
    return cmp(keys[i], keys[j]);
  };
}

/**
 * Sort `items` in place (stable, as list.sort) by `key` (a callable, or 0/None for none) and
 * `reverse`. The items are not increfed or decrefed; key results are released.
 */
export function sortValues(items: Ref[], key: Ref, reverse: boolean): Ref[] {
  const n = items.length;
  if (n < 2) {
    // CPython still calls the key function once for a single item
    if (n === 1 && key !== 0 && key !== NONE) decref(callValue(key, [items[0]]));
    return items;
  }
  let keys: Ref[] = items;
  let ownKeys = false;
  if (key !== 0 && key !== NONE) {
    keys = [];
    ownKeys = true;
    try {
      for (let i = 0; i < n; i++) keys.push(callValue(key, [items[i]]));
    } catch (e) {
      decrefAll(keys);
      throw e;
    }
  }
  try {
    let tagged = !ownKeys;
    for (let i = 0; i < n && tagged; i++) tagged = (items[i] & 1) === 1;
    if (tagged) {
      // plain small ints: sort the refs themselves (tagging keeps the order)
      items.sort(reverse ? (a, b) => b - a : cmpRefOrder);
      return items;
    }
    const c = comparator(keys);
    const idx = new Array<number>(n);
    for (let i = 0; i < n; i++) idx[i] = i;
    idx.sort(reverse ? (i, j) => c(j, i) : c);
    const sorted = idx.map((i) => items[i]);
    for (let i = 0; i < n; i++) items[i] = sorted[i];
  } finally {
    if (ownKeys) decrefAll(keys);
  }
  return items;
}

/** `len(v)`. */
export function pyLen(v: Ref): number {
  if (isStr(v)) return H.strLen(v);
  if (isList(v)) return H.listLen(v);
  if (isTuple(v)) return H.tupleLen(v);
  if (isDict(v)) return H.dictLen(v);
  if (isSet(v)) return H.setLen(v);
  if (isBytes(v)) return H.bytesLen(v);
  if (kindOf(v) === K_RANGE) return rangeLen(v);
  const h = handleOf(v);
  if (h instanceof PyDictView) return H.dictLen(h.d);
  throw pyErr(PyTypeError, `object of type '${typeName(v)}' has no len()`);
}

const M61 = (1n << 61n) - 1n;

/** CPython's `_Py_HashDouble` for finite non-integral floats (modular arithmetic mod 2**61-1). */
function floatHash(x: number): number | bigint {
  const sign = x < 0 ? -1n : 1n;
  let m = Math.abs(x);
  // frexp: m in [0.5, 1), x = m * 2**e
  let e = Math.floor(Math.log2(m)) + 1;
  m = m / 2 ** e;
  while (m >= 1) {
    m /= 2;
    e++;
  }
  while (m < 0.5) {
    m *= 2;
    e--;
  }
  let h = 0n;
  while (m) {
    h = ((h << 28n) & M61) | (h >> (61n - 28n));
    m *= 268435456;
    e -= 28;
    const y = Math.floor(m);
    m -= y;
    h += BigInt(y);
    if (h >= M61) h -= M61;
  }
  const ee = BigInt(e >= 0 ? e % 61 : 61 - 1 - ((-1 - e) % 61));
  h = ((h << ee) & M61) | (h >> (61n - ee));
  h *= sign;
  if (h === -1n) h = -2n;
  return normBig(h);
}

function intHash(n: number | bigint): number | bigint {
  // |n| <= 2**53 < 2**61 - 1: the modulus leaves safe ints unchanged
  if (typeof n === 'number') return n === -1 ? -2 : n;
  const b = n;
  let h = (b < 0n ? -b : b) % M61;
  if (b < 0n) h = -h;
  if (h === -1n) h = -2n;
  return normBig(h);
}

function strHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h;
}

/** CPython's frozenset_hash (64-bit): order-independent xor of shuffled item hashes, then dispersed. */
function frozensetHash(v: Ref): number | bigint {
  const U = (x: bigint) => BigInt.asUintN(64, x);
  const shuffle = (h: bigint) => U((h ^ 89869747n ^ U(h << 16n)) * 3644798167n);
  const keys = cs(v, () => H.setKeys(v).slice());
  let h = 0n;
  for (const k of keys) h ^= shuffle(U(BigInt(pyHash(k))));
  h ^= U(BigInt(keys.length + 1) * 1927868237n);
  h ^= (h >> 11n) ^ (h >> 25n);
  h = U(h * 69069n + 907133923n);
  if (h === 0xffffffffffffffffn) h = 590923713n;
  return normBig(BigInt.asIntN(64, h));
}

/** `hash(v)` as CPython computes it for numbers and tuples (str: a stable FNV hash). */
export function pyHash(v: Ref): number | bigint {
  if ((v & 1) === 1) return intHash(v >> 1);
  if (isIntLike(v)) return intHash(intOf(v));
  if (isFloat(v)) {
    const x = floatOf(v);
    if (Number.isInteger(x)) return intHash(BigInt(x));
    if (Number.isNaN(x)) return Math.floor(objectId(v) / 16);
    if (!Number.isFinite(x)) return x > 0 ? 314159 : -314159;
    return floatHash(x);
  }
  if (isStr(v)) return strHash(strOf(v));
  if (isBytes(v)) return strHash(latin(bytesOf(v)));
  if (isTuple(v)) {
    // CPython 3.8+ tuplehash (xxHash-style lanes over the items' hashes, 64-bit)
    const U = (x: bigint) => BigInt.asUintN(64, x);
    const items = tupleItems(v);
    let acc = 2870177450012600261n;
    for (const x of items) {
      const lane = U(BigInt(pyHash(x)));
      acc = U(acc + lane * 14029467366897019727n);
      acc = U((acc << 31n) | (acc >> 33n));
      acc = U(acc * 11400714785074694791n);
    }
    acc = U(acc + (BigInt(items.length) ^ (2870177450012600261n ^ 3527539n)));
    const h = BigInt.asIntN(64, acc);
    return h === -1n ? 1546275796 : normBig(h);
  }
  if (v === NONE) return 0x7f_ff_00;
  if (isFrozenSet(v)) return frozensetHash(v);
  if (isList(v) || isDict(v) || isSet(v)) throw pyErr(PyTypeError, `unhashable type: '${typeName(v)}'`);
  return Math.floor(objectId(v) / 16);
}

function pyRound(x: Ref, ndigits: Ref | undefined): Ref {
  const nd = ndigits !== undefined && ndigits !== NONE ? Number(mustInt(ndigits)) : null;
  if (isIntLike(x)) {
    const xi = intOf(x);
    if (nd === null || nd >= 0) return newInt(xi);
    const p = 10n ** BigInt(-nd);
    const b = BigInt(xi);
    let q = b / p;
    let r = b % p;
    if (r < 0n) {
      r += p;
      q -= 1n;
    }
    if (r * 2n > p || (r * 2n === p && q % 2n !== 0n)) q += 1n;
    return newInt(q * p);
  }
  const f = toFloat(x);
  if (f === undefined) throw pyErr(PyTypeError, `type ${typeName(x)} doesn't define __round__ method`);
  if (nd === null) {
    if (Number.isNaN(f)) throw pyErr(ValueError, 'cannot convert float NaN to integer');
    if (!Number.isFinite(f)) throw pyErr(OverflowError, 'cannot convert float infinity to integer');
    let r = Math.round(f);
    if (Math.abs(f - Math.trunc(f)) === 0.5) r = 2 * Math.round(f / 2);
    return newInt(Number.isSafeInteger(r) ? (r === 0 ? 0 : r) : BigInt(r));
  }
  if (!Number.isFinite(f)) return newFloat(f);
  if (nd > 60) return newFloat(f);
  if (nd < 0) {
    const p = 10 ** -nd;
    const y = f / p;
    let r = Math.round(y);
    if (Math.abs(y - Math.trunc(y)) === 0.5) r = 2 * Math.round(y / 2);
    return newFloat(r * p);
  }
  return newFloat(Number(toFixed(f, nd)));
}

function minmax(name: string, args: Ref[], kw: Kw, isMax: boolean): Ref {
  const keyArg = kwArg(kw, 'key', ['key', 'default'], name);
  const key = keyArg === undefined || keyArg === NONE ? 0 : keyArg;
  const def = kw?.get('default');
  if (args.length !== 1) {
    if (args.length === 0) throw pyErr(PyTypeError, `${name} expected at least 1 argument, got 0`);
    if (def !== undefined)
      throw pyErr(PyTypeError, `Cannot specify a default for ${name}() with multiple positional arguments`);
  }
  let best: Ref = 0; // owned
  let bestKey: Ref = 0; // owned when key is set
  const visit = (x: Ref) => {
    if (key === 0) {
      if ((best & x & 1) === 1) {
        // small ints: tagged refs order as their values and need no refcounting
        if (isMax ? x > best : x < best) best = x;
        return;
      }
      if (best === 0 || (isMax ? lt(best, x, 'gt', true) : lt(x, best))) {
        incref(x);
        if (best !== 0) decref(best);
        best = x;
      }
      return;
    }
    const k = callValue(key, [x]);
    if (best === 0 || (isMax ? lt(bestKey, k, 'gt', true) : lt(k, bestKey))) {
      incref(x);
      if (best !== 0) decref(best);
      best = x;
      if (bestKey !== 0) decref(bestKey);
      bestKey = k;
    } else decref(k);
  };
  try {
    const src = args[0];
    if (args.length === 1 && key === 0 && isList(src) && !locking) {
      // no Python code runs without a key function: index the list directly
      for (let i = 0; i < listLen(src); i++) visit(listAt(src, i));
    } else if (args.length === 1) each(src, visit);
    else for (let i = 0; i < args.length; i++) visit(args[i]);
  } catch (e) {
    if (best !== 0) decref(best);
    throw e;
  } finally {
    if (bestKey !== 0) decref(bestKey);
  }
  if (best !== 0) return best;
  if (def !== undefined) {
    incref(def);
    return def;
  }
  throw pyErr(ValueError, `${name}() arg is an empty sequence`);
}

function pySum(args: Ref[], kw: Kw): Ref {
  if (args.length === 0) throw pyErr(PyTypeError, 'sum() takes at least 1 positional argument (0 given)');
  if (args.length > 2) throw pyErr(PyTypeError, `sum() takes at most 2 arguments (${args.length} given)`);
  const start = args.length > 1 ? args[1] : kwArg(kw, 'start', ['start'], 'sum');
  if (start !== undefined && isStr(start))
    throw pyErr(PyTypeError, "sum() can't sum strings [use ''.join(seq) instead]");
  if (start !== undefined && isBytes(start))
    throw pyErr(PyTypeError, "sum() can't sum bytes [use b''.join(seq) instead]");
  let acc: Ref = start === undefined ? newInt(0) : start; // owned
  if (start !== undefined) incref(acc);
  // `n` accumulates small ints as a JS number (exact while |n| < 2**52); `small` says it is live
  let n = 0;
  let small = false;
  const flush = () => {
    if (!small) return;
    small = false;
    const r = newInt(n);
    decref(acc);
    acc = r;
  };
  const add = (x: Ref) => {
    if ((x & 1) === 1) {
      if (small) {
        n += x >> 1;
        if (n > 4503599627370496 || n < -4503599627370496) flush();
        return;
      }
      if ((acc & 1) === 1) {
        n = (acc >> 1) + (x >> 1);
        small = true;
        return;
      }
    }
    flush();
    const r = binaryOp(0, acc, x);
    decref(acc);
    acc = r;
  };
  try {
    const src = args[0];
    if (isList(src) && !locking) {
      // no Python code runs while summing, so the list cannot change underneath (with a GIL)
      for (let i = 0; i < listLen(src); i++) add(listAt(src, i));
    } else if (isTuple(src)) {
      for (let i = 0, len = tupleLen(src); i < len; i++) add(tupleAt(src, i));
    } else {
      const h = handleOf(src);
      if (h instanceof PyIter) {
        // stepped here rather than through each(): one JS frame less per level of recursion
        // through sum(map(f, ...))
        for (let x = h.next(); x !== 0; x = h.next()) {
          try {
            add(x);
          } finally {
            decref(x);
          }
        }
      } else each(src, add);
    }
    flush();
  } catch (e) {
    decref(acc);
    throw e;
  }
  return acc;
}

function toRangeInt(v: Ref): number {
  if ((v & 1) === 1) return v >> 1;
  if (isIntLike(v)) {
    const n = intOf(v);
    if (typeof n === 'bigint')
      throw pyErr(OverflowError, 'range() arguments beyond 2**53 are not supported by MiniPy');
    return n;
  }
  throw pyErr(PyTypeError, `'${typeName(v)}' object cannot be interpreted as an integer`);
}

/** int(x, base) parsing with Python's rules. */
export function parsePyInt(s: string, base: number): number | bigint {
  const orig = s;
  const bad = () => pyErr(ValueError, `invalid literal for int() with base ${base}: ${strRepr(orig)}`);
  let t = asciiDigits(s.trim());
  let neg = false;
  if (t.startsWith('-') || t.startsWith('+')) {
    neg = t[0] === '-';
    t = t.slice(1);
  }
  let b = base;
  const pre = t.slice(0, 2).toLowerCase();
  let prefixed = true;
  if ((b === 16 || b === 0) && pre === '0x') b = 16;
  else if ((b === 8 || b === 0) && pre === '0o') b = 8;
  else if ((b === 2 || b === 0) && pre === '0b') b = 2;
  else prefixed = false;
  if (prefixed) {
    t = t.slice(2);
    if (t.startsWith('_')) t = t.slice(1); // one underscore may follow the prefix
  }
  // underscores only between digits, one at a time
  if (t.startsWith('_') || t.endsWith('_') || t.includes('__')) throw bad();
  t = t.replace(/_/g, '');
  if (b === 0) {
    if (/^0+[1-9]/.test(t)) throw bad(); // no leading zeros in a decimal literal
    b = 10;
  }
  const digits = '0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, b);
  if (t === '' || /\s/.test(t)) throw bad();
  // CPython 3.11's digit limit (sys.set_int_max_str_digits) for bases that are not powers of two
  const lim = (b & (b - 1)) !== 0 ? intDigits.limit() : 0;
  if (lim > 0 && t.length > lim && t.length > 640) {
    throw pyErr(
      ValueError,
      `Exceeds the limit (${lim} digits) for integer string conversion: value has ${t.length} digits; use sys.set_int_max_str_digits() to increase the limit`,
    );
  }
  const lower = t.toLowerCase();
  for (let i = 0; i < lower.length; i++) if (digits.indexOf(lower[i]) < 0) throw bad();
  if (lower.length <= 10) {
    // fits a safe integer in every base up to 36
    const v = Number.parseInt(lower, b);
    return neg ? (v === 0 ? 0 : -v) : v;
  }
  const prefix = b === 10 ? '' : b === 16 ? '0x' : b === 8 ? '0o' : b === 2 ? '0b' : null;
  let n: bigint;
  if (prefix !== null)
    n = BigInt(prefix + lower); // the engine's conversion: subquadratic for long digits
  else {
    n = 0n;
    const bb = BigInt(b);
    for (let i = 0; i < lower.length; i++) n = n * bb + BigInt(digits.indexOf(lower[i]));
  }
  return normBig(neg ? -n : n);
}

/** Unicode decimal digits (Arabic-Indic, Devanagari, fullwidth...) as ASCII, as int() accepts them. */
function asciiDigits(s: string): string {
  if (!/[^\x00-\x7f]/.test(s)) return s;
  return s.replace(/\p{Nd}/gu, (c) => {
    let cp = c.codePointAt(0) as number;
    if (cp < 0x80) return c;
    // decimal digits come in runs of ten starting at zero: find the run's start
    const at = cp;
    while (/\p{Nd}/u.test(String.fromCodePoint(cp - 1))) cp--;
    return String((at - cp) % 10);
  });
}

/** float(str) parsing. */
export function parsePyFloat(s: string): number {
  const t = s
    .trim()
    .toLowerCase()
    .replace(/_(?=\d)/g, '');
  if (/^[+-]?(inf|infinity)$/.test(t))
    return t.startsWith('-') ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (/^[+-]?nan$/.test(t)) return Number.NaN;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(t))
    throw pyErr(ValueError, `could not convert string to float: ${strRepr(s)}`);
  return Number(t);
}

function floatToInt(f: number): number | bigint {
  if (Number.isNaN(f)) throw pyErr(ValueError, 'cannot convert float NaN to integer');
  if (!Number.isFinite(f)) throw pyErr(OverflowError, 'cannot convert float infinity to integer');
  const t = Math.trunc(f);
  return Number.isSafeInteger(t) ? (t === 0 ? 0 : t) : normBig(BigInt(t));
}

/** d[name] = v for a keyword argument (interned name). */
function dictSetKw(d: Ref, kw: Kw): void {
  if (kw)
    cs(d, () => {
      for (const [k, v] of kw) H.dictSet(d, intern(k), v);
    });
}

function dictFrom(args: Ref[], kw: Kw): Ref {
  if (args.length > 1) throw pyErr(PyTypeError, `dict expected at most 1 argument, got ${args.length}`);
  const d = H.newDict();
  try {
    if (args.length === 1) dictUpdate(d, args[0]);
    dictSetKw(d, kw);
  } catch (e) {
    decref(d);
    throw e;
  }
  return d;
}

function dictUpdate(d: Ref, src: Ref): void {
  if (isDict(src)) {
    if (src === d) return;
    cs2(d, src, () => {
      for (let p = H.dictNext(src, -1); p >= 0; p = H.dictNext(src, p))
        H.dictSet(d, H.dictKeyAt(src, p), H.dictValueAt(src, p));
    });
    return;
  }
  const it = getIter(src);
  const p = pyIterOf(it);
  try {
    for (let i = 0; ; i++) {
      const item = step(it, p);
      if (item === 0) return;
      if (isTuple(item) && tupleLen(item) === 2) {
        try {
          dictStore(d, tupleAt(item, 0), tupleAt(item, 1));
        } finally {
          decref(item);
        }
        continue;
      }
      let pair: Ref[];
      try {
        pair = toArray(item);
      } catch (e) {
        if (e instanceof PyExc && e.type === PyTypeError) {
          dropExc(e);
          throw pyErr(PyTypeError, `cannot convert dictionary update sequence element #${i} to a sequence`);
        }
        throw e;
      } finally {
        decref(item);
      }
      try {
        if (pair.length !== 2) {
          throw pyErr(
            ValueError,
            `dictionary update sequence element #${i} has length ${pair.length}; 2 is required`,
          );
        }
        dictStore(d, pair[0], pair[1]);
      } finally {
        decrefAll(pair);
      }
    }
  } finally {
    decref(it);
  }
}

/** `o[k]` for a format field (`{0[1]}`, `{0[key]}`): a new ref. */
function fieldSubscr(o: Ref, k: string | number): Ref {
  if (isDict(o)) {
    const kr = typeof k === 'number' ? newInt(k) : newStr(k);
    try {
      const v = dictGetRef(o, kr);
      if (v === 0) keyError(kr);
      return v;
    } finally {
      decref(kr);
    }
  }
  if ((isList(o) || isTuple(o)) && typeof k === 'number') {
    return cs(o, () => {
      const n = isList(o) ? H.listLen(o) : H.tupleLen(o);
      if (k >= n) throw pyErr(IndexError, `${typeName(o)} index out of range`);
      const r = isList(o) ? H.listGet(o, k) : H.tupleGet(o, k);
      incref(r);
      return r;
    });
  }
  throw pyErr(PyTypeError, `'${typeName(o)}' object is not subscriptable`);
}

function strFormat(fmt: string, args: Ref[], kw: Kw): string {
  let out = '';
  let auto = 0;
  let manual = false;
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i];
    if (c === '{') {
      if (fmt[i + 1] === '{') {
        out += '{';
        i++;
        continue;
      }
      let depth = 1;
      let j = i + 1;
      for (; j < fmt.length && depth > 0; j++) {
        if (fmt[j] === '{') depth++;
        else if (fmt[j] === '}') depth--;
      }
      if (depth > 0) {
        const msg = fmt.slice(i + 1).includes('}')
          ? "expected '}' before end of string"
          : "Single '{' encountered in format string";
        throw pyErr(ValueError, msg);
      }
      const field = fmt.slice(i + 1, j - 1);
      i = j - 1;
      const m = /^([^!:]*)(?:!([rsa]))?(?::(.*))?$/s.exec(field);
      if (!m) throw pyErr(ValueError, 'invalid format string');
      const [, ref, conv, rawSpec] = m;
      const base = /^[^.[]*/.exec(ref)![0];
      let v: Ref; // borrowed, or owned when listed in `owned`
      if (base === '') {
        if (manual)
          throw pyErr(
            ValueError,
            'cannot switch from manual field specification to automatic field numbering',
          );
        if (auto >= args.length)
          throw pyErr(IndexError, `Replacement index ${auto} out of range for positional args tuple`);
        v = args[auto++];
      } else if (/^\d+$/.test(base)) {
        manual = true;
        const k = Number(base);
        if (k >= args.length)
          throw pyErr(IndexError, `Replacement index ${k} out of range for positional args tuple`);
        v = args[k];
      } else {
        const got = kw?.get(base);
        if (got === undefined) {
          const kr = newStr(base);
          try {
            keyError(kr);
          } finally {
            decref(kr);
          }
        }
        v = got;
      }
      const owned: Ref[] = [];
      try {
        const rest = ref.slice(base.length);
        const re = /\.(\w+)|\[([^\]]+)\]/g;
        for (let mm = re.exec(rest); mm; mm = re.exec(rest)) {
          if (mm[1]) v = getAttr(v, mm[1]);
          else v = fieldSubscr(v, /^\d+$/.test(mm[2]) ? Number(mm[2]) : mm[2]);
          owned.push(v);
        }
        const spec = rawSpec ? strFormat(rawSpec, args.slice(auto), kw) : '';
        if (conv === 'r' || conv === 'a') out += formatString(repr(v), spec);
        else if (conv === 's') out += formatString(str(v), spec);
        else out += formatValue(v, spec);
      } finally {
        decrefAll(owned);
      }
    } else if (c === '}') {
      if (fmt[i + 1] === '}') {
        out += '}';
        i++;
        continue;
      }
      throw pyErr(ValueError, "Single '}' encountered in format string");
    } else out += c;
  }
  return out;
}

/** str.isspace() per code point, as CPython (Unicode White_Space plus \x1c-\x1f; not U+FEFF). */
const SPACE_RE = /^[\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/;

function isSpace(c: string): boolean {
  return SPACE_RE.test(c);
}

function splitWhitespace(s: string, maxsplit: number): string[] {
  const out: string[] = [];
  let i = 0;
  const n = s.length;
  while (i < n) {
    while (i < n && isSpace(s[i])) i++;
    if (i >= n) break;
    if (maxsplit >= 0 && out.length === maxsplit) {
      let rest = s.slice(i);
      let e = rest.length;
      while (e > 0 && isSpace(rest[e - 1])) e--;
      rest = rest.slice(0, e);
      out.push(rest);
      return out;
    }
    let j = i;
    while (j < n && !isSpace(s[j])) j++;
    out.push(s.slice(i, j));
    i = j;
  }
  return out;
}

/** `s.rsplit(None, maxsplit)`: from the right; the rest keeps its leading whitespace. */
function rsplitWhitespace(s: string, maxsplit: number): string[] {
  const out: string[] = [];
  let i = s.length;
  while (i > 0) {
    while (i > 0 && isSpace(s[i - 1])) i--;
    if (i === 0) break;
    if (out.length === maxsplit) {
      out.push(s.slice(0, i));
      break;
    }
    let j = i;
    while (j > 0 && !isSpace(s[j - 1])) j--;
    out.push(s.slice(j, i));
    i = j;
  }
  return out.reverse();
}

function stripChars(s: string, chars: Ref | undefined, left: boolean, right: boolean): string {
  let set: string | null = null;
  if (chars !== undefined && chars !== NONE) {
    if (!isStr(chars))
      throw pyErr(
        PyTypeError,
        `${left && right ? 'strip' : left ? 'lstrip' : 'rstrip'} arg must be None or str`,
      );
    set = strOf(chars);
  }
  const test = (c: string) => (set === null ? isSpace(c) : set.includes(c));
  let a = 0;
  let b = s.length;
  if (left) while (a < b && test(s[a])) a++;
  if (right) while (b > a && test(s[b - 1])) b--;
  return s.slice(a, b);
}

function subRange(s: string, args: Ref[], from: number): [number, number] {
  const len = s.length;
  const norm = (v: Ref | undefined, d: number, clamp: boolean) => {
    if (v === undefined || v === NONE) return d;
    let i = Number(mustInt(v));
    if (i < 0) i = Math.max(0, i + len);
    return clamp ? Math.min(i, len) : i;
  };
  // as CPython's ADJUST_INDICES: the end is clamped to the length, a start past it is kept (so
  // 'abc'.find('', 5) is -1)
  return [norm(args[from], 0, false), norm(args[from + 1], len, true)];
}

function countSub(s: string, sub: string, start: number, end: number): number {
  const hay = s.slice(start, end);
  if (sub === '') return end >= start ? hay.length + 1 : 0;
  let n = 0;
  for (let i = hay.indexOf(sub); i >= 0; i = hay.indexOf(sub, i + sub.length)) n++;
  return n;
}

/** A new list of new strs. */
function strList(parts: readonly string[]): Ref {
  return newListSteal(parts.map(newStr));
}

/** Titlecase mappings that are not the uppercase one (digraphs, ß and the Latin ligatures). */
const TITLE_MAP: Record<string, string> = {
  '\u01c4': '\u01c5',
  '\u01c5': '\u01c5',
  '\u01c6': '\u01c5',
  '\u01c7': '\u01c8',
  '\u01c8': '\u01c8',
  '\u01c9': '\u01c8',
  '\u01ca': '\u01cb',
  '\u01cb': '\u01cb',
  '\u01cc': '\u01cb',
  '\u01f1': '\u01f2',
  '\u01f2': '\u01f2',
  '\u01f3': '\u01f2',
  ß: 'Ss',
  '\ufb00': 'Ff',
  '\ufb01': 'Fi',
  '\ufb02': 'Fl',
  '\ufb03': 'Ffi',
  '\ufb04': 'Ffl',
  '\ufb05': 'St',
  '\ufb06': 'St',
};
const CASED = /\p{Cased}/u;

/** Python's full titlecase mapping of one character. */
function toTitle(c: string): string {
  return TITLE_MAP[c] ?? c.toUpperCase();
}

/** str.title(): titlecase after an uncased character, lowercase after a cased one (CPython). */
function titleCase(s: string): string {
  let out = '';
  let prevCased = false;
  for (const c of s) {
    out += prevCased ? c.toLowerCase() : toTitle(c);
    prevCased = CASED.test(c);
  }
  return out;
}

/** str.casefold(): lowercase, with the full foldings that expand (ß -> ss, ligatures) or merge. */
function caseFold(s: string): string {
  let out = '';
  for (const c of s) {
    if (c === '\u017f') out += 's';
    else if (c === '\u03c2') out += '\u03c3';
    else if (c === '\u1e9e') out += 'ss';
    else if (c.toUpperCase().length > c.length) out += c.toUpperCase().toLowerCase();
    else out += c.toLowerCase();
  }
  return out;
}

/** str.istitle(): cased characters only as in a title (CPython's rule), at least one of them. */
function isTitle(s: string): boolean {
  let cased = false;
  let prevCased = false;
  for (const c of s) {
    if (/[\p{Lu}\p{Lt}]/u.test(c)) {
      if (prevCased) return false;
      prevCased = true;
      cased = true;
    } else if (/\p{Ll}/u.test(c)) {
      if (!prevCased) return false;
      prevCased = true;
      cased = true;
    } else prevCased = false;
  }
  return cased;
}

/** Length in code points (what Python's len() counts). */
function cpLen(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d < 0xe000) {
        n--;
        i++;
      }
    }
  }
  return n;
}

function initStrMethods(): void {
  const S = strType;
  // str methods: `fn(self, args, kw)` with self decoded; the result is a JS value made into a ref
  const sm = (name: string, fn: (s: string, a: Ref[], kw: Kw) => string | boolean | number | Ref[]) =>
    method(S, name, (a, kw) => {
      const r = fn(strOf(a[0]), a, kw);
      switch (typeof r) {
        case 'string':
          return newStr(r);
        case 'boolean':
          return r ? TRUE : FALSE;
        case 'number':
          return newInt(r);
      }
      return newListSteal(r);
    });
  /** A str method returning a ref itself. */
  const smr = (name: string, fn: (s: string, a: Ref[], kw: Kw) => Ref) =>
    method(S, name, (a, kw) => fn(strOf(a[0]), a, kw));
  sm('upper', (s) => s.toUpperCase());
  sm('lower', (s) => s.toLowerCase());
  sm('casefold', caseFold);
  sm('swapcase', (s) =>
    Array.from(s, (c) =>
      /\p{Lu}/u.test(c) ? c.toLowerCase() : /\p{Ll}/u.test(c) ? c.toUpperCase() : c,
    ).join(''),
  );
  sm('capitalize', (s) => {
    if (!s) return s;
    const first = String.fromCodePoint(s.codePointAt(0) as number);
    return toTitle(first) + s.slice(first.length).toLowerCase();
  });
  sm('title', titleCase);
  sm('strip', (s, a) => stripChars(s, a[1], true, true));
  sm('lstrip', (s, a) => stripChars(s, a[1], true, false));
  sm('rstrip', (s, a) => stripChars(s, a[1], false, true));
  const splitArgs = (a: Ref[], kw: Kw, fn: string): [Ref, number] => {
    const sep = a[1] ?? kwArg(kw, 'sep', ['sep', 'maxsplit'], fn) ?? NONE;
    const ms = a[2] ?? kw?.get('maxsplit');
    return [sep, ms === undefined ? -1 : Number(mustInt(ms))];
  };
  smr('split', (s, a, kw) => {
    const [sep, maxsplit] = splitArgs(a, kw, 'split');
    if (sep === NONE) return strList(splitWhitespace(s, maxsplit));
    const sp = strArg(sep, 'must be str or None, not');
    if (sp === '') throw pyErr(ValueError, 'empty separator');
    const parts = s.split(sp);
    if (maxsplit >= 0 && parts.length > maxsplit + 1) {
      const head = parts.slice(0, maxsplit);
      head.push(parts.slice(maxsplit).join(sp));
      return strList(head);
    }
    return strList(parts);
  });
  smr('rsplit', (s, a, kw) => {
    const [sep, maxsplit] = splitArgs(a, kw, 'rsplit');
    if (sep === NONE) {
      if (maxsplit < 0) return strList(splitWhitespace(s, -1));
      return strList(rsplitWhitespace(s, maxsplit));
    }
    const sp = strArg(sep, 'must be str or None, not');
    if (sp === '') throw pyErr(ValueError, 'empty separator');
    const parts = s.split(sp);
    if (maxsplit >= 0 && parts.length > maxsplit + 1) {
      const tail = parts.slice(parts.length - maxsplit);
      return strList([parts.slice(0, parts.length - maxsplit).join(sp), ...tail]);
    }
    return strList(parts);
  });
  smr('splitlines', (s, a, kw) => {
    const k = a[1] ?? kwArg(kw, 'keepends', ['keepends'], 'splitlines');
    const keep = k !== undefined && truthy(k);
    const out: string[] = [];
    const re = /\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]/g;
    let last = 0;
    for (let m = re.exec(s); m; m = re.exec(s)) {
      out.push(s.slice(last, keep ? m.index + m[0].length : m.index));
      last = m.index + m[0].length;
    }
    if (last < s.length) out.push(s.slice(last));
    return strList(out);
  });
  sm('join', (sep, a) => {
    const parts: string[] = [];
    forEach(a[1], (x) => {
      if (!isStr(x))
        throw pyErr(
          PyTypeError,
          `sequence item ${parts.length}: expected str instance, ${typeName(x)} found`,
        );
      parts.push(strOf(x));
    });
    return parts.join(sep);
  });
  sm('replace', (s, a) => {
    const old = mustStr(a[1], 'replace', 'argument 1');
    const neu = mustStr(a[2], 'replace', 'argument 2');
    const count = a.length > 3 ? Number(mustInt(a[3])) : -1;
    if (count < 0) {
      if (old === '') return neu + [...s].join(neu) + (s.length ? neu : '');
      return s.split(old).join(neu);
    }
    let out = '';
    let rest = s;
    for (let i = 0; i < count; i++) {
      if (old === '') {
        out += neu + rest.slice(0, 1);
        rest = rest.slice(1);
        if (!rest && i + 1 < count) break;
        continue;
      }
      const k = rest.indexOf(old);
      if (k < 0) break;
      out += rest.slice(0, k) + neu;
      rest = rest.slice(k + old.length);
    }
    return out + rest;
  });
  const finder = (name: string, rev: boolean, raise: boolean) =>
    sm(name, (s, a) => {
      const sub = strArg(a[1], 'must be str, not');
      if (/[\uD800-\uDFFF]/.test(s)) {
        // indices count code points: search the code point array's text and convert back
        const chars = Array.from(s);
        const [cst, cen] = subRange(' '.repeat(chars.length), a, 2);
        const h = chars.slice(cst, cen).join('');
        const u = rev ? h.lastIndexOf(sub) : h.indexOf(sub);
        if (u < 0 || cen < cst) {
          if (raise) throw pyErr(ValueError, 'substring not found');
          return -1;
        }
        return Array.from(h.slice(0, u)).length + cst;
      }
      const [st, en] = subRange(s, a, 2);
      const hay = s.slice(st, en);
      const k = en - st < sub.length ? -1 : rev ? hay.lastIndexOf(sub) : hay.indexOf(sub);
      if (k < 0) {
        if (raise) throw pyErr(ValueError, 'substring not found');
        return -1;
      }
      return k + st;
    });
  finder('find', false, false);
  finder('rfind', true, false);
  finder('index', false, true);
  finder('rindex', true, true);
  sm('count', (s, a) => {
    const [st, en] = subRange(s, a, 2);
    return countSub(s, strArg(a[1], 'must be str, not'), st, en);
  });
  const affix = (name: string, end: boolean) =>
    sm(name, (s, a) => {
      if (a.length === 2 && isStr(a[1])) return end ? s.endsWith(strOf(a[1])) : s.startsWith(strOf(a[1]));
      const [st, en] = subRange(s, a, 2);
      const part = s.slice(st, en);
      const test = (p: Ref) => {
        if (!isStr(p)) {
          throw pyErr(PyTypeError, `${name} first arg must be str or a tuple of str, not ${typeName(p)}`);
        }
        const pv = strOf(p);
        if (en - st < pv.length) return false;
        return end ? part.endsWith(pv) : part.startsWith(pv);
      };
      const p = a[1];
      if (isTuple(p)) return tupleItems(p).some(test);
      return test(p);
    });
  affix('startswith', false);
  affix('endswith', true);
  const pred = (name: string, re: RegExp) => sm(name, (s) => s.length > 0 && re.test(s));
  // digits: Nd plus the superscript/subscript/circled digits (Numeric_Type=Digit); numeric: any N
  // plus the CJK numeral ideographs
  pred(
    'isdigit',
    /^[\p{Nd}\u00b2\u00b3\u00b9\u2070\u2074-\u2079\u2080-\u2089\u2460-\u2468\u2474-\u247c\u2488-\u2490\u24ea\u24f5-\u24fd\u24ff\u2776-\u277e\u2780-\u2788\u278a-\u2792\u{1f100}-\u{1f10a}]+$/u,
  );
  pred('isdecimal', /^\p{Nd}+$/u);
  pred(
    'isnumeric',
    /^[\p{N}\u3007\u4e00\u4e8c\u4e09\u56db\u4e94\u516d\u4e03\u516b\u4e5d\u5341\u767e\u5343\u4e07\u5104\u5146\u96f6\u58f9\u8d30\u53c1\u8086\u4f0d\u9646\u67d2\u634c\u7396\u62fe\u4f70\u4edf\u842c]+$/u,
  );
  pred('isalpha', /^\p{L}+$/u);
  pred('isalnum', /^[\p{L}\p{N}]+$/u);
  sm('isspace', (s) => s.length > 0 && [...s].every(isSpace));
  sm('isupper', (s) => /\p{Lu}/u.test(s) && !/\p{Ll}/u.test(s));
  sm('islower', (s) => /\p{Ll}/u.test(s) && !/\p{Lu}/u.test(s));
  sm('isidentifier', (s) => /^[\p{L}_][\p{L}\p{N}_]*$/u.test(s));
  sm('istitle', isTitle);
  sm('format', (s, a, kw) => strFormat(s, a.slice(1), kw));
  sm('zfill', (s, a) => {
    const w = Number(mustInt(a[1]));
    const n = cpLen(s);
    if (n >= w) return s;
    const sign = s[0] === '-' || s[0] === '+' ? s[0] : '';
    return sign + '0'.repeat(w - n) + s.slice(sign.length);
  });
  const fillArg = (a: Ref[]) => {
    if (a.length < 3) return ' ';
    const f = a[2];
    if (!isStr(f))
      throw pyErr(PyTypeError, `The fill character must be a unicode character, not ${typeName(f)}`);
    if (H.strLen(f) !== 1) throw pyErr(PyTypeError, 'The fill character must be exactly one character long');
    return strOf(f);
  };
  sm('center', (s, a) => {
    const w = Number(mustInt(a[1]));
    const f = fillArg(a);
    const n = cpLen(s);
    if (n >= w) return s;
    const total = w - n;
    const left = Math.floor(total / 2) + (total & w & 1);
    return f.repeat(left) + s + f.repeat(total - left);
  });
  sm('ljust', (s, a) => {
    const w = Number(mustInt(a[1]));
    const f = fillArg(a);
    const n = cpLen(s);
    return n >= w ? s : s + f.repeat(w - n);
  });
  sm('rjust', (s, a) => {
    const w = Number(mustInt(a[1]));
    const f = fillArg(a);
    const n = cpLen(s);
    return n >= w ? s : f.repeat(w - n) + s;
  });
  const part = (rev: boolean) =>
    smr(rev ? 'rpartition' : 'partition', (s, a) => {
      const sep = strArg(a[1], 'must be str, not');
      if (sep === '') throw pyErr(ValueError, 'empty separator');
      const k = rev ? s.lastIndexOf(sep) : s.indexOf(sep);
      const parts = k < 0 ? (rev ? ['', '', s] : [s, '', '']) : [s.slice(0, k), sep, s.slice(k + sep.length)];
      return newTupleSteal(parts.map(newStr));
    });
  part(false);
  part(true);
  sm('removeprefix', (s, a) => {
    const p = mustStr(a[1], 'removeprefix', 'argument');
    return p && s.startsWith(p) ? s.slice(p.length) : s;
  });
  sm('removesuffix', (s, a) => {
    const p = mustStr(a[1], 'removesuffix', 'argument');
    return p && s.endsWith(p) ? s.slice(0, s.length - p.length) : s;
  });
  smr('encode', (s, a, kw) => {
    const enc = a[1] ?? kwArg(kw, 'encoding', ['encoding', 'errors'], 'encode');
    return newBytes(encodeStr(s, enc));
  });
  sm('expandtabs', (s, a, kw) => {
    const t = a[1] ?? kwArg(kw, 'tabsize', ['tabsize'], 'expandtabs');
    const size = t !== undefined ? Number(mustInt(t)) : 8;
    let out = '';
    let col = 0;
    for (const c of s) {
      if (c === '\t') {
        const n = size > 0 ? size - (col % size) : 0;
        out += ' '.repeat(n);
        col += n;
      } else {
        out += c;
        col = c === '\n' || c === '\r' ? 0 : col + 1;
      }
    }
    return out;
  });
}

/** Index of `x` in `items` (borrowed) between the optional start/stop args `a[2]`, `a[3]`. */
function seqIndex(items: readonly Ref[], x: Ref, a: Ref[], name: string): number {
  const len = items.length;
  const norm = (v: Ref | undefined, d: number) => {
    if (v === undefined) return d;
    let i = Number(mustInt(v, 'slice indices must be integers or have an __index__ method'));
    if (i < 0) i = Math.max(0, i + len);
    return Math.min(i, len);
  };
  const st = norm(a[2], 0);
  const en = norm(a[3], len);
  for (let i = st; i < en; i++) if (items[i] === x || eq(items[i], x)) return i;
  throw pyErr(ValueError, name === 'list' ? `${repr(x)} is not in list` : 'tuple.index(x): x not in tuple');
}

function seqCount(items: readonly Ref[], x: Ref): number {
  let n = 0;
  for (let i = 0; i < items.length; i++) if (items[i] === x || eq(items[i], x)) n++;
  return n;
}

function initListMethods(): void {
  const L = listType;
  const lm = (name: string, fn: NativeFn) => method(L, name, fn);
  lm('append', (a) => {
    if (a.length !== 2)
      throw pyErr(PyTypeError, `list.append() takes exactly one argument (${a.length - 1} given)`);
    const l = a[0];
    if (!locking) H.listAppend(l, a[1]);
    else cs(l, () => H.listAppend(l, a[1]));
    return NONE;
  });
  lm('extend', (a) => {
    const l = a[0];
    const items = toArray(a[1]); // may run Python code: before the critical section
    cs(l, () => {
      for (let i = 0; i < items.length; i++) H.listAppendSteal(l, items[i]);
    });
    return NONE;
  });
  lm('insert', (a) => {
    nargs('insert', a.slice(1), 2, 2);
    const l = a[0];
    const n = mustInt(a[1]);
    cs(l, () => H.listInsert(l, typeof n === 'bigint' ? (n < 0n ? 0 : H.listLen(l)) : n, a[2]));
    return NONE;
  });
  lm('pop', (a) => {
    const l = a[0];
    const at = a.length > 1 ? Number(mustInt(a[1])) : -1;
    return cs(l, () => {
      const len = H.listLen(l);
      if (len === 0) throw pyErr(IndexError, 'pop from empty list');
      let i = a.length > 1 ? at : len - 1;
      if (i < 0) i += len;
      if (i < 0 || i >= len) throw pyErr(IndexError, 'pop index out of range');
      return H.listPop(l, i);
    });
  });
  lm('remove', (a) => {
    const l = a[0];
    const found = cs(l, () => {
      for (let i = 0; i < H.listLen(l); i++) {
        const x = listAt(l, i);
        if (x === a[1] || eq(x, a[1])) {
          H.listDelete(l, i);
          return true;
        }
      }
      return false;
    });
    if (!found) throw pyErr(ValueError, 'list.remove(x): x not in list');
    return NONE;
  });
  lm('clear', (a) => {
    cs(a[0], () => H.listClear(a[0]));
    return NONE;
  });
  lm('copy', (a) => cs(a[0], () => newList(listSnapshot(a[0]))));
  lm('index', (a) => newInt(cs(a[0], () => seqIndex(listSnapshot(a[0]), a[1], a, 'list'))));
  lm('count', (a) => newInt(cs(a[0], () => seqCount(listSnapshot(a[0]), a[1]))));
  lm('reverse', (a) => {
    const l = a[0];
    cs(l, () => {
      const items = listSnapshot(l);
      // hold every item while the slots are rewritten (listSet drops the old item at once)
      for (const x of items) incref(x);
      const n = items.length;
      for (let i = 0; i < n; i++) H.listSet(l, i, items[n - 1 - i]);
      decrefAll(items);
    });
    return NONE;
  });
  lm('sort', (a, kw) => {
    if (a.length > 1) throw pyErr(PyTypeError, 'sort() takes no positional arguments');
    const key = kwArg(kw, 'key', ['key', 'reverse'], 'sort') ?? NONE;
    const reverse = truthy(kw?.get('reverse') ?? FALSE);
    const l = a[0];
    // like CPython, the list looks empty while it is sorted; a key function that mutates it is an
    // error. The key function runs Python code: sort outside the critical section.
    const items = cs(l, () => {
      const xs = listSnapshot(l);
      for (const x of xs) incref(x);
      H.listClear(l);
      return xs;
    });
    let modified = false;
    try {
      sortValues(items, key, reverse);
    } finally {
      modified = cs(l, () => {
        const m = H.listLen(l) > 0;
        if (m) H.listClear(l);
        for (const x of items) H.listAppendSteal(l, x);
        return m;
      });
    }
    if (modified) throw pyErr(ValueError, 'list modified during sort');
    return NONE;
  });
  method(rangeType, 'index', (a) => {
    const r = a[0];
    if (contains(r, a[1])) {
      const v = isFloat(a[1]) ? floatOf(a[1]) : Number(intOf(a[1]));
      return newInt((v - rangeStart(r)) / rangeStep(r));
    }
    if (!isIntLike(a[1])) throw pyErr(ValueError, 'sequence.index(x): x not in sequence');
    throw pyErr(ValueError, `${repr(a[1])} is not in range`);
  });
  method(rangeType, 'count', (a) => newInt(contains(a[0], a[1]) ? 1 : 0));
  method(tupleType, 'index', (a) => newInt(seqIndex(tupleItems(a[0]), a[1], a, 'tuple')));
  method(tupleType, 'count', (a) => newInt(seqCount(tupleItems(a[0]), a[1])));
}

/** `d[k]` as a new ref, or 0 when absent (TypeError for an unhashable key). */
function dictGetRef(d: Ref, k: Ref): Ref {
  return cs(d, () => {
    const v = H.dictGet(d, k);
    if (v !== 0) incref(v);
    return v;
  });
}

/** Remove every entry of a dict (the caller holds its critical section). */
function dictClear(d: Ref): void {
  const keys = H.dictKeys(d);
  for (const k of keys) incref(k);
  for (const k of keys) H.dictDelete(d, k);
  decrefAll(keys);
}

function dictCopy(d: Ref): Ref {
  const r = H.newDict();
  cs(d, () => {
    for (let p = H.dictNext(d, -1); p >= 0; p = H.dictNext(d, p))
      H.dictSet(r, H.dictKeyAt(d, p), H.dictValueAt(d, p));
  });
  return r;
}

function initDictMethods(): void {
  const D = dictType;
  const dm = (name: string, fn: NativeFn) => method(D, name, fn);
  dm('get', (a) => {
    nargs('get', a.slice(1), 1, 2);
    const v = dictGetRef(a[0], a[1]);
    if (v !== 0) return v;
    const r = a.length > 2 ? a[2] : NONE;
    incref(r);
    return r;
  });
  dm('keys', (a) => newHandle(new PyDictView(a[0], 'keys')));
  dm('values', (a) => newHandle(new PyDictView(a[0], 'values')));
  dm('items', (a) => newHandle(new PyDictView(a[0], 'items')));
  dm('pop', (a) => {
    nargs('pop', a.slice(1), 1, 2);
    const d = a[0];
    const v = cs(d, () => {
      const x = H.dictGet(d, a[1]);
      if (x === 0) return 0;
      incref(x);
      H.dictDelete(d, a[1]);
      return x;
    });
    if (v !== 0) return v;
    if (a.length > 2) {
      incref(a[2]);
      return a[2];
    }
    keyError(a[1]);
  });
  dm('popitem', (a) => {
    const d = a[0];
    return cs(d, () => {
      if (H.dictLen(d) === 0) throw pyErr(KeyError, 'popitem(): dictionary is empty');
      let last = -1;
      for (let p = H.dictNext(d, -1); p >= 0; p = H.dictNext(d, p)) last = p;
      const k = H.dictKeyAt(d, last);
      const v = H.dictValueAt(d, last);
      incref(k);
      incref(v);
      H.dictDelete(d, k);
      return newTupleSteal([k, v]);
    });
  });
  dm('setdefault', (a) => {
    const d = a[0];
    const def = a.length > 2 ? a[2] : NONE;
    return cs(d, () => {
      let v = H.dictGet(d, a[1]);
      if (v === 0) {
        H.dictSet(d, a[1], def);
        v = def;
      }
      incref(v);
      return v;
    });
  });
  dm('update', (a, kw) => {
    if (a.length > 1) dictUpdate(a[0], a[1]);
    dictSetKw(a[0], kw);
    return NONE;
  });
  dm('clear', (a) => {
    cs(a[0], () => dictClear(a[0]));
    return NONE;
  });
  dm('copy', (a) => dictCopy(a[0]));
  // dict.fromkeys(iterable, value=None): looked up on the type, so it gets no receiver
  const fromkeys: NativeFn = (a, kw) => {
    noKw('dict.fromkeys', kw);
    nargs('fromkeys', a, 1, 2);
    const d = H.newDict();
    const v = a.length > 1 ? a[1] : NONE;
    try {
      forEach(a[0], (k) => {
        dictStore(d, k, v);
      });
    } catch (e) {
      decref(d);
      throw e;
    }
    return d;
  };
  classMethod(D, 'fromkeys', fromkeys);
}

/** A new ref to `v` as a set: `v` itself when it is a set or frozenset. */
function asSet(v: Ref): Ref {
  if (isSet(v)) {
    incref(v);
    return v;
  }
  const s = newSet();
  try {
    forEach(v, (x) => {
      setAddKey(s, x);
    });
  } catch (e) {
    decref(s);
    throw e;
  }
  return s;
}

/** A copy of `s` in CPython's `set_copy` layout (so it iterates in CPython's order), under its lock. */
function setCopy(s: Ref, frozen = isFrozenSet(s)): Ref {
  return cs(s, () => copySet(s, frozen));
}

/** `binaryOp(op, self, set(other))` for each other argument, starting from a copy of self. */
function setFold(a: Ref[], op: number): Ref {
  let r = setCopy(a[0]);
  for (let i = 1; i < a.length; i++) {
    const o = asSet(a[i]);
    try {
      const n = binaryOp(op, r, o);
      decref(r);
      r = n;
    } finally {
      decref(o);
    }
  }
  return r;
}

/** In-place `self op= set(other)`. */
function setInplace(a: Ref[], op: number): Ref {
  const o = asSet(a[1]);
  try {
    decref(binaryOp(op, a[0], o));
  } finally {
    decref(o);
  }
  return NONE;
}

/** Every key of `a` is in `b` (both sets). */
function subsetOf(a: Ref, b: Ref): boolean {
  return cs2(a, b, () => {
    for (let p = H.setNext(a, -1); p >= 0; p = H.setNext(a, p))
      if (!H.setContains(b, H.setKeyAt(a, p))) return false;
    return true;
  });
}

function initSetMethods(): void {
  for (const T of [setType, frozensetType]) {
    const fm = (name: string, fn: NativeFn) => method(T, name, fn);
    fm('union', (a) => setFold(a, 7));
    fm('intersection', (a) => setFold(a, 1));
    fm('difference', (a) => setFold(a, 10));
    fm('symmetric_difference', (a) => {
      // CPython: a copy of `other` (self's type), then self's keys toggled in self's order
      const self = a[0];
      const r = isSet(a[1]) ? setCopy(a[1], isFrozenSet(self)) : setFromIterable(a[1], isFrozenSet(self));
      try {
        cs(self, () => {
          for (const k of H.setKeys(self)) if (!H.setDiscard(r, k)) H.setAdd(r, k);
        });
      } catch (e) {
        decref(r);
        throw e;
      }
      return r;
    });
    const relation = (name: string, fn: (s: Ref, o: Ref) => boolean) =>
      fm(name, (a) => {
        nargs(name, a.slice(1), 1, 1);
        const o = asSet(a[1]);
        try {
          return pyBool(fn(a[0], o));
        } finally {
          decref(o);
        }
      });
    relation('issubset', (s, o) => subsetOf(s, o));
    relation('issuperset', (s, o) => subsetOf(o, s));
    relation('isdisjoint', (s, o) =>
      cs2(s, o, () => {
        for (let p = H.setNext(o, -1); p >= 0; p = H.setNext(o, p))
          if (H.setContains(s, H.setKeyAt(o, p))) return false;
        return true;
      }),
    );
    fm('copy', (a) => setCopy(a[0]));
  }
  const S = setType;
  const m = (name: string, fn: NativeFn) => method(S, name, fn);
  m('add', (a) => {
    nargs('add', a.slice(1), 1, 1);
    setAddKey(a[0], a[1]);
    return NONE;
  });
  m('discard', (a) => {
    setDiscardKey(a[0], a[1]);
    return NONE;
  });
  m('remove', (a) => {
    if (!setDiscardKey(a[0], a[1])) keyError(a[1]);
    return NONE;
  });
  m('pop', (a) => {
    const s = a[0];
    return cs(s, () => {
      const p = H.setNext(s, -1);
      if (p < 0) throw pyErr(KeyError, 'pop from an empty set');
      const k = H.setKeyAt(s, p);
      incref(k);
      H.setDiscard(s, k);
      return k;
    });
  });
  m('clear', (a) => {
    const s = a[0];
    cs(s, () => {
      const keys = H.setKeys(s);
      for (const k of keys) incref(k);
      for (const k of keys) H.setDiscard(s, k);
      decrefAll(keys);
    });
    return NONE;
  });
  m('update', (a) => {
    for (let i = 1; i < a.length; i++)
      forEach(a[i], (x) => {
        setAddKey(a[0], x);
      });
    return NONE;
  });
  m('intersection_update', (a) => setInplace(a, 14));
  m('difference_update', (a) => setInplace(a, 23));
  m('symmetric_difference_update', (a) => {
    // CPython: for each key of other (a set; an iterable becomes one first), in its order: remove it
    // from self if present, else add it
    const self = a[0];
    const o = isSet(a[1]) ? a[1] : setFromIterable(a[1], false);
    try {
      cs2(self, o, () => {
        for (const k of H.setKeys(o)) if (!H.setDiscard(self, k)) H.setAdd(self, k);
      });
    } finally {
      if (o !== a[1]) decref(o);
    }
    return NONE;
  });
}

/** A codec name as Python normalizes it (`UTF_8` -> `utf-8`), from an encoding argument. */
function codecName(enc: Ref | undefined, fn: string): string {
  if (enc === undefined) return 'utf-8';
  const name = mustStr(enc, fn, "argument 'encoding'").toLowerCase().replace(/_/g, '-');
  if (name === 'utf-8' || name === 'utf8' || name === 'u8') return 'utf-8';
  if (name === 'ascii' || name === 'us-ascii') return 'ascii';
  if (name === 'latin-1' || name === 'latin1' || name === 'iso-8859-1' || name === 'l1') return 'latin-1';
  throw pyErr(LookupError, `unknown encoding: ${strOf(enc)}`);
}

/** CPython's UnicodeDecodeError text for the first malformed UTF-8 sequence, or null when valid. */
function utf8Error(b: Uint8Array): string | null {
  const report = (s: number, e: number, why: string) =>
    e - s === 1
      ? `'utf-8' codec can't decode byte 0x${b[s].toString(16).padStart(2, '0')} in position ${s}: ${why}`
      : `'utf-8' codec can't decode bytes in position ${s}-${e - 1}: ${why}`;
  const n = b.length;
  for (let i = 0; i < n; ) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c === 0xe0) lo = 0xa0;
      else if (c === 0xed) hi = 0x9f; // no surrogates
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c === 0xf0) lo = 0x90;
      else if (c === 0xf4) hi = 0x8f;
    } else return report(i, i + 1, 'invalid start byte');
    for (let j = 1; j <= need; j++) {
      if (i + j >= n) return report(i, i + j, 'unexpected end of data');
      const x = b[i + j];
      if (x < (j === 1 ? lo : 0x80) || x > (j === 1 ? hi : 0xbf))
        return report(i, i + j, 'invalid continuation byte');
    }
    i += need + 1;
  }
  return null;
}

/** `bytes.decode(encoding, errors)`: utf-8, ascii or latin-1; errors 'strict' or 'replace'. */
function decodeBytes(b: Uint8Array, enc: Ref | undefined, errors: Ref | undefined): string {
  const codec = codecName(enc, 'decode');
  const replace = errors !== undefined && isStr(errors) && strOf(errors) === 'replace';
  if (codec === 'latin-1') return latin(b);
  if (codec === 'ascii') {
    for (let i = 0; i < b.length; i++) {
      if (b[i] < 0x80) continue;
      if (replace) return Array.from(b, (x) => (x < 0x80 ? String.fromCharCode(x) : '\ufffd')).join('');
      throw pyErr(
        UnicodeDecodeError,
        `'ascii' codec can't decode byte 0x${b[i].toString(16)} in position ${i}: ordinal not in range(128)`,
      );
    }
    return latin(b);
  }
  if (replace) return new TextDecoder('utf-8').decode(b);
  const err = utf8Error(b);
  if (err !== null) throw pyErr(UnicodeDecodeError, err);
  return new TextDecoder('utf-8').decode(b);
}

/** `\xe9`, `\u20ac`, `\U0001f600`: how codec errors name a character. */
function charEscape(cp: number): string {
  if (cp < 0x100) return `\\x${cp.toString(16).padStart(2, '0')}`;
  if (cp < 0x10000) return `\\u${cp.toString(16).padStart(4, '0')}`;
  return `\\U${cp.toString(16).padStart(8, '0')}`;
}

/** `str.encode(encoding)`: utf-8, ascii or latin-1 (strict). */
function encodeStr(s: string, enc: Ref | undefined): Uint8Array {
  const codec = codecName(enc, 'encode');
  if (codec === 'utf-8') return new TextEncoder().encode(s);
  const limit = codec === 'ascii' ? 0x80 : 0x100;
  const out: number[] = [];
  let pos = 0;
  for (const c of s) {
    const cp = c.codePointAt(0) as number;
    if (cp >= limit) {
      throw pyErr(
        EXCEPTION_TYPES.get('UnicodeEncodeError') ?? UnicodeError,
        `'${codec}' codec can't encode character '${charEscape(cp)}' in position ${pos}: ordinal not in range(${limit})`,
      );
    }
    out.push(cp);
    pos++;
  }
  return Uint8Array.from(out);
}

/** bytes as a latin-1 JS string (one char per byte). */
function latin(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
}

function unlatin(s: string): Ref {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  return newBytes(b);
}

function initNumberMethods(): void {
  // data attributes of numbers (getters: eval's getAttr calls a class attribute named __property__)
  const intParts: [string, (r: Ref) => Ref][] = [
    ['real', (r) => newInt(intOf(r))],
    ['imag', () => newInt(0)],
    ['numerator', (r) => newInt(intOf(r))],
    ['denominator', () => newInt(1)],
  ];
  for (const t of [intType, boolType]) for (const [n, get] of intParts) property(t, n, get);
  property(floatType, 'real', (r) => newFloat(floatOf(r)));
  property(floatType, 'imag', () => newFloat(0));
  method(intType, 'bit_length', (a) => {
    const b = toBigInt(a[0]);
    return newInt((b < 0n ? -b : b).toString(2).replace(/^0$/, '').length);
  });
  method(intType, 'conjugate', (a) => newInt(intOf(a[0])));
  method(floatType, 'is_integer', (a) => pyBool(Number.isInteger(floatOf(a[0]))));
  method(floatType, 'hex', () => {
    throw pyErr(ValueError, 'float.hex is not supported by MiniPy');
  });
  method(bytesType, 'decode', (a, kw) => {
    const enc = a[1] ?? kwArg(kw, 'encoding', ['encoding', 'errors'], 'decode');
    const errors = a[2] ?? kw?.get('errors');
    return newStr(decodeBytes(bytesOf(a[0]), enc, errors));
  });
  // bytes.fromhex(s): a class attribute, so it gets no receiver
  classMethod(bytesType, 'fromhex', (a) => {
    nargs('fromhex', a, 1, 1);
    const s = mustStr(a[0], 'fromhex', 'argument');
    const out: number[] = [];
    for (let i = 0; i < s.length; ) {
      if (isSpace(s[i])) {
        i++;
        continue;
      }
      const hi = Number.parseInt(s[i], 16);
      const lo = i + 1 < s.length ? Number.parseInt(s[i + 1], 16) : Number.NaN;
      if (!/[0-9a-fA-F]/.test(s[i]) || !/[0-9a-fA-F]/.test(s[i + 1] ?? '') || Number.isNaN(hi + lo)) {
        const at = /[0-9a-fA-F]/.test(s[i]) ? i + 1 : i;
        throw pyErr(ValueError, `non-hexadecimal number found in fromhex() arg at position ${at}`);
      }
      out.push(hi * 16 + lo);
      i += 2;
    }
    return newBytes(Uint8Array.from(out));
  });
  method(bytesType, 'hex', (a) =>
    newStr(Array.from(bytesOf(a[0]), (x) => x.toString(16).padStart(2, '0')).join('')),
  );
  // the str algorithms applied to a latin-1 view of the bytes
  const toStrArg = (v: Ref, tmp: Ref[]): Ref => {
    let r: Ref;
    if (isBytes(v)) r = newStr(latin(bytesOf(v)));
    else if (isTuple(v)) r = newTuple(tupleItems(v).map((x) => toStrArg(x, tmp)));
    else if (isStr(v)) throw pyErr(PyTypeError, "a bytes-like object is required, not 'str'");
    else return v;
    tmp.push(r);
    return r;
  };
  /** Convert an owned str result (or list/tuple of strs) to bytes; consumes `v`. */
  const fromStrResult = (v: Ref): Ref => {
    let r: Ref;
    if (isStr(v)) r = unlatin(strOf(v));
    else if (isList(v) || isTuple(v)) {
      const items = isList(v) ? listSnapshot(v) : tupleItems(v);
      const conv = items.map((x) => {
        incref(x);
        return fromStrResult(x);
      });
      r = isList(v) ? newListSteal(conv) : newTupleSteal(conv);
    } else return v;
    decref(v);
    return r;
  };
  for (const name of [
    'strip',
    'lstrip',
    'rstrip',
    'split',
    'rsplit',
    'replace',
    'startswith',
    'endswith',
    'find',
    'rfind',
    'index',
    'rindex',
    'count',
    'upper',
    'lower',
    'capitalize',
    'title',
    'swapcase',
    'isdigit',
    'isalpha',
    'isalnum',
    'isspace',
    'isupper',
    'islower',
    'partition',
    'rpartition',
    'center',
    'ljust',
    'rjust',
    'zfill',
    'splitlines',
  ]) {
    const fn = methodFns.get(`str.${name}`)!;
    method(bytesType, name, (a, kw) => {
      descr(bytesType, name, a[0], isBytes(a[0]));
      const tmp: Ref[] = [];
      try {
        const self = newStr(latin(bytesOf(a[0])));
        tmp.push(self);
        const args = [self];
        if (a.length > 1 && !isBytes(a[1]) && !isTuple(a[1])) {
          // CPython's bytes methods word a wrong first argument their own way
          const t = typeName(a[1]);
          if (/^r?(find|index)$|^count$/.test(name))
            throw pyErr(PyTypeError, `argument should be integer or bytes-like object, not '${t}'`);
          if (name === 'startswith' || name === 'endswith')
            throw pyErr(PyTypeError, `${name} first arg must be bytes or a tuple of bytes, not ${t}`);
        }
        for (let i = 1; i < a.length; i++) args.push(toStrArg(a[i], tmp));
        let kw2: Kw = null;
        if (kw) {
          kw2 = new Map();
          for (const [k, v] of kw) kw2.set(k, toStrArg(v, tmp));
        }
        return fromStrResult(fn(args, kw2));
      } catch (e) {
        if (e instanceof PyExc && e.message === 'substring not found') {
          throw pyErr(ValueError, 'subsection not found');
        }
        throw e;
      } finally {
        decrefAll(tmp);
      }
    });
  }
  method(bytesType, 'join', (a) => {
    const parts: string[] = [];
    forEach(a[1], (p) => {
      if (!isBytes(p))
        throw pyErr(
          PyTypeError,
          `sequence item ${parts.length}: expected a bytes-like object, ${typeName(p)} found`,
        );
      parts.push(latin(bytesOf(p)));
    });
    return unlatin(parts.join(latin(bytesOf(a[0]))));
  });
}

function initTypeCtors(): void {
  intType.ctor = (a, kw) => {
    if (a.length > 2) throw pyErr(PyTypeError, `int() takes at most 2 arguments (${a.length} given)`);
    const base = a.length > 1 ? a[1] : kwArg(kw, 'base', ['base'], 'int');
    if (a.length === 0) return newInt(0);
    const x = a[0];
    if (base !== undefined) {
      if (!isStr(x)) throw pyErr(PyTypeError, "int() can't convert non-string with explicit base");
      const b = Number(mustInt(base));
      if (b !== 0 && (b < 2 || b > 36)) throw pyErr(ValueError, 'int() base must be >= 2 and <= 36, or 0');
      return newInt(parsePyInt(strOf(x), b));
    }
    if (isIntRef(x)) {
      incref(x);
      return x;
    }
    if (isIntLike(x)) return newInt(intOf(x));
    if (isFloat(x)) return newInt(floatToInt(floatOf(x)));
    if (isStr(x)) return newInt(parsePyInt(strOf(x), 10));
    throw pyErr(
      PyTypeError,
      `int() argument must be a string, a bytes-like object or a real number, not '${typeName(x)}'`,
    );
  };
  floatType.ctor = (a) => {
    nargs('float', a, 0, 1);
    if (a.length === 0) return newFloat(0);
    const x = a[0];
    if (isStr(x)) return newFloat(parsePyFloat(strOf(x)));
    if (isFloat(x)) {
      incref(x);
      return x;
    }
    const f = toFloat(x);
    if (f === undefined)
      throw pyErr(PyTypeError, `float() argument must be a string or a real number, not '${typeName(x)}'`);
    return newFloat(f);
  };
  strType.ctor = (a, kw) => {
    if (a.length > 3) throw pyErr(PyTypeError, `str() takes at most 3 arguments (${a.length} given)`);
    if (kw?.size) a = kwPositions(a, kw, ['object', 'encoding', 'errors'], 'str');
    if (a.length === 0) return newStr('');
    const x = a[0];
    if (isBytes(x) && a.length > 1) return newStr(decodeBytes(bytesOf(x), a[1], a[2]));
    if (isStr(x)) {
      incref(x);
      return x;
    }
    return newStr(str(x));
  };
  boolType.ctor = (a) => {
    nargs('bool', a, 0, 1);
    return a.length ? pyBool(truthy(a[0])) : FALSE;
  };
  listType.ctor = (a) => {
    nargs('list', a, 0, 1);
    return a.length ? newListSteal(toArray(a[0])) : newList();
  };
  tupleType.ctor = (a) => {
    nargs('tuple', a, 0, 1);
    if (a.length && isTuple(a[0])) {
      incref(a[0]);
      return a[0];
    }
    return a.length ? newTupleSteal(toArray(a[0])) : newTuple([]);
  };
  dictType.ctor = dictFrom;
  setType.ctor = (a) => {
    nargs('set', a, 0, 1);
    return setFromIterable(a[0], false);
  };
  frozensetType.ctor = (a) => {
    nargs('frozenset', a, 0, 1);
    if (a.length && isFrozenSet(a[0])) {
      incref(a[0]);
      return a[0];
    }
    return setFromIterable(a[0], true);
  };
  rangeType.ctor = (a) => {
    if (a.length === 0) throw pyErr(PyTypeError, 'range expected at least 1 argument, got 0');
    if (a.length > 3) throw pyErr(PyTypeError, `range expected at most 3 arguments, got ${a.length}`);
    const n = a.map(toRangeInt);
    if (n.length === 1) return newRange(0, n[0], 1);
    if (n[2] === 0) throw pyErr(ValueError, 'range() arg 3 must not be zero');
    return newRange(n[0], n[1], n[2] ?? 1);
  };
  sliceType.ctor = (a) => {
    nargs('slice', a, 1, 3);
    if (a.length === 1) return newSlice(NONE, a[0], NONE);
    return newSlice(a[0], a[1], a[2] ?? NONE);
  };
  bytesType.ctor = (a, kw) => {
    if (a.length > 3) throw pyErr(PyTypeError, `bytes() takes at most 3 arguments (${a.length} given)`);
    if (kw?.size) a = kwPositions(a, kw, ['source', 'encoding', 'errors'], 'bytes');
    if (a.length === 0) return newBytes(new Uint8Array(0));
    const x = a[0];
    if (isStr(x)) {
      if (a.length < 2) throw pyErr(PyTypeError, 'string argument without an encoding');
      return newBytes(encodeStr(strOf(x), a[1]));
    }
    if (isFloat(x) || x === NONE) throw pyErr(PyTypeError, `cannot convert '${typeName(x)}' object to bytes`);
    if (isBytes(x)) {
      incref(x);
      return x;
    }
    if (isIntLike(x)) {
      const n = intOf(x);
      if (typeof n === 'bigint') throw pyErr(OverflowError, "cannot fit 'int' into an index-sized integer");
      if (n < 0) throw pyErr(ValueError, 'negative count');
      if (n > 1 << 30) throw pyErr(EXCEPTION_TYPES.get('MemoryError')!);
      return newBytes(new Uint8Array(n));
    }
    const out: number[] = [];
    forEach(x, (v) => {
      const n = Number(mustInt(v));
      if (n < 0 || n > 255) throw pyErr(ValueError, 'bytes must be in range(0, 256)');
      out.push(n);
    });
    return newBytes(Uint8Array.from(out));
  };
  typeType.ctor = (a) => {
    if (a.length !== 1)
      throw pyErr(PyTypeError, 'type() takes 1 argument in MiniPy (classes are not supported)');
    const t = typeRef(typeOf(a[0]));
    incref(t);
    return t;
  };
  objectType.ctor = (a) => {
    if (a.length > 0) throw pyErr(PyTypeError, 'object() takes no arguments');
    return newHandle(new PyInstance(objectType));
  };
  for (const t of EXCEPTION_TYPES.values()) {
    t.ctor = (a) => {
      const e = pyErrArgs(t, a);
      if (t === StopIteration) {
        const v = a.length ? a[0] : NONE;
        incref(v);
        e.attrs = new Map([['value', v]]);
      }
      return excRef(e);
    };
  }
  // constructors that take no keyword arguments (int, str, bytes and dict check theirs)
  for (const t of [
    floatType,
    boolType,
    listType,
    tupleType,
    setType,
    frozensetType,
    rangeType,
    sliceType,
    typeType,
    objectType,
    ...EXCEPTION_TYPES.values(),
  ]) {
    const ctor = t.ctor as NativeFn;
    t.ctor = (a, kw) => {
      if (kw !== null && kw.size > 0) throw pyErr(PyTypeError, `${t.name}() takes no keyword arguments`);
      return ctor(a, kw);
    };
  }
}

/** The name argument of getattr/hasattr/setattr. */
function attrName(v: Ref): string {
  if (!isStr(v)) throw pyErr(PyTypeError, `attribute name must be string, not '${typeName(v)}'`);
  return strOf(v);
}

function isTypeArg(t: Ref, fn: string): void {
  if (asType(t)) return;
  if (isTuple(t)) {
    for (const x of tupleItems(t)) isTypeArg(x, fn);
    return;
  }
  throw pyErr(PyTypeError, `${fn}() arg 2 must be a type, a tuple of types, or a union`);
}

function isInst(v: Ref, t: Ref): boolean {
  if (isTuple(t)) return tupleItems(t).some((x) => isInst(v, x));
  return isinstance(v, asType(t)!);
}

// ---- iterators made by builtins (each owns the references it holds; `dispose` drops them) ----

/** Hands out owned refs from an array, in order. */
class ArrayIter extends PyIter {
  i = 0;
  constructor(
    readonly items: Ref[],
    readonly type: PyType = iterTypes.reversed,
  ) {
    super();
  }
  override get cls(): PyType {
    return this.type;
  }
  override next(): Ref {
    if (this.i >= this.items.length) return 0;
    const r = this.items[this.i];
    this.items[this.i++] = 0;
    return r;
  }
  override dispose(): void {
    for (let i = this.i; i < this.items.length; i++) xdecref(this.items[i]);
    this.i = this.items.length;
  }
}

/** reversed(list): indexes the live list from the end, as CPython's list_reverseiterator. */
class ListReverseIter extends PyIter {
  i: number;
  constructor(readonly list: Ref) {
    super();
    incref(list);
    this.i = H.listLen(list) - 1;
  }
  override get cls(): PyType {
    return iterTypes.list_reverseiterator;
  }
  override next(): Ref {
    if (this.i < 0) return 0;
    const l = this.list;
    return cs(l, () => {
      if (this.i >= H.listLen(l)) {
        this.i = -1;
        return 0;
      }
      const r = H.listGet(l, this.i--);
      incref(r);
      return r;
    });
  }
  override dispose(): void {
    decref(this.list);
  }
}

/** iter(callable, sentinel): calls until the result equals the sentinel. */
class CallIter extends PyIter {
  done = false;
  override get cls(): PyType {
    return (iterTypes as Record<string, PyType>).callable_iterator ?? iteratorType;
  }
  constructor(
    readonly f: Ref,
    readonly sentinel: Ref,
  ) {
    super();
    incref(f);
    incref(sentinel);
  }
  override next(): Ref {
    if (this.done) return 0;
    const r = callValue(this.f, []);
    if (r === this.sentinel || eq(r, this.sentinel)) {
      decref(r);
      this.done = true;
      return 0;
    }
    return r;
  }
  override dispose(): void {
    decref(this.f);
    decref(this.sentinel);
  }
}

class EnumerateIter extends PyIter {
  readonly p: PyIter | null;
  constructor(
    readonly it: Ref,
    public n: number,
  ) {
    super();
    this.p = pyIterOf(it);
  }
  override get cls(): PyType {
    return iterTypes.enumerate;
  }
  override next(): Ref {
    const x = step(this.it, this.p);
    if (x === 0) return 0;
    return newTupleSteal([newInt(this.n++), x]);
  }
  override dispose(): void {
    decref(this.it);
  }
}

class ZipIter extends PyIter {
  done = false;
  readonly ps: (PyIter | null)[];
  constructor(
    readonly its: Ref[],
    readonly strict: boolean,
  ) {
    super();
    this.ps = its.map(pyIterOf);
  }
  override get cls(): PyType {
    return iterTypes.zip;
  }
  override next(): Ref {
    const its = this.its;
    if (this.done || its.length === 0) return 0;
    const row: Ref[] = [];
    for (let k = 0; k < its.length; k++) {
      const x = step(its[k], this.ps[k]);
      if (x === 0) {
        this.done = true;
        decrefAll(row);
        if (this.strict) {
          let longer = false;
          if (k === 0) {
            for (let j = 1; j < its.length && !longer; j++) {
              const y = step(its[j], this.ps[j]);
              if (y !== 0) {
                decref(y);
                longer = true;
              }
            }
          }
          if (k > 0 || longer) {
            throw pyErr(
              ValueError,
              `zip() argument ${k > 0 ? k + 1 : 2} is ${k > 0 ? 'shorter' : 'longer'} than argument${k > 1 ? `s 1-${k}` : ' 1'}`,
            );
          }
        }
        return 0;
      }
      row.push(x);
    }
    return newTupleSteal(row);
  }
  override dispose(): void {
    decrefAll(this.its);
  }
}

class MapIter extends PyIter {
  readonly ps: (PyIter | null)[];
  constructor(
    readonly f: Ref,
    readonly its: Ref[],
  ) {
    super();
    incref(f);
    this.ps = its.map(pyIterOf);
  }
  override get cls(): PyType {
    return iterTypes.map;
  }
  override next(): Ref {
    const row: Ref[] = [];
    try {
      for (let k = 0; k < this.its.length; k++) {
        const x = step(this.its[k], this.ps[k]);
        if (x === 0) return 0;
        row.push(x);
      }
      return callValue(this.f, row);
    } finally {
      decrefAll(row);
    }
  }
  override dispose(): void {
    decref(this.f);
    decrefAll(this.its);
  }
}

class FilterIter extends PyIter {
  readonly p: PyIter | null;
  constructor(
    readonly f: Ref,
    readonly it: Ref,
  ) {
    super();
    incref(f);
    this.p = pyIterOf(it);
  }
  override get cls(): PyType {
    return iterTypes.filter;
  }
  override next(): Ref {
    for (;;) {
      const x = step(this.it, this.p);
      if (x === 0) return 0;
      let keep: boolean;
      try {
        if (this.f === NONE) keep = truthy(x);
        else {
          const r = callValue(this.f, [x]);
          keep = truthy(r);
          decref(r);
        }
      } catch (e) {
        decref(x);
        throw e;
      }
      if (keep) return x;
      decref(x);
    }
  }
  override dispose(): void {
    decref(this.f);
    decref(this.it);
  }
}

function reversedIter(v: Ref): Ref {
  if (isList(v)) return newHandle(new ListReverseIter(v));
  if (isTuple(v) || isStr(v) || kindOf(v) === K_RANGE || isDict(v) || handleOf(v) instanceof PyDictView) {
    return newHandle(
      new ArrayIter(
        toArray(v).reverse(),
        kindOf(v) === K_RANGE ? iterTypes.range_iterator : iterTypes.reversed,
      ),
    );
  }
  throw pyErr(PyTypeError, `'${typeName(v)}' object is not reversible`);
}

/** Builtin functions: name and native id, registered at module load. */
const BUILTIN_FNS: [string, number][] = [];

/** Builtins that take keyword arguments; the others raise `f() takes no keyword arguments`. */
const KW_FUNCS = new Set(['print', 'min', 'max', 'sorted', 'sum', 'round', 'enumerate', 'zip', 'pow']);

function def(name: string, fn: NativeFn): void {
  const f: NativeFn = KW_FUNCS.has(name)
    ? fn
    : (a, kw) => {
        if (kw !== null && kw.size > 0) throw pyErr(PyTypeError, `${name}() takes no keyword arguments`);
        return fn(a, kw);
      };
  BUILTIN_FNS.push([name, registerNative(name, f)]);
}

function initBuiltinFns(): void {
  def('print', (a, kw) => {
    const sep = kwArg(kw, 'sep', ['sep', 'end', 'file', 'flush'], 'print') ?? NONE;
    const end = kw?.get('end') ?? NONE;
    if (sep !== NONE && !isStr(sep))
      throw pyErr(PyTypeError, `sep must be None or a string, not ${typeName(sep)}`);
    if (end !== NONE && !isStr(end))
      throw pyErr(PyTypeError, `end must be None or a string, not ${typeName(end)}`);
    let text = '';
    const sp = sep === NONE ? ' ' : strOf(sep);
    for (let i = 0; i < a.length; i++) text += i === 0 ? str(a[i]) : sp + str(a[i]);
    text += end === NONE ? '\n' : strOf(end);
    const file = kw?.get('file') ?? NONE;
    // print(..., file=f): anything with a write() method (sys.stdout, sys.stderr)
    if (file !== NONE) {
      const w = getAttr(file, 'write');
      const t = newStr(text);
      try {
        decref(callValue(w, [t]));
      } finally {
        decref(t);
        decref(w);
      }
    } else currentThread().host.write(text);
    return NONE;
  });
  def('len', (a, kw) => {
    noKw('len', kw);
    nargs('len', a, 1, 1);
    return newInt(pyLen(a[0]));
  });
  def('abs', (a) => {
    nargs('abs', a, 1, 1);
    const x = a[0];
    if ((x & 1) === 1) return newInt(Math.abs(x >> 1));
    if (isIntLike(x)) {
      const n = intOf(x);
      return newInt(typeof n === 'bigint' ? (n < 0n ? -n : n) : Math.abs(n));
    }
    if (isFloat(x)) return newFloat(Math.abs(floatOf(x)));
    throw pyErr(PyTypeError, `bad operand type for abs(): '${typeName(x)}'`);
  });
  def('min', (a, kw) => minmax('min', a, kw, false));
  def('max', (a, kw) => minmax('max', a, kw, true));
  def('sum', pySum);
  def('sorted', (a, kw) => {
    if (a.length !== 1) throw pyErr(PyTypeError, `sorted expected 1 argument, got ${a.length}`);
    const key = kwArg(kw, 'key', ['key', 'reverse'], 'sort') ?? NONE;
    const reverse = truthy(kw?.get('reverse') ?? FALSE);
    const items = toArray(a[0]);
    try {
      sortValues(items, key, reverse);
    } catch (e) {
      decrefAll(items);
      throw e;
    }
    return newListSteal(items);
  });
  def('reversed', (a) => {
    exactArgs('reversed', a, 1);
    return reversedIter(a[0]);
  });
  def('enumerate', (a, kw) => {
    const iterable = a[0] ?? kwArg(kw, 'iterable', ['iterable', 'start'], 'enumerate');
    if (iterable === undefined) throw pyErr(PyTypeError, "enumerate() missing required argument 'iterable'");
    if (a.length > 2) throw pyErr(PyTypeError, `enumerate() takes at most 2 arguments (${a.length} given)`);
    const start = a[1] ?? kwArg(kw, 'start', ['iterable', 'start'], 'enumerate');
    const n = start === undefined ? 0 : Number(mustInt(start));
    return newHandle(new EnumerateIter(getIter(iterable), n));
  });
  def('zip', (a, kw) => {
    const strict = truthy(kwArg(kw, 'strict', ['strict'], 'zip') ?? FALSE);
    const its: Ref[] = [];
    try {
      for (const x of a) its.push(getIter(x));
    } catch (e) {
      decrefAll(its);
      throw e;
    }
    return newHandle(new ZipIter(its, strict));
  });
  def('map', (a) => {
    if (a.length < 2) throw pyErr(PyTypeError, 'map() must have at least two arguments.');
    const its: Ref[] = [];
    try {
      for (let i = 1; i < a.length; i++) its.push(getIter(a[i]));
    } catch (e) {
      decrefAll(its);
      throw e;
    }
    return newHandle(new MapIter(a[0], its));
  });
  def('filter', (a) => {
    exactArgs('filter', a, 2);
    return newHandle(new FilterIter(a[0], getIter(a[1])));
  });
  def('isinstance', (a) => {
    exactArgs('isinstance', a, 2);
    isTypeArg(a[1], 'isinstance');
    return pyBool(isInst(a[0], a[1]));
  });
  def('issubclass', (a) => {
    exactArgs('issubclass', a, 2);
    const t = asType(a[0]);
    if (!t) throw pyErr(PyTypeError, 'issubclass() arg 1 must be a class');
    isTypeArg(a[1], 'issubclass');
    const check = (x: Ref): boolean => (isTuple(x) ? tupleItems(x).some(check) : t.isSubtype(asType(x)!));
    return pyBool(check(a[1]));
  });
  def('repr', (a) => {
    nargs('repr', a, 1, 1);
    return newStr(repr(a[0]));
  });
  def('ascii', (a) => {
    nargs('ascii', a, 1, 1);
    return newStr(
      Array.from(repr(a[0]), (c) => {
        const cp = c.codePointAt(0)!;
        if (cp < 0x80) return c;
        if (cp < 0x100) return `\\x${cp.toString(16).padStart(2, '0')}`;
        return cp < 0x10000
          ? `\\u${cp.toString(16).padStart(4, '0')}`
          : `\\U${cp.toString(16).padStart(8, '0')}`;
      }).join(''),
    );
  });
  def('round', (a, kw) => {
    const nd = kwArg(kw, 'ndigits', ['number', 'ndigits'], 'round');
    const number = kwArg(kw, 'number', ['number', 'ndigits'], 'round');
    let x = a[0];
    if (number !== undefined) {
      if (a.length > 0)
        throw pyErr(PyTypeError, "argument for round() given by name ('number') and position (1)");
      x = number;
    }
    if (x === undefined) throw pyErr(PyTypeError, "round() missing required argument 'number' (pos 1)");
    return pyRound(x, nd !== undefined ? nd : a[1]);
  });
  def('divmod', (a) => {
    exactArgs('divmod', a, 2);
    const [x, y] = a;
    if (isIntLike(x) && isIntLike(y)) {
      const q = binaryOp(2, x, y);
      return newTupleSteal([q, binaryOp(6, x, y)]);
    }
    const fx = toFloat(x);
    const fy = toFloat(y);
    if (fx === undefined || fy === undefined)
      throw pyErr(
        PyTypeError,
        `unsupported operand type(s) for divmod(): '${typeName(x)}' and '${typeName(y)}'`,
      );
    if (fy === 0) throw pyErr(ZeroDivisionError, 'float divmod()');
    const X = newFloat(fx);
    const Y = newFloat(fy);
    try {
      const q = binaryOp(2, X, Y);
      return newTupleSteal([q, binaryOp(6, X, Y)]);
    } finally {
      decref(X);
      decref(Y);
    }
  });
  def('pow', (a, kw) => {
    if (kw?.size) {
      // pow(base, exp, mod=None) by keyword
      const names = ['base', 'exp', 'mod'];
      kwArg(kw, 'base', names, 'pow');
      a = a.slice();
      for (let i = a.length; i < 3; i++) {
        const v = kw.get(names[i]);
        if (v === undefined) break;
        a.push(v);
      }
    }
    if (a.length < 2)
      throw pyErr(
        PyTypeError,
        `pow() missing required argument '${a.length === 0 ? 'base' : 'exp'}' (pos ${a.length + 1})`,
      );
    if (a.length > 3) throw pyErr(PyTypeError, `pow() takes at most 3 arguments (${a.length} given)`);
    if (a.length === 3 && a[2] !== NONE) {
      if (!isIntLike(a[0]) || !isIntLike(a[1]) || !isIntLike(a[2]))
        throw pyErr(PyTypeError, 'pow() 3rd argument not allowed unless all arguments are integers');
      let base = toBigInt(a[0]);
      let e = toBigInt(a[1]);
      const m = toBigInt(a[2]);
      if (m === 0n) throw pyErr(ValueError, 'pow() 3rd argument cannot be 0');
      if (e < 0n) throw pyErr(ValueError, 'pow() negative exponent with modulus is not supported by MiniPy');
      let r = 1n;
      base = ((base % m) + m) % m;
      while (e > 0n) {
        if (e & 1n) r = (r * base) % m;
        base = (base * base) % m;
        e >>= 1n;
      }
      if (m < 0n && r > 0n) r += m;
      return newInt(r);
    }
    return binaryOp(8, a[0], a[1]);
  });
  def('hash', (a) => {
    nargs('hash', a, 1, 1);
    return newInt(pyHash(a[0]));
  });
  def('id', (a) => {
    nargs('id', a, 1, 1);
    return newInt(objectId(a[0]));
  });
  def('ord', (a) => {
    nargs('ord', a, 1, 1);
    const s = a[0];
    if (!isStr(s)) throw pyErr(PyTypeError, `ord() expected string of length 1, but ${typeName(s)} found`);
    const n = H.strLen(s);
    if (n !== 1) throw pyErr(PyTypeError, `ord() expected a character, but string of length ${n} found`);
    return newInt(strOf(s).codePointAt(0)!);
  });
  def('chr', (a) => {
    nargs('chr', a, 1, 1);
    const n = mustInt(a[0]);
    if (n > 2147483647 || n < -2147483648)
      throw pyErr(OverflowError, 'Python int too large to convert to C int');
    if (n < 0 || n > 0x10ffff) throw pyErr(ValueError, 'chr() arg not in range(0x110000)');
    return newStr(String.fromCodePoint(Number(n)));
  });
  const anyAll = (name: string, want: boolean) =>
    def(name, (a) => {
      nargs(name, a, 1, 1);
      let found = false;
      each(a[0], (x) => {
        if (truthy(x) === want) {
          found = true;
          return false;
        }
      });
      return pyBool(found === want);
    });
  anyAll('any', true);
  anyAll('all', false);
  def('iter', (a) => {
    nargs('iter', a, 1, 2);
    if (a.length === 2) return newHandle(new CallIter(a[0], a[1]));
    return getIter(a[0]);
  });
  def('next', (a) => {
    nargs('next', a, 1, 2);
    const it = a[0];
    if (!(handleOf(it) instanceof PyIter) && !isinstance(it, generatorType))
      throw pyErr(PyTypeError, `'${typeName(it)}' object is not an iterator`);
    const v = iterNext(it);
    if (v === 0) {
      if (a.length > 1) {
        incref(a[1]);
        return a[1];
      }
      throw pyErr(StopIteration);
    }
    return v;
  });
  def('callable', (a) => {
    nargs('callable', a, 1, 1);
    const k = kindOf(a[0]);
    return pyBool(k === K_BUILTIN || k === K_FUNCTION || k === K_TYPE);
  });
  def('getattr', (a) => {
    nargs('getattr', a, 2, 3);
    const name = attrName(a[1]);
    try {
      return getAttr(a[0], name);
    } catch (e) {
      if (a.length > 2 && e instanceof PyExc && e.type.name === 'AttributeError') {
        dropExc(e);
        incref(a[2]);
        return a[2];
      }
      throw e;
    }
  });
  def('hasattr', (a) => {
    exactArgs('hasattr', a, 2);
    const name = attrName(a[1]);
    try {
      decref(getAttr(a[0], name));
      return TRUE;
    } catch (e) {
      if (e instanceof PyExc && e.type.name === 'AttributeError') {
        dropExc(e);
        return FALSE;
      }
      throw e;
    }
  });
  def('setattr', (a) => {
    exactArgs('setattr', a, 3);
    setAttr(a[0], attrName(a[1]), a[2]);
    return NONE;
  });
  def('format', (a) => {
    nargs('format', a, 1, 2);
    return newStr(formatValue(a[0], a.length > 1 ? mustStr(a[1], 'format', 'argument 2') : ''));
  });
  const radix = (name: string, r: number, p: string) =>
    def(name, (a) => {
      nargs(name, a, 1, 1);
      const bn = BigInt(mustInt(a[0]));
      return newStr(bn < 0n ? `-${p}${(-bn).toString(r)}` : `${p}${bn.toString(r)}`);
    });
  radix('hex', 16, '0x');
  radix('oct', 8, '0o');
  radix('bin', 2, '0b');
  def('input', () => {
    throw pyErr(EXCEPTION_TYPES.get('OSError')!, 'input() is not available in MiniPy');
  });
}

function initReceivers(): void {
  RECEIVER.set(tupleType, isTuple);
  RECEIVER.set(rangeType, (r) => kindOf(r) === K_RANGE);
  RECEIVER.set(intType, isIntLike);
  RECEIVER.set(floatType, isFloat);
  RECEIVER.set(bytesType, isBytes);
  RECEIVER.set(strType, isStr);
  RECEIVER.set(listType, isList);
  RECEIVER.set(dictType, isDict);
  RECEIVER.set(setType, (r) => isSet(r) && !isFrozenSet(r));
  RECEIVER.set(frozensetType, isFrozenSet);
}

let typesReady = false;
/** Install constructors and methods on the builtin types and register the builtins (idempotent). */
export function initTypes(): void {
  if (typesReady) return;
  typesReady = true;
  initReceivers();
  initTypeCtors();
  initStrMethods();
  initListMethods();
  initDictMethods();
  initSetMethods();
  initNumberMethods();
  initBuiltinFns();
}

// registered once, at module load, so native ids are the same in every worker
initTypes();

/** The builtin types, by their builtin names. */
const BUILTIN_TYPES = [
  intType,
  floatType,
  strType,
  boolType,
  listType,
  tupleType,
  dictType,
  setType,
  frozensetType,
  rangeType,
  sliceType,
  bytesType,
  typeType,
  objectType,
];

/**
 * Create the builtins namespace in the current heap: a new reference to a dict of the builtin
 * functions, types and exception types (the caller owns it).
 */
export function createBuiltins(): Ref {
  initTypes();
  const b = H.newDict();
  const put = (name: string, v: Ref) => {
    H.dictSet(b, intern(name), v);
  };
  for (const t of BUILTIN_TYPES) put(t.name, typeRef(t));
  for (const [name, t] of EXCEPTION_TYPES) put(name, typeRef(t));
  for (const [name, id] of BUILTIN_FNS) {
    const f = newBuiltin(id);
    put(name, f);
    decref(f);
  }
  put('None', NONE);
  put('Ellipsis', newTuple([]));
  return b;
}

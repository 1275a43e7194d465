/**
 * Slow paths of the operators: everything the eval loop's inline int fast paths do not cover
 * (big ints, floats, sequences, sets, formatting), with CPython's error messages. Operands are
 * borrowed refs; results are new refs.
 */
import { percentFormat } from './format.js';
import { cPow } from './libm.js';
import {
  asIndex,
  contains,
  dictLookup,
  dictStore,
  eq,
  forEach,
  fromHeapError,
  IndexError,
  isInt,
  KeyError,
  MemoryError,
  normBig,
  OverflowError,
  PyDictView,
  PyTypeError,
  pyErr,
  setAddKey,
  toArray,
  toBigInt,
  toFloat,
  typeName,
  ValueError,
  ZeroDivisionError,
} from './objects.js';
import { BINARY_OPS } from './opcodes.js';
import {
  bytesOf,
  decref,
  decrefAll,
  FALSE,
  H,
  handleOf,
  incref,
  intOf,
  isBytes,
  isDict,
  isFloat,
  isFrozenSet,
  isList,
  isSet,
  isStr,
  isTuple,
  K_HANDLE,
  K_RANGE,
  K_SLICE,
  kindOf,
  listAt,
  listItems,
  listLen,
  lockRef,
  lockRefs2,
  NONE,
  newBytes,
  newFloat,
  newInt,
  newList,
  newListSteal,
  newRange,
  newSet,
  newStr,
  newTuple,
  newTupleSteal,
  pyBool,
  type Ref,
  rangeLen,
  rangeStart,
  rangeStep,
  sliceStart,
  sliceStep,
  sliceStop,
  strOf,
  TRUE,
  tupleAt,
  tupleItems,
  tupleLen,
  unlockRef,
  unlockRefs2,
} from './rt.js';

function big(a: number | bigint, b: number | bigint, f: (x: bigint, y: bigint) => bigint): Ref {
  return newInt(f(BigInt(a), BigInt(b)));
}

/** int op int with arbitrary precision (op: BINARY_OP argument without the in-place offset). */
export function intBinary(op: number, a: number | bigint, b: number | bigint): Ref {
  const small = typeof a === 'number' && typeof b === 'number';
  switch (op) {
    case 0: {
      if (small) {
        const r = (a as number) + (b as number);
        if (Number.isSafeInteger(r)) return newInt(r);
      }
      return big(a, b, (x, y) => x + y);
    }
    case 10: {
      if (small) {
        const r = (a as number) - (b as number);
        if (Number.isSafeInteger(r)) return newInt(r);
      }
      return big(a, b, (x, y) => x - y);
    }
    case 5: {
      if (small) {
        const r = (a as number) * (b as number);
        if (Number.isSafeInteger(r)) return newInt(r === 0 ? 0 : r);
      }
      return big(a, b, (x, y) => x * y);
    }
    case 2:
    case 6: {
      if (b === 0 || b === 0n)
        throw pyErr(
          ZeroDivisionError,
          op === 6 ? 'integer modulo by zero' : 'integer division or modulo by zero',
        );
      if (small && Math.abs(a as number) < 2 ** 52 && Math.abs(b as number) < 2 ** 52) {
        const x = a as number;
        const y = b as number;
        let m = x % y;
        if (m !== 0 && m < 0 !== y < 0) m += y;
        if (op === 6) return newInt(m === 0 ? 0 : m);
        const q = (x - m) / y;
        return newInt(q === 0 ? 0 : q);
      }
      const x = BigInt(a);
      const y = BigInt(b);
      let m = x % y;
      if (m !== 0n && m < 0n !== y < 0n) m += y;
      if (op === 6) return newInt(m);
      return newInt((x - m) / y);
    }
    case 11: {
      if (b === 0 || b === 0n) throw pyErr(ZeroDivisionError, 'division by zero');
      if (small) return newFloat((a as number) / (b as number));
      return newFloat(bigDiv(BigInt(a), BigInt(b)));
    }
    case 8: {
      if (b < 0) {
        if (a === 0 || a === 0n) throw pyErr(ZeroDivisionError, '0.0 cannot be raised to a negative power');
        return floatBinary(8, Number(a), Number(b));
      }
      if (small && Math.abs(a as number) <= 1) {
        if (a === 1 || a === 0) return newInt(b === 0 ? 1 : (a as number));
        return newInt((b as number) % 2 === 0 ? 1 : -1);
      }
      if (BigInt(b) > 100_000_000n) throw pyErr(OverflowError, 'exponent too large for MiniPy');
      if (small) {
        const r = (a as number) ** (b as number);
        if (Number.isSafeInteger(r)) return newInt(r);
      }
      return newInt(BigInt(a) ** BigInt(b));
    }
    case 1:
      if (small && Math.abs(a as number) < 2 ** 31 && Math.abs(b as number) < 2 ** 31)
        return newInt((a as number) & (b as number));
      return big(a, b, (x, y) => x & y);
    case 7:
      if (small && Math.abs(a as number) < 2 ** 31 && Math.abs(b as number) < 2 ** 31)
        return newInt((a as number) | (b as number));
      return big(a, b, (x, y) => x | y);
    case 12:
      if (small && Math.abs(a as number) < 2 ** 31 && Math.abs(b as number) < 2 ** 31)
        return newInt((a as number) ^ (b as number));
      return big(a, b, (x, y) => x ^ y);
    case 3:
      if (b < 0) throw pyErr(ValueError, 'negative shift count');
      if (a === 0 || a === 0n) return newInt(0);
      if (BigInt(b) > 10_000_000n) {
        // CPython: more than MAX_LONG_DIGITS 30-bit digits is an OverflowError, else the allocation fails
        if (BigInt(b) / 30n > 2305843009213693951n) throw pyErr(OverflowError, 'too many digits in integer');
        throw pyErr(MemoryError);
      }
      return big(a, b, (x, y) => x << y);
    case 9:
      if (b < 0) throw pyErr(ValueError, 'negative shift count');
      return big(a, b, (x, y) => x >> y);
  }
  throw pyErr(PyTypeError, 'bad operand');
}

/** Correctly-scaled big int true division. */
function bigDiv(x: bigint, y: bigint): number {
  const neg = x < 0n !== y < 0n;
  const a = x < 0n ? -x : x;
  const b = y < 0n ? -y : y;
  // quotient scaled to ~64 significant bits, then rounded once to a double and rescaled
  const shift = b.toString(2).length - a.toString(2).length + 64;
  const q = shift >= 0 ? (a << BigInt(shift)) / b : a / (b << BigInt(-shift));
  let r = Number(q);
  let s = shift;
  while (s > 0) {
    const step = Math.min(s, 1000);
    r /= 2 ** step;
    s -= step;
  }
  while (s < 0) {
    const step = Math.min(-s, 1000);
    r *= 2 ** step;
    s += step;
  }
  if (!Number.isFinite(r)) throw pyErr(OverflowError, 'integer division result too large for a float');
  return neg ? -r : r;
}

function floatMod(x: number, y: number): number {
  let m = x % y;
  if (m !== 0 && m < 0 !== y < 0) m += y;
  else if (m === 0) m = y < 0 ? -0 : 0;
  return m;
}

/** float op float (ints already converted). */
export function floatBinary(op: number, x: number, y: number): Ref {
  switch (op) {
    case 0:
      return newFloat(x + y);
    case 10:
      return newFloat(x - y);
    case 5:
      return newFloat(x * y);
    case 11:
      if (y === 0) throw pyErr(ZeroDivisionError, 'float division by zero');
      return newFloat(x / y);
    case 2:
      if (y === 0) throw pyErr(ZeroDivisionError, 'float floor division by zero');
      return newFloat(Math.floor(x / y));
    case 6:
      if (y === 0) throw pyErr(ZeroDivisionError, 'float modulo');
      return newFloat(floatMod(x, y));
    case 8: {
      if (x === 0 && y < 0) throw pyErr(ZeroDivisionError, '0.0 cannot be raised to a negative power');
      if (x < 0 && !Number.isInteger(y))
        throw pyErr(ValueError, 'complex results are not supported by MiniPy');
      // C99 pow with glibc's (correctly rounded) digits, as CPython's float_pow; V8's `**` differs
      // in the last digit for some operands
      const r = cPow(x, y);
      if (!Number.isFinite(r) && Number.isFinite(x) && Number.isFinite(y)) {
        const e = pyErr(OverflowError);
        e.args = [newInt(34), newStr('Numerical result out of range')];
        throw e;
      }
      return newFloat(r);
    }
  }
  throw pyErr(PyTypeError, `unsupported operand type(s) for ${BINARY_OPS[op]}: 'float' and 'float'`);
}

function unsupported(op: number, a: Ref, b: Ref): never {
  const sym = BINARY_OPS[op % 13];
  const s = op >= 13 ? `${sym}=` : sym;
  if (op === 8 || op === 21)
    throw pyErr(
      PyTypeError,
      `unsupported operand type(s) for ** or pow(): '${typeName(a)}' and '${typeName(b)}'`,
    );
  throw pyErr(PyTypeError, `unsupported operand type(s) for ${s}: '${typeName(a)}' and '${typeName(b)}'`);
}

/** `items * n` as a borrowed array (the caller increfs what it keeps). */
function repeat<T>(a: T[], n: Ref): T[] {
  const k = asRepeatCount(n);
  const out: T[] = [];
  for (let i = 0; i < k; i++) for (const x of a) out.push(x);
  return out;
}
function asRepeatCount(n: Ref): number {
  const b = intOf(n);
  if (typeof b === 'bigint' && (b > 9223372036854775807n || b < -9223372036854775808n))
    throw pyErr(OverflowError, "cannot fit 'int' into an index-sized integer");
  const k = Number(b);
  if (k > 50_000_000) throw pyErr(OverflowError, 'repeated sequence is too long for MiniPy');
  return Math.max(0, k);
}

/** Replace a list's contents with `items` (borrowed), in place (the caller holds its critical section). */
export function listReplace(l: Ref, items: readonly Ref[]): void {
  // hold the new items first: they may be kept alive only by the list itself
  for (const x of items) incref(x);
  H.listClear(l);
  for (const x of items) H.listAppendSteal(l, x);
}

/** `a <op> b` where op is a BINARY_OP argument (13+ = in-place). Returns a new ref. */
export function binaryOp(op: number, a: Ref, b: Ref): Ref {
  const inplace = op >= 13;
  const o = inplace ? op - 13 : op;
  if (isInt(a) && isInt(b)) {
    // bool & | ^ bool stays a bool
    if ((a === TRUE || a === FALSE) && (b === TRUE || b === FALSE) && (o === 1 || o === 7 || o === 12)) {
      const x = a === TRUE;
      const y = b === TRUE;
      return pyBool(o === 1 ? x && y : o === 7 ? x || y : x !== y);
    }
    return intBinary(o, intOf(a), intOf(b));
  }
  if (isFloat(a) || isFloat(b)) {
    const fa = toFloat(a);
    const fb = toFloat(b);
    if (fa !== undefined && fb !== undefined) {
      if (o === 0 || o === 10 || o === 5 || o === 11 || o === 2 || o === 6 || o === 8)
        return floatBinary(o, fa, fb);
      unsupported(op, a, b);
    }
  }
  switch (o) {
    case 0: // +
      if (isStr(a)) {
        if (isStr(b)) return newStr(strOf(a) + strOf(b));
        throw pyErr(PyTypeError, `can only concatenate str (not "${typeName(b)}") to str`);
      }
      if (isList(a)) {
        if (inplace) {
          const items = toArray(b); // may run Python code: before the critical section
          lockRef(a);
          try {
            for (const x of items) H.listAppendSteal(a, x);
          } finally {
            unlockRef(a);
          }
          incref(a);
          return a;
        }
        if (isList(b)) {
          lockRefs2(a, b);
          try {
            return newList(listItems(a).concat(listItems(b)));
          } finally {
            unlockRefs2(a, b);
          }
        }
        throw pyErr(PyTypeError, `can only concatenate list (not "${typeName(b)}") to list`);
      }
      if (isTuple(a)) {
        if (isTuple(b)) return newTuple(tupleItems(a).concat(tupleItems(b)));
        throw pyErr(PyTypeError, `can only concatenate tuple (not "${typeName(b)}") to tuple`);
      }
      if (isBytes(a)) {
        if (!isBytes(b)) throw pyErr(PyTypeError, `can't concat ${typeName(b)} to bytes`);
        const x = bytesOf(a);
        const y = bytesOf(b);
        const r = new Uint8Array(x.length + y.length);
        r.set(x);
        r.set(y, x.length);
        return newBytes(r);
      }
      break;
    case 5: // *
      if (isStr(a) && isInt(b)) return newStr(strOf(a).repeat(asRepeatCount(b)));
      if (isStr(b) && isInt(a)) return newStr(strOf(b).repeat(asRepeatCount(a)));
      if (isList(a) && isInt(b)) {
        if (inplace) {
          lockRef(a);
          try {
            listReplace(a, repeat(listItems(a), b));
          } finally {
            unlockRef(a);
          }
          incref(a);
          return a;
        }
        return newList(repeat(listItems(a), b));
      }
      if (isList(b) && isInt(a)) return newList(repeat(listItems(b), a));
      if (isTuple(a) && isInt(b)) return newTuple(repeat(tupleItems(a), b));
      if (isTuple(b) && isInt(a)) return newTuple(repeat(tupleItems(b), a));
      if (isBytes(a) && isInt(b)) return newBytes(Uint8Array.from(repeat(Array.from(bytesOf(a)), b)));
      if (isStr(a) || isStr(b) || isList(a) || isTuple(a) || isList(b) || isTuple(b)) {
        const seq = isStr(a) || isList(a) || isTuple(a) ? a : b;
        const other = seq === a ? b : a;
        throw pyErr(PyTypeError, `can't multiply sequence by non-int of type '${typeName(other)}'`);
      }
      break;
    case 6: // %
      if (isStr(a)) return newStr(percentFormat(strOf(a), b));
      break;
    case 7: // |
    case 1: // &
    case 10: // -
    case 12: // ^
      if ((isSet(a) && isSet(b)) || (o === 7 && isDict(a) && isDict(b))) {
        lockRefs2(a, b);
        try {
          return setOrDictOp(o, inplace, a, b);
        } finally {
          unlockRefs2(a, b);
        }
      }
      break;
  }
  if (isDictView(a) && (isSet(b) || isDictView(b))) {
    const sa = setFromIterable(a);
    const sb = isSet(b) ? b : setFromIterable(b);
    try {
      return binaryOp(op % 13, sa, sb);
    } finally {
      decref(sa);
      if (sb !== b) decref(sb);
    }
  }
  return unsupported(op, a, b);
}

/**
 * `a <op> b` for two sets (|, &, -, ^) or two dicts (|); the caller holds both critical sections.
 * The set algorithms are CPython 3.11's (setobject.c), step for step, so results iterate in
 * CPython's order: the result's table is built the same way.
 */
function setOrDictOp(o: number, inplace: boolean, a: Ref, b: Ref): Ref {
  if (isDict(a)) {
    const r = inplace ? a : copyDict(a);
    if (inplace) incref(a);
    dictUpdate(r, b);
    return r;
  }
  switch (o) {
    case 7: // | : set_or = copy(a), then set_merge(b); |= merges into a
      if (inplace) {
        H.setUpdate(a, b);
        incref(a);
        return a;
      }
      return setUnion(a, b);
    case 1: {
      // & : set_intersection; &= swaps the result's table into a (set_intersection_update)
      const r = setIntersection(a, b);
      if (!inplace) return r;
      H.setSwapBodies(a, r);
      decref(r);
      incref(a);
      return a;
    }
    case 10: // - : set_difference; -= discards b's keys from a (set_difference_update_internal)
      if (inplace) {
        if (a === b) setClear(a);
        else for (const k of H.setKeys(b)) H.setDiscard(a, k);
        incref(a);
        return a;
      }
      return setDifference(a, b);
    case 12: {
      // ^ : copy(b) (a's type), then symmetric_difference_update with a's keys; ^= updates a with b's
      if (inplace) {
        if (a === b) setClear(a);
        else symmetricUpdate(a, b);
        incref(a);
        return a;
      }
      const r = newSet([], isFrozenSet(a));
      H.setUpdate(r, b);
      symmetricUpdate(r, a);
      return r;
    }
  }
  throw pyErr(PyTypeError, 'bad operand');
}

/** `so ^= other` (set_symmetric_difference_update): each key of other is discarded from so, or added. */
function symmetricUpdate(so: Ref, other: Ref): void {
  for (const k of H.setKeys(other)) if (!H.setDiscard(so, k)) H.setAdd(so, k);
}

/** `set_clear_internal`: a fresh empty table. */
function setClear(s: Ref): void {
  const empty = newSet();
  H.setSwapBodies(s, empty);
  decref(empty); // drops the old keys
}

/** `a | b` for sets (result of a's type). */
export function setUnion(a: Ref, b: Ref): Ref {
  const r = copySet(a);
  H.setUpdate(r, b);
  return r;
}

/** `a & b` for sets (set_intersection: walk the smaller, keep keys the larger has). */
export function setIntersection(a: Ref, b: Ref): Ref {
  if (a === b) return copySet(a);
  const r = newSet([], isFrozenSet(a));
  let so = a;
  let other = b;
  if (H.setLen(other) > H.setLen(so)) {
    so = b;
    other = a;
  }
  for (const k of H.setKeys(other)) if (H.setContains(so, k)) H.setAdd(r, k);
  return r;
}

/** `a - b` for sets (set_difference: copy-and-discard when a is much larger than b). */
export function setDifference(a: Ref, b: Ref): Ref {
  if (H.setLen(a) >> 2 > H.setLen(b)) {
    const r = copySet(a);
    if (a === b) setClear(r);
    else for (const k of H.setKeys(b)) H.setDiscard(r, k);
    return r;
  }
  const r = newSet([], isFrozenSet(a));
  if (a === b) return r;
  for (const k of H.setKeys(a)) if (!H.setContains(b, k)) H.setAdd(r, k);
  return r;
}

function isDictView(r: Ref): boolean {
  return kindOf(r) === K_HANDLE && handleOf(r) instanceof PyDictView;
}

/** A new set (or frozenset) of the items of `src` (borrowed), or an empty one. */
export function setFromIterable(src: Ref | undefined, frozen = false): Ref {
  if (src !== undefined && isSet(src)) {
    // CPython's set_update_internal merges a set's table (set_merge): same layout, same order
    lockRef(src);
    try {
      return copySet(src, frozen);
    } finally {
      unlockRef(src);
    }
  }
  const s = newSet([], frozen);
  if (src === undefined) return s;
  try {
    forEach(src, (x) => {
      setAddKey(s, x);
    });
  } catch (e) {
    decref(s);
    throw e;
  }
  return s;
}

/** A new set (frozen if `a` is, or as `frozen` says) with the same keys, laid out as CPython's `set_copy`. */
export function copySet(a: Ref, frozen = isFrozenSet(a)): Ref {
  const r = newSet([], frozen);
  H.setUpdate(r, a);
  return r;
}

/** A new dict with the same entries (insertion order kept). */
export function copyDict(a: Ref): Ref {
  const r = H.newDict();
  dictUpdate(r, a);
  return r;
}

/** `d.update(other)` for a dict `other`. */
export function dictUpdate(d: Ref, other: Ref): void {
  if (d === other) return;
  // snapshot: setting into d cannot change `other` unless they are the same dict
  const keys: Ref[] = [];
  const vals: Ref[] = [];
  for (let p = H.dictNext(other, -1); p >= 0; p = H.dictNext(other, p)) {
    keys.push(H.dictKeyAt(other, p));
    vals.push(H.dictValueAt(other, p));
  }
  for (let k = 0; k < keys.length; k++) H.dictSet(d, keys[k], vals[k]);
}

export function unaryNeg(v: Ref): Ref {
  if (isInt(v)) {
    const x = intOf(v);
    return typeof x === 'number' ? newInt(x === 0 ? 0 : -x) : newInt(-x);
  }
  if (isFloat(v)) return newFloat(-H.floatValue(v));
  throw pyErr(PyTypeError, `bad operand type for unary -: '${typeName(v)}'`);
}
export function unaryPos(v: Ref): Ref {
  if (v === TRUE || v === FALSE) return newInt(v === TRUE ? 1 : 0);
  if (isInt(v) || isFloat(v)) {
    incref(v);
    return v;
  }
  throw pyErr(PyTypeError, `bad operand type for unary +: '${typeName(v)}'`);
}
export function unaryInvert(v: Ref): Ref {
  if (isInt(v)) {
    const x = intOf(v);
    return typeof x === 'number' ? newInt(-x - 1) : newInt(normBigOrSelf(-x - 1n));
  }
  throw pyErr(PyTypeError, `bad operand type for unary ~: '${typeName(v)}'`);
}
function normBigOrSelf(b: bigint): number | bigint {
  return normBig(b);
}

// ---- slices ----

/** Resolve a slice against a length: [start, stop, step, count]. */
export function sliceIndices(s: Ref, len: number): [number, number, number, number] {
  let step = 1;
  const st = sliceStep(s);
  if (st !== NONE) {
    step = asIndex(st, 'slice indices');
    if (step === 0) throw pyErr(ValueError, 'slice step cannot be zero');
  }
  const norm = (v: Ref, def: number, lo: number, hi: number): number => {
    if (v === NONE) return def;
    let i = asIndex(v, 'slice indices');
    if (i < 0) i += len;
    return i < lo ? lo : Math.min(i, hi);
  };
  let start: number;
  let stop: number;
  if (step > 0) {
    start = norm(sliceStart(s), 0, 0, len);
    stop = norm(sliceStop(s), len, 0, len);
  } else {
    start = norm(sliceStart(s), len - 1, -1, len - 1);
    stop = norm(sliceStop(s), -1, -1, len - 1);
  }
  let count = 0;
  if (step > 0 ? start < stop : start > stop)
    count = Math.floor((stop - start - (step > 0 ? 1 : -1)) / step) + 1;
  return [start, stop, step, count];
}

function sliceArray<T>(a: T[], s: Ref): T[] {
  const [start, , step, count] = sliceIndices(s, a.length);
  if (step === 1) return a.slice(start, start + count);
  const out: T[] = new Array(count);
  for (let i = 0, j = start; i < count; i++, j += step) out[i] = a[j];
  return out;
}

function normIndex(i: Ref, len: number, what: string): number {
  if (isInt(i)) {
    const v = intOf(i);
    if (typeof v === 'bigint' && (v > 9223372036854775807n || v < -9223372036854775808n)) {
      throw pyErr(IndexError, "cannot fit 'int' into an index-sized integer");
    }
  }
  let k = asIndex(i, what ? `${what} indices` : 'byte indices');
  if (k < 0) k += len;
  if (k < 0 || k >= len) throw pyErr(IndexError, what ? `${what} index out of range` : 'index out of range');
  return k;
}

function isSlice(r: Ref): boolean {
  return kindOf(r) === K_SLICE;
}

/** `o[i]` (new ref). */
export function getItem(o: Ref, i: Ref): Ref {
  if (isList(o)) {
    if (isSlice(i)) return newList(sliceArray(listItems(o), i));
    const v = listAt(o, normIndex(i, listLen(o), 'list'));
    incref(v);
    return v;
  }
  if (isTuple(o)) {
    if (isSlice(i)) return newTuple(sliceArray(tupleItems(o), i));
    const v = tupleAt(o, normIndex(i, tupleLen(o), 'tuple'));
    incref(v);
    return v;
  }
  if (isDict(o)) {
    const v = dictLookup(o, i);
    if (v === 0) return keyError(i);
    incref(v);
    return v;
  }
  if (isStr(o)) {
    if (isSlice(i)) {
      const chars = Array.from(strOf(o));
      return newStr(sliceArray(chars, i).join(''));
    }
    if (!isInt(i)) throw pyErr(PyTypeError, `string indices must be integers, not '${typeName(i)}'`);
    return H.strCharAt(o, normIndex(i, H.strLen(o), 'string'));
  }
  const kind = kindOf(o);
  if (kind === K_RANGE) {
    const len = rangeLen(o);
    const ostart = rangeStart(o);
    const ostep = rangeStep(o);
    if (isSlice(i)) {
      const [start, , step, count] = sliceIndices(i, len);
      const s = ostart + start * ostep;
      return newRange(s, s + count * step * ostep, step * ostep);
    }
    const k = normIndex(i, len, 'range object');
    return newInt(ostart + k * ostep);
  }
  if (isBytes(o)) {
    const b = bytesOf(o);
    if (isSlice(i)) return newBytes(Uint8Array.from(sliceArray(Array.from(b), i)));
    return newInt(b[normIndex(i, b.length, '')]);
  }
  throw pyErr(PyTypeError, `'${typeName(o)}' object is not subscriptable`);
}

/** Raise `KeyError(k)`. */
export function keyError(k: Ref): never {
  const e = pyErr(KeyError);
  incref(k);
  e.args = [k];
  throw e;
}

/** `o[i] = v` (o and the container take their own references). */
export function setItem(o: Ref, i: Ref, v: Ref): void {
  if (isList(o)) {
    if (isSlice(i)) {
      const items = toArray(v); // may run Python code: before the critical section
      lockRef(o);
      try {
        const old = listItems(o);
        const [start, stop, step, count] = sliceIndices(i, old.length);
        if (step === 1) {
          const next = old.slice(0, start).concat(items, old.slice(Math.max(start, stop)));
          listReplace(o, next);
          return;
        }
        if (items.length !== count) {
          throw pyErr(
            ValueError,
            `attempt to assign sequence of size ${items.length} to extended slice of size ${count}`,
          );
        }
        for (let k = 0, j = start; k < count; k++, j += step) H.listSet(o, j, items[k]);
      } finally {
        unlockRef(o);
        decrefAll(items);
      }
      return;
    }
    lockRef(o);
    try {
      H.listSet(o, normIndex(i, listLen(o), 'list assignment'), v);
    } finally {
      unlockRef(o);
    }
    return;
  }
  if (isDict(o)) {
    dictStore(o, i, v);
    return;
  }
  throw pyErr(PyTypeError, `'${typeName(o)}' object does not support item assignment`);
}

/** `del o[i]`. */
export function delItem(o: Ref, i: Ref): void {
  if (isList(o)) {
    lockRef(o);
    try {
      if (isSlice(i)) {
        const old = listItems(o);
        const [start, , step, count] = sliceIndices(i, old.length);
        const drop = new Set<number>();
        for (let k = 0, j = start; k < count; k++, j += step) drop.add(j);
        listReplace(
          o,
          old.filter((_, idx) => !drop.has(idx)),
        );
        return;
      }
      H.listDelete(o, normIndex(i, listLen(o), 'list assignment'));
    } finally {
      unlockRef(o);
    }
    return;
  }
  if (isDict(o)) {
    lockRef(o);
    let found: boolean;
    try {
      found = H.dictDelete(o, i);
    } catch (e) {
      throw fromHeapError(e) ?? e;
    } finally {
      unlockRef(o);
    }
    if (!found) keyError(i);
    return;
  }
  throw pyErr(PyTypeError, `'${typeName(o)}' object doesn't support item deletion`);
}

export { contains, eq };
export const bigintOf = toBigInt;
/** A new tuple taking over `items` (re-export for callers of ops). */
export const tupleSteal = newTupleSteal;
/** A new list taking over `items` (re-export for callers of ops). */
export const listSteal = newListSteal;

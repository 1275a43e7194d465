/**
 * Slow paths of the operators: everything the eval loop's inline int fast paths do not cover
 * (bigints, floats, sequences, sets, formatting), with CPython's error messages.
 */
import { percentFormat } from './format.js';
import {
  asIndex,
  contains,
  eq,
  IndexError,
  isInt,
  KeyError,
  MemoryError,
  mkFloat,
  normBig,
  OverflowError,
  PyBytes,
  PyDict,
  PyDictView,
  PyFloat,
  PyList,
  PyRange,
  PySet,
  PySlice,
  PyTuple,
  PyTypeError,
  pyErr,
  toArray,
  toBigInt,
  toFloat,
  typeName,
  type V,
  ValueError,
  ZeroDivisionError,
} from './objects.js';
import { BINARY_OPS } from './opcodes.js';

function intOf(v: V): number | bigint {
  return typeof v === 'boolean' ? (v ? 1 : 0) : (v as number | bigint);
}

function big(a: number | bigint, b: number | bigint, f: (x: bigint, y: bigint) => bigint): number | bigint {
  return normBig(f(BigInt(a), BigInt(b)));
}

/** int op int with arbitrary precision. */
export function intBinary(op: number, a: number | bigint, b: number | bigint): V {
  const small = typeof a === 'number' && typeof b === 'number';
  switch (op) {
    case 0: {
      if (small) {
        const r = (a as number) + (b as number);
        if (Number.isSafeInteger(r)) return r;
      }
      return big(a, b, (x, y) => x + y);
    }
    case 10: {
      if (small) {
        const r = (a as number) - (b as number);
        if (Number.isSafeInteger(r)) return r;
      }
      return big(a, b, (x, y) => x - y);
    }
    case 5: {
      if (small) {
        const r = (a as number) * (b as number);
        if (Number.isSafeInteger(r)) return r === 0 ? 0 : r;
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
        if (op === 6) return m === 0 ? 0 : m;
        const q = (x - m) / y;
        return q === 0 ? 0 : q;
      }
      const x = BigInt(a);
      const y = BigInt(b);
      let m = x % y;
      if (m !== 0n && m < 0n !== y < 0n) m += y;
      if (op === 6) return normBig(m);
      return normBig((x - m) / y);
    }
    case 11: {
      if (b === 0 || b === 0n) throw pyErr(ZeroDivisionError, 'division by zero');
      if (small) return mkFloat((a as number) / (b as number));
      return mkFloat(bigDiv(BigInt(a), BigInt(b)));
    }
    case 8: {
      if (b < 0) {
        if (a === 0 || a === 0n) throw pyErr(ZeroDivisionError, '0.0 cannot be raised to a negative power');
        return floatBinary(8, Number(a), Number(b));
      }
      if (small && Math.abs(a as number) <= 1) {
        if (a === 1 || a === 0) return b === 0 ? 1 : (a as number);
        return (b as number) % 2 === 0 ? 1 : -1;
      }
      if (BigInt(b) > 100_000_000n) throw pyErr(OverflowError, 'exponent too large for MiniPy');
      return normBig(BigInt(a) ** BigInt(b));
    }
    case 1:
      if (small && Math.abs(a as number) < 2 ** 31 && Math.abs(b as number) < 2 ** 31)
        return (a as number) & (b as number);
      return big(a, b, (x, y) => x & y);
    case 7:
      if (small && Math.abs(a as number) < 2 ** 31 && Math.abs(b as number) < 2 ** 31)
        return (a as number) | (b as number);
      return big(a, b, (x, y) => x | y);
    case 12:
      if (small && Math.abs(a as number) < 2 ** 31 && Math.abs(b as number) < 2 ** 31)
        return (a as number) ^ (b as number);
      return big(a, b, (x, y) => x ^ y);
    case 3:
      if (b < 0) throw pyErr(ValueError, 'negative shift count');
      if (a === 0 || a === 0n) return 0;
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

export function floatBinary(op: number, x: number, y: number): V {
  switch (op) {
    case 0:
      return mkFloat(x + y);
    case 10:
      return mkFloat(x - y);
    case 5:
      return mkFloat(x * y);
    case 11:
      if (y === 0) throw pyErr(ZeroDivisionError, 'float division by zero');
      return mkFloat(x / y);
    case 2:
      if (y === 0) throw pyErr(ZeroDivisionError, 'float floor division by zero');
      return mkFloat(Math.floor(x / y));
    case 6:
      if (y === 0) throw pyErr(ZeroDivisionError, 'float modulo');
      return mkFloat(floatMod(x, y));
    case 8: {
      if (x === 0 && y < 0) throw pyErr(ZeroDivisionError, '0.0 cannot be raised to a negative power');
      if (x < 0 && !Number.isInteger(y))
        throw pyErr(ValueError, 'complex results are not supported by MiniPy');
      let r = x ** y;
      if (y < 0 && Number.isInteger(y)) {
        // 10.0 ** -5: V8's pow is off by an ulp where 1 / 10**5 (both steps exact or correctly rounded) is not
        const p = x ** -y;
        if (Math.abs(x) === 10) r = (x < 0 && y % 2 !== 0 ? -1 : 1) * Number(`1e${y}`);
        else if (Number.isInteger(p) && Math.abs(p) <= 2 ** 53) r = 1 / p;
      } else if (Math.abs(x) === 10 && Number.isInteger(y) && y > 0) {
        r = (x < 0 && y % 2 !== 0 ? -1 : 1) * Number(`1e${y}`);
      }
      if (!Number.isFinite(r) && Number.isFinite(x) && Number.isFinite(y)) {
        const e = pyErr(OverflowError);
        e.args = [34, 'Numerical result out of range'];
        throw e;
      }
      return mkFloat(r);
    }
  }
  throw pyErr(PyTypeError, `unsupported operand type(s) for ${BINARY_OPS[op]}: 'float' and 'float'`);
}

function unsupported(op: number, a: V, b: V): never {
  const sym = BINARY_OPS[op % 13];
  const s = op >= 13 ? `${sym}=` : sym;
  if (op === 8 || op === 21)
    throw pyErr(
      PyTypeError,
      `unsupported operand type(s) for ** or pow(): '${typeName(a)}' and '${typeName(b)}'`,
    );
  throw pyErr(PyTypeError, `unsupported operand type(s) for ${s}: '${typeName(a)}' and '${typeName(b)}'`);
}

function repeat<T>(a: T[], n: V): T[] {
  const k = asRepeatCount(n);
  const out: T[] = [];
  for (let i = 0; i < k; i++) for (const x of a) out.push(x);
  return out;
}
function asRepeatCount(n: V): number {
  const big = intOf(n);
  if (typeof big === 'bigint' && (big > 9223372036854775807n || big < -9223372036854775808n))
    throw pyErr(OverflowError, "cannot fit 'int' into an index-sized integer");
  const k = Number(big);
  if (k > 50_000_000) throw pyErr(OverflowError, 'repeated sequence is too long for MiniPy');
  return Math.max(0, k);
}

/** `a <op> b` where op is a BINARY_OP argument (13+ = in-place). */
export function binaryOp(op: number, a: V, b: V): V {
  const inplace = op >= 13;
  const o = inplace ? op - 13 : op;
  if (isInt(a) && isInt(b)) {
    // bool & | ^ bool stays a bool
    if (typeof a === 'boolean' && typeof b === 'boolean' && (o === 1 || o === 7 || o === 12)) {
      return o === 1 ? a && b : o === 7 ? a || b : a !== b;
    }
    return intBinary(o, intOf(a), intOf(b));
  }
  const fa = toFloat(a);
  const fb = toFloat(b);
  if (fa !== undefined && fb !== undefined && (a instanceof PyFloat || b instanceof PyFloat)) {
    if (o === 0 || o === 10 || o === 5 || o === 11 || o === 2 || o === 6 || o === 8)
      return floatBinary(o, fa, fb);
    unsupported(op, a, b);
  }
  switch (o) {
    case 0: // +
      if (typeof a === 'string') {
        if (typeof b === 'string') return a + b;
        throw pyErr(PyTypeError, `can only concatenate str (not "${typeName(b)}") to str`);
      }
      if (a instanceof PyList) {
        if (inplace) {
          const items = toArray(b);
          for (const x of items) a.a.push(x);
          return a;
        }
        if (b instanceof PyList) return new PyList(a.a.concat(b.a));
        throw pyErr(PyTypeError, `can only concatenate list (not "${typeName(b)}") to list`);
      }
      if (a instanceof PyTuple) {
        if (b instanceof PyTuple) return new PyTuple(a.a.concat(b.a));
        throw pyErr(PyTypeError, `can only concatenate tuple (not "${typeName(b)}") to tuple`);
      }
      if (a instanceof PyBytes && !(b instanceof PyBytes)) {
        throw pyErr(PyTypeError, `can't concat ${typeName(b)} to bytes`);
      }
      if (a instanceof PyBytes && b instanceof PyBytes) {
        const r = new Uint8Array(a.b.length + b.b.length);
        r.set(a.b);
        r.set(b.b, a.b.length);
        return new PyBytes(r);
      }
      break;
    case 5: // *
      if (typeof a === 'string' && isInt(b)) return a.repeat(asRepeatCount(b));
      if (typeof b === 'string' && isInt(a)) return b.repeat(asRepeatCount(a));
      if (a instanceof PyList && isInt(b)) {
        if (inplace) {
          a.a = repeat(a.a, b);
          return a;
        }
        return new PyList(repeat(a.a, b));
      }
      if (b instanceof PyList && isInt(a)) return new PyList(repeat(b.a, a));
      if (a instanceof PyTuple && isInt(b)) return new PyTuple(repeat(a.a, b));
      if (b instanceof PyTuple && isInt(a)) return new PyTuple(repeat(b.a, a));
      if (a instanceof PyBytes && isInt(b)) return new PyBytes(Uint8Array.from(repeat(Array.from(a.b), b)));
      if (
        typeof a === 'string' ||
        typeof b === 'string' ||
        a instanceof PyList ||
        a instanceof PyTuple ||
        b instanceof PyList ||
        b instanceof PyTuple
      ) {
        const seq = typeof a === 'string' || a instanceof PyList || a instanceof PyTuple ? a : b;
        const other = seq === a ? b : a;
        throw pyErr(PyTypeError, `can't multiply sequence by non-int of type '${typeName(other)}'`);
      }
      break;
    case 6: // %
      if (typeof a === 'string') return percentFormat(a, b);
      break;
    case 7: // |
      if (a instanceof PySet && b instanceof PySet) {
        const r = inplace ? a : copySet(a);
        for (const [k, v] of b.m) if (!r.m.has(k)) r.m.set(k, v);
        return r;
      }
      if (a instanceof PyDict && b instanceof PyDict) {
        const r = inplace ? a : copyDict(a);
        for (const [hk, k] of b.keys) {
          if (!r.keys.has(hk)) r.keys.set(hk, k);
          r.vals.set(hk, b.vals.get(hk)!);
        }
        return r;
      }
      break;
    case 1: // &
      if (a instanceof PySet && b instanceof PySet) {
        const r = new PySet(a.frozen);
        for (const [k, v] of a.m) if (b.m.has(k)) r.m.set(k, v);
        if (inplace) {
          a.m.clear();
          for (const [k, v] of r.m) a.m.set(k, v);
          return a;
        }
        return r;
      }
      break;
    case 10: // -
      if (a instanceof PySet && b instanceof PySet) {
        if (inplace) {
          for (const k of b.m.keys()) a.m.delete(k);
          return a;
        }
        const r = new PySet(a.frozen);
        for (const [k, v] of a.m) if (!b.m.has(k)) r.m.set(k, v);
        return r;
      }
      break;
    case 12: // ^
      if (a instanceof PySet && b instanceof PySet) {
        const r = new PySet(a.frozen);
        for (const [k, v] of a.m) if (!b.m.has(k)) r.m.set(k, v);
        for (const [k, v] of b.m) if (!a.m.has(k)) r.m.set(k, v);
        if (inplace) {
          a.m.clear();
          for (const [k, v] of r.m) a.m.set(k, v);
          return a;
        }
        return r;
      }
      break;
  }
  if (a instanceof PyDictView && b instanceof PySet) return binaryOp(op % 13, setFrom(a), b);
  if (a instanceof PyDictView && b instanceof PyDictView) return binaryOp(op % 13, setFrom(a), setFrom(b));
  return unsupported(op, a, b);
}

function setFrom(v: V): PySet {
  const s = new PySet();
  for (const x of toArray(v)) s.add(x);
  return s;
}
export function copySet(a: PySet): PySet {
  const r = new PySet(a.frozen);
  for (const [k, v] of a.m) r.m.set(k, v);
  return r;
}
export function copyDict(a: PyDict): PyDict {
  const r = new PyDict();
  for (const [hk, k] of a.keys) {
    r.keys.set(hk, k);
    r.vals.set(hk, a.vals.get(hk)!);
  }
  return r;
}

export function unaryNeg(v: V): V {
  if (typeof v === 'number') return v === 0 ? 0 : -v;
  if (typeof v === 'bigint') return normBig(-v);
  if (typeof v === 'boolean') return v ? -1 : 0;
  if (v instanceof PyFloat) return mkFloat(-v.v);
  throw pyErr(PyTypeError, `bad operand type for unary -: '${typeName(v)}'`);
}
export function unaryPos(v: V): V {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (isInt(v) || v instanceof PyFloat) return v;
  throw pyErr(PyTypeError, `bad operand type for unary +: '${typeName(v)}'`);
}
export function unaryInvert(v: V): V {
  if (isInt(v)) {
    const x = intOf(v);
    return typeof x === 'number' ? -x - 1 : normBig(-x - 1n);
  }
  throw pyErr(PyTypeError, `bad operand type for unary ~: '${typeName(v)}'`);
}

// ---- slices ----

/** Resolve a slice against a length: [start, stop, step, count]. */
export function sliceIndices(s: PySlice, len: number): [number, number, number, number] {
  let step = 1;
  if (s.step !== null) {
    step = asIndex(s.step, 'slice indices');
    if (step === 0) throw pyErr(ValueError, 'slice step cannot be zero');
  }
  const norm = (v: V, def: number, lo: number, hi: number): number => {
    if (v === null) return def;
    let i = asIndex(v, 'slice indices');
    if (i < 0) i += len;
    return i < lo ? lo : Math.min(i, hi);
  };
  let start: number;
  let stop: number;
  if (step > 0) {
    start = norm(s.start, 0, 0, len);
    stop = norm(s.stop, len, 0, len);
  } else {
    start = norm(s.start, len - 1, -1, len - 1);
    stop = norm(s.stop, -1, -1, len - 1);
  }
  let count = 0;
  if (step > 0 ? start < stop : start > stop)
    count = Math.floor((stop - start - (step > 0 ? 1 : -1)) / step) + 1;
  return [start, stop, step, count];
}

function sliceArray<T>(a: T[], s: PySlice): T[] {
  const [start, , step, count] = sliceIndices(s, a.length);
  if (step === 1) return a.slice(start, start + count);
  const out: T[] = new Array(count);
  for (let i = 0, j = start; i < count; i++, j += step) out[i] = a[j];
  return out;
}

function normIndex(i: V, len: number, what: string): number {
  if (typeof i === 'bigint' && (i > 9223372036854775807n || i < -9223372036854775808n)) {
    throw pyErr(IndexError, "cannot fit 'int' into an index-sized integer");
  }
  let k = asIndex(i, what ? `${what} indices` : 'byte indices');
  if (k < 0) k += len;
  if (k < 0 || k >= len) throw pyErr(IndexError, what ? `${what} index out of range` : 'index out of range');
  return k;
}

/** `o[i]`. */
export function getItem(o: V, i: V): V {
  if (o instanceof PyList || o instanceof PyTuple) {
    const what = o instanceof PyList ? 'list' : 'tuple';
    if (i instanceof PySlice) {
      const r = sliceArray(o.a, i);
      return o instanceof PyList ? new PyList(r) : new PyTuple(r);
    }
    return o.a[normIndex(i, o.a.length, what)];
  }
  if (o instanceof PyDict) {
    const v = o.get(i);
    if (v === undefined) return keyError(i);
    return v;
  }
  if (typeof o === 'string') {
    if (i instanceof PySlice) {
      const chars = Array.from(o);
      return sliceArray(chars, i).join('');
    }
    if (!isInt(i)) throw pyErr(PyTypeError, `string indices must be integers, not '${typeName(i)}'`);
    const chars = o.length === [...o].length ? null : Array.from(o);
    if (chars) return chars[normIndex(i, chars.length, 'string')];
    return o[normIndex(i, o.length, 'string')];
  }
  if (o instanceof PyRange) {
    if (i instanceof PySlice) {
      const [start, , step, count] = sliceIndices(i, o.length);
      const s = o.start + start * o.step;
      return new PyRange(s, s + count * step * o.step, step * o.step);
    }
    const k = normIndex(i, o.length, 'range object');
    return o.start + k * o.step;
  }
  if (o instanceof PyBytes) {
    if (i instanceof PySlice) return new PyBytes(Uint8Array.from(sliceArray(Array.from(o.b), i)));
    return o.b[normIndex(i, o.b.length, '')];
  }
  throw pyErr(PyTypeError, `'${typeName(o)}' object is not subscriptable`);
}

/** Raise `KeyError(k)`. */
export function keyError(k: V): never {
  const e = pyErr(KeyError);
  e.args = [k];
  throw e;
}

/** `o[i] = v`. */
export function setItem(o: V, i: V, v: V): void {
  if (o instanceof PyList) {
    if (i instanceof PySlice) {
      const items = toArray(v);
      const [start, stop, step, count] = sliceIndices(i, o.a.length);
      if (step === 1) {
        o.a.splice(start, Math.max(0, stop - start), ...items);
        return;
      }
      if (items.length !== count) {
        throw pyErr(
          ValueError,
          `attempt to assign sequence of size ${items.length} to extended slice of size ${count}`,
        );
      }
      for (let k = 0, j = start; k < count; k++, j += step) o.a[j] = items[k];
      return;
    }
    o.a[normIndex(i, o.a.length, 'list assignment')] = v;
    return;
  }
  if (o instanceof PyDict) {
    o.set(i, v);
    return;
  }
  if (typeof o === 'string' || o instanceof PyTuple) {
    throw pyErr(PyTypeError, `'${typeName(o)}' object does not support item assignment`);
  }
  throw pyErr(PyTypeError, `'${typeName(o)}' object does not support item assignment`);
}

/** `del o[i]`. */
export function delItem(o: V, i: V): void {
  if (o instanceof PyList) {
    if (i instanceof PySlice) {
      const [start, , step, count] = sliceIndices(i, o.a.length);
      if (step === 1) o.a.splice(start, count);
      else {
        const drop = new Set<number>();
        for (let k = 0, j = start; k < count; k++, j += step) drop.add(j);
        o.a = o.a.filter((_, idx) => !drop.has(idx));
      }
      return;
    }
    o.a.splice(normIndex(i, o.a.length, 'list assignment'), 1);
    return;
  }
  if (o instanceof PyDict) {
    if (!o.delete(i)) keyError(i);
    return;
  }
  throw pyErr(PyTypeError, `'${typeName(o)}' object doesn't support item deletion`);
}

export { contains, eq };
export const bigintOf = toBigInt;

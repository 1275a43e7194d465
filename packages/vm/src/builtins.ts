/**
 * Builtin functions, type constructors and the methods of the builtin types, with CPython's
 * behaviour and error messages.
 */
import { callValue, getAttr, PyFunction, PyGen, setAttr } from './eval.js';
import { floatRepr, formatValue, repr, str, toFixed } from './format.js';
import {
  asIndex,
  boolType,
  bytesType,
  compare,
  contains,
  dictType,
  EXCEPTION_TYPES,
  eq,
  floatType,
  frozensetType,
  getIter,
  hashKey,
  IndexError,
  intType,
  isInt,
  isinstance,
  iterate,
  JsIter,
  KeyError,
  type Kw,
  listType,
  lt,
  mkFloat,
  type NativeFn,
  normBig,
  OverflowError,
  objectId,
  objectType,
  PyBuiltin,
  PyBytes,
  PyDict,
  PyDictView,
  PyExc,
  PyFloat,
  PyInstance,
  PyIter,
  PyList,
  PyModule,
  PyRange,
  PySet,
  PySlice,
  PyTuple,
  PyType,
  PyTypeError,
  pyErr,
  rangeType,
  StopIteration,
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
  type V,
  ValueError,
  ZeroDivisionError,
} from './objects.js';
import { binaryOp, copyDict, copySet, intBinary, keyError, sliceIndices } from './ops.js';

// ---- argument helpers ----

function nargs(name: string, args: V[], min: number, max: number): void {
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

function noKw(name: string, kw: Kw): void {
  if (kw?.size) throw pyErr(PyTypeError, `${name}() takes no keyword arguments`);
}

function kwArg(kw: Kw, name: string, allowed: string[], fn: string): V | undefined {
  if (!kw) return undefined;
  for (const k of kw.keys()) {
    if (!allowed.includes(k)) throw pyErr(PyTypeError, `${fn}() got an unexpected keyword argument '${k}'`);
  }
  return kw.get(name);
}

function mustInt(v: V, what = ''): number | bigint {
  if (typeof v === 'number' || typeof v === 'bigint') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  throw pyErr(PyTypeError, what || `'${typeName(v)}' object cannot be interpreted as an integer`);
}

function mustStr(v: V, fn: string, argDesc = 'argument'): string {
  if (typeof v !== 'string') throw pyErr(PyTypeError, `${fn}() ${argDesc} must be str, not ${typeName(v)}`);
  return v;
}

function method(t: PyType, name: string, fn: NativeFn): void {
  t.methods.set(name, new PyBuiltin(name, fn, undefined, t.name));
}

/** Three-way comparison with Python's `<` only. */
export function cmp(a: V, b: V): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a === b ? 0 : strLt(a, b) ? -1 : 1;
  if (lt(a, b)) return -1;
  if (lt(b, a)) return 1;
  return 0;
}

/** Sort in place with optional key and reverse (stable, as list.sort). */
export function sortValues(items: V[], key: V, reverse: boolean): V[] {
  if (key === null || key === undefined) {
    items.sort(reverse ? (a, b) => cmp(b, a) : cmp);
    return items;
  }
  const keys = items.map((x) => callValue(key, [x]));
  const idx = items.map((_, i) => i);
  idx.sort(reverse ? (i, j) => cmp(keys[j], keys[i]) : (i, j) => cmp(keys[i], keys[j]));
  const sorted = idx.map((i) => items[i]);
  for (let i = 0; i < items.length; i++) items[i] = sorted[i];
  return items;
}

export function pyLen(v: V): number {
  if (typeof v === 'string') return /[\uD800-\uDFFF]/.test(v) ? [...v].length : v.length;
  if (v instanceof PyList || v instanceof PyTuple) return v.a.length;
  if (v instanceof PyDict) return v.size;
  if (v instanceof PySet) return v.m.size;
  if (v instanceof PyRange) return v.length;
  if (v instanceof PyBytes) return v.b.length;
  if (v instanceof PyDictView) return v.d.size;
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
/** `hash(v)` as CPython computes it for numbers (strings: a stable FNV hash). */
export function pyHash(v: V): number | bigint {
  hashKey(v); // raises for unhashable
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number' || typeof v === 'bigint') {
    const b = BigInt(v);
    let h = (b < 0n ? -b : b) % M61;
    if (b < 0n) h = -h;
    if (h === -1n) h = -2n;
    return normBig(h);
  }
  if (v instanceof PyFloat) {
    if (Number.isInteger(v.v)) return pyHash(normBig(BigInt(v.v)));
    if (Number.isNaN(v.v)) return objectId(v) >> 4;
    if (!Number.isFinite(v.v)) return v.v > 0 ? 314159 : -314159;
    return floatHash(v.v);
  }
  if (v instanceof PyBytes) return pyHash(String.fromCharCode(...v.b));
  if (typeof v === 'string') {
    let h = 0x811c9dc5;
    for (let i = 0; i < v.length; i++) {
      h ^= v.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    return h;
  }
  if (v instanceof PyTuple) {
    // CPython 3.8+ tuplehash (xxHash-style lanes over the items' hashes, 64-bit)
    const U = (x: bigint) => BigInt.asUintN(64, x);
    let acc = 2870177450012600261n;
    for (const x of v.a) {
      const lane = U(BigInt(pyHash(x)));
      acc = U(acc + lane * 14029467366897019727n);
      acc = U((acc << 31n) | (acc >> 33n));
      acc = U(acc * 11400714785074694791n);
    }
    acc = U(acc + (BigInt(v.a.length) ^ (2870177450012600261n ^ 3527539n)));
    const h = BigInt.asIntN(64, acc);
    return h === -1n ? 1546275796 : normBig(h);
  }
  if (v === null) return 0x7f_ff_00;
  return objectId(v as object) >> 4;
}

function pyRound(args: V[]): V {
  const x = args[0];
  const nd = args.length > 1 && args[1] !== null ? Number(mustInt(args[1])) : null;
  if (isInt(x)) {
    const xi = typeof x === 'boolean' ? (x ? 1 : 0) : x;
    if (nd === null || nd >= 0) return xi;
    const p = 10n ** BigInt(-nd);
    const b = BigInt(xi);
    let q = b / p;
    let r = b % p;
    if (r < 0n) {
      r += p;
      q -= 1n;
    }
    if (r * 2n > p || (r * 2n === p && q % 2n !== 0n)) q += 1n;
    return normBig(q * p);
  }
  const f = toFloat(x);
  if (f === undefined) throw pyErr(PyTypeError, `type ${typeName(x)} doesn't define __round__ method`);
  if (nd === null) {
    if (Number.isNaN(f)) throw pyErr(ValueError, 'cannot convert float NaN to integer');
    if (!Number.isFinite(f)) throw pyErr(OverflowError, 'cannot convert float infinity to integer');
    let r = Math.round(f);
    if (Math.abs(f - Math.trunc(f)) === 0.5) r = 2 * Math.round(f / 2);
    return Number.isSafeInteger(r) ? (r === 0 ? 0 : r) : normBig(BigInt(r));
  }
  if (!Number.isFinite(f)) return mkFloat(f);
  if (nd > 60) return mkFloat(f);
  if (nd < 0) {
    const p = 10 ** -nd;
    const y = f / p;
    let r = Math.round(y);
    if (Math.abs(y - Math.trunc(y)) === 0.5) r = 2 * Math.round(y / 2);
    return mkFloat(r * p);
  }
  return mkFloat(Number(toFixed(f, nd)));
}

function minmax(name: string, args: V[], kw: Kw, isMax: boolean): V {
  const key = kwArg(kw, 'key', ['key', 'default'], name) ?? null;
  const def = kw?.get('default');
  let items: V[];
  if (args.length === 1) items = toArray(args[0]);
  else {
    if (args.length === 0) throw pyErr(PyTypeError, `${name} expected at least 1 argument, got 0`);
    if (def !== undefined)
      throw pyErr(PyTypeError, `Cannot specify a default for ${name}() with multiple positional arguments`);
    items = args;
  }
  if (items.length === 0) {
    if (def !== undefined) return def;
    throw pyErr(ValueError, `${name}() arg is an empty sequence`);
  }
  let best = items[0];
  let bestKey = key !== null ? callValue(key, [best]) : best;
  for (let i = 1; i < items.length; i++) {
    const k = key !== null ? callValue(key, [items[i]]) : items[i];
    if (isMax ? lt(bestKey, k) : lt(k, bestKey)) {
      best = items[i];
      bestKey = k;
    }
  }
  return best;
}

function pySum(args: V[], kw: Kw): V {
  nargs('sum', args, 1, 2);
  let acc: V = args.length > 1 ? args[1] : (kwArg(kw, 'start', ['start'], 'sum') ?? 0);
  if (typeof acc === 'string') throw pyErr(PyTypeError, "sum() can't sum strings [use ''.join(seq) instead]");
  if (acc instanceof PyBytes) throw pyErr(PyTypeError, "sum() can't sum bytes [use b''.join(seq) instead]");
  const src = args[0];
  if (src instanceof PyList || src instanceof PyTuple) {
    for (const x of src.a)
      acc =
        typeof acc === 'number' && typeof x === 'number' && Number.isSafeInteger(acc + x)
          ? acc + x
          : binaryOp(0, acc, x);
    return acc;
  }
  const it = getIter(src);
  for (;;) {
    const x = it.next();
    if (x === undefined) return acc;
    acc =
      typeof acc === 'number' && typeof x === 'number' && Number.isSafeInteger(acc + x)
        ? acc + x
        : binaryOp(0, acc, x);
  }
}

function toRangeInt(v: V): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'bigint')
    throw pyErr(OverflowError, 'range() arguments beyond 2**53 are not supported by MiniPy');
  throw pyErr(PyTypeError, `'${typeName(v)}' object cannot be interpreted as an integer`);
}

/** int(x, base) parsing with Python's rules. */
export function parsePyInt(s: string, base: number): number | bigint {
  const orig = s;
  let t = s.trim().replace(/_(?=[0-9a-zA-Z])/g, '');
  let neg = false;
  if (t.startsWith('-') || t.startsWith('+')) {
    neg = t[0] === '-';
    t = t.slice(1);
  }
  let b = base;
  const pre = t.slice(0, 2).toLowerCase();
  if ((b === 16 || b === 0) && pre === '0x') {
    t = t.slice(2);
    b = 16;
  } else if ((b === 8 || b === 0) && pre === '0o') {
    t = t.slice(2);
    b = 8;
  } else if ((b === 2 || b === 0) && pre === '0b') {
    t = t.slice(2);
    b = 2;
  } else if (b === 0) {
    if (/^0+[1-9]/.test(t)) t = '!';
    b = 10;
  }
  const digits = '0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, b);
  const bad = () => pyErr(ValueError, `invalid literal for int() with base ${base}: ${repr(orig)}`);
  if (t === '' || /\s/.test(t)) throw bad();
  let n = 0n;
  const bb = BigInt(b);
  for (const c of t.toLowerCase()) {
    const d = digits.indexOf(c);
    if (d < 0) throw bad();
    n = n * bb + BigInt(d);
  }
  return normBig(neg ? -n : n);
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
    throw pyErr(ValueError, `could not convert string to float: ${repr(s)}`);
  return Number(t);
}

function floatToInt(f: number): number | bigint {
  if (Number.isNaN(f)) throw pyErr(ValueError, 'cannot convert float NaN to integer');
  if (!Number.isFinite(f)) throw pyErr(OverflowError, 'cannot convert float infinity to integer');
  const t = Math.trunc(f);
  return Number.isSafeInteger(t) ? (t === 0 ? 0 : t) : normBig(BigInt(t));
}

function dictFrom(args: V[], kw: Kw): PyDict {
  const d = new PyDict();
  if (args.length > 1) throw pyErr(PyTypeError, `dict expected at most 1 argument, got ${args.length}`);
  if (args.length === 1) dictUpdate(d, args[0]);
  if (kw) for (const [k, v] of kw) d.set(k, v);
  return d;
}

function dictUpdate(d: PyDict, src: V): void {
  if (src instanceof PyDict) {
    for (const [hk, k] of src.keys) d.set(k, src.vals.get(hk)!);
    return;
  }
  let i = 0;
  for (const item of iterate(src)) {
    let pair: V[];
    try {
      pair = toArray(item);
    } catch (e) {
      if (e instanceof PyExc && e.type === PyTypeError) {
        throw pyErr(PyTypeError, `cannot convert dictionary update sequence element #${i} to a sequence`);
      }
      throw e;
    }
    if (pair.length !== 2) {
      throw pyErr(
        ValueError,
        `dictionary update sequence element #${i} has length ${pair.length}; 2 is required`,
      );
    }
    d.set(pair[0], pair[1]);
    i++;
  }
}

function strFormat(fmt: string, args: V[], kw: Kw): string {
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
      let v: V;
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
        if (got === undefined) keyError(base);
        v = got;
      }
      const rest = ref.slice(base.length);
      const re = /\.(\w+)|\[([^\]]+)\]/g;
      for (let mm = re.exec(rest); mm; mm = re.exec(rest)) {
        if (mm[1]) v = getAttr(v, mm[1]);
        else {
          const key = /^\d+$/.test(mm[2]) ? Number(mm[2]) : mm[2];
          v = binarySubscr(v, key);
        }
      }
      if (conv === 'r' || conv === 'a') v = repr(v);
      else if (conv === 's') v = str(v);
      const spec = rawSpec ? strFormat(rawSpec, args.slice(auto), kw) : '';
      out += formatValue(v, spec);
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

function binarySubscr(o: V, k: V): V {
  if (o instanceof PyDict) {
    const v = o.get(k);
    if (v === undefined) keyError(k);
    return v;
  }
  if ((o instanceof PyList || o instanceof PyTuple) && typeof k === 'number') return o.a[k];
  throw pyErr(PyTypeError, `'${typeName(o)}' object is not subscriptable`);
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

function stripChars(s: string, chars: V, left: boolean, right: boolean): string {
  const set = chars === null || chars === undefined ? null : mustStr(chars, 'strip', 'arg');
  const test = (c: string) => (set === null ? isSpace(c) : set.includes(c));
  let a = 0;
  let b = s.length;
  if (left) while (a < b && test(s[a])) a++;
  if (right) while (b > a && test(s[b - 1])) b--;
  return s.slice(a, b);
}

function subRange(s: string, args: V[], from: number): [number, number] {
  const len = s.length;
  const norm = (v: V | undefined, d: number) => {
    if (v === undefined || v === null) return d;
    let i = Number(mustInt(v));
    if (i < 0) i = Math.max(0, i + len);
    return Math.min(i, len);
  };
  return [norm(args[from], 0), norm(args[from + 1], len)];
}

function countSub(s: string, sub: string, start: number, end: number): number {
  const hay = s.slice(start, end);
  if (sub === '') return end >= start ? hay.length + 1 : 0;
  let n = 0;
  for (let i = hay.indexOf(sub); i >= 0; i = hay.indexOf(sub, i + sub.length)) n++;
  return n;
}

function initStrMethods(): void {
  const S = strType;
  const self = (a: V[]) => a[0] as string;
  method(S, 'upper', (a) => self(a).toUpperCase());
  method(S, 'lower', (a) => self(a).toLowerCase());
  method(S, 'casefold', (a) => self(a).toLowerCase().replace(/ß/g, 'ss'));
  method(S, 'swapcase', (a) =>
    [...self(a)].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join(''),
  );
  method(S, 'capitalize', (a) => {
    const s = self(a);
    return s ? s[0].toUpperCase() + s.slice(1).toLowerCase() : s;
  });
  method(S, 'title', (a) =>
    self(a)
      .toLowerCase()
      .replace(/(^|[^a-zA-Z])([a-z])/g, (_m, p, c) => p + c.toUpperCase()),
  );
  method(S, 'strip', (a) => stripChars(self(a), a[1] ?? null, true, true));
  method(S, 'lstrip', (a) => stripChars(self(a), a[1] ?? null, true, false));
  method(S, 'rstrip', (a) => stripChars(self(a), a[1] ?? null, false, true));
  method(S, 'split', (a, kw) => {
    const s = self(a);
    const sep = a[1] ?? kw?.get('sep') ?? null;
    const maxsplit = Number(a[2] ?? kw?.get('maxsplit') ?? -1);
    if (sep === null) return new PyList(splitWhitespace(s, maxsplit));
    const sp = mustStr(sep, 'split', 'argument');
    if (sp === '') throw pyErr(ValueError, 'empty separator');
    const parts = s.split(sp);
    if (maxsplit >= 0 && parts.length > maxsplit + 1) {
      const head = parts.slice(0, maxsplit);
      head.push(parts.slice(maxsplit).join(sp));
      return new PyList(head);
    }
    return new PyList(parts);
  });
  method(S, 'rsplit', (a, kw) => {
    const s = self(a);
    const sep = a[1] ?? kw?.get('sep') ?? null;
    const maxsplit = Number(a[2] ?? kw?.get('maxsplit') ?? -1);
    if (sep === null) {
      if (maxsplit < 0) return new PyList(splitWhitespace(s, -1));
      const rev = splitWhitespace([...s].reverse().join(''), maxsplit);
      return new PyList(rev.map((x) => [...x].reverse().join('')).reverse());
    }
    const sp = mustStr(sep, 'rsplit', 'argument');
    if (sp === '') throw pyErr(ValueError, 'empty separator');
    const parts = s.split(sp);
    if (maxsplit >= 0 && parts.length > maxsplit + 1) {
      const tail = parts.slice(parts.length - maxsplit);
      return new PyList([parts.slice(0, parts.length - maxsplit).join(sp), ...tail]);
    }
    return new PyList(parts);
  });
  method(S, 'splitlines', (a) => {
    const s = self(a);
    const keep = truthy(a[1] ?? false);
    const out: string[] = [];
    const re = /\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]/g;
    let last = 0;
    for (let m = re.exec(s); m; m = re.exec(s)) {
      out.push(s.slice(last, keep ? m.index + m[0].length : m.index));
      last = m.index + m[0].length;
    }
    if (last < s.length) out.push(s.slice(last));
    return new PyList(out);
  });
  method(S, 'join', (a) => {
    const sep = self(a);
    const parts = toArray(a[1]);
    for (let i = 0; i < parts.length; i++) {
      if (typeof parts[i] !== 'string')
        throw pyErr(PyTypeError, `sequence item ${i}: expected str instance, ${typeName(parts[i])} found`);
    }
    return (parts as string[]).join(sep);
  });
  method(S, 'replace', (a) => {
    const s = self(a);
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
        if (!rest && i + 1 < count) {
          out += '';
          break;
        }
        continue;
      }
      const k = rest.indexOf(old);
      if (k < 0) break;
      out += rest.slice(0, k) + neu;
      rest = rest.slice(k + old.length);
    }
    return out + rest;
  });
  const finder =
    (name: string, rev: boolean, raise: boolean): NativeFn =>
    (a) => {
      const s = self(a);
      const sub = mustStr(a[1], name, 'argument');
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
    };
  method(S, 'find', finder('find', false, false));
  method(S, 'rfind', finder('rfind', true, false));
  method(S, 'index', finder('index', false, true));
  method(S, 'rindex', finder('rindex', true, true));
  method(S, 'count', (a) => {
    const s = self(a);
    const [st, en] = subRange(s, a, 2);
    return countSub(s, mustStr(a[1], 'count', 'argument'), st, en);
  });
  const affix =
    (name: string, end: boolean): NativeFn =>
    (a) => {
      const s = self(a);
      const [st, en] = subRange(s, a, 2);
      const part = s.slice(st, en);
      const test = (p: V) => {
        if (typeof p !== 'string') {
          throw pyErr(PyTypeError, `${name} first arg must be str or a tuple of str, not ${typeName(p)}`);
        }
        return end ? part.endsWith(p) : part.startsWith(p);
      };
      const p = a[1];
      if (p instanceof PyTuple) return p.a.some(test);
      return test(p);
    };
  method(S, 'startswith', affix('startswith', false));
  method(S, 'endswith', affix('endswith', true));
  const pred = (name: string, re: RegExp) => method(S, name, (a) => self(a).length > 0 && re.test(self(a)));
  pred('isdigit', /^[0-9\u00b2\u00b3\u00b9\u0660-\u0669]+$/);
  pred('isdecimal', /^[0-9\u0660-\u0669]+$/);
  pred('isnumeric', /^[0-9\u00b2\u00b3\u00b9\u00bc-\u00be\u0660-\u0669]+$/);
  pred('isalpha', /^\p{L}+$/u);
  pred('isalnum', /^[\p{L}\p{N}]+$/u);
  method(S, 'isspace', (a) => self(a).length > 0 && [...self(a)].every(isSpace));
  method(S, 'isupper', (a) => /\p{Lu}/u.test(self(a)) && !/\p{Ll}/u.test(self(a)));
  method(S, 'islower', (a) => /\p{Ll}/u.test(self(a)) && !/\p{Lu}/u.test(self(a)));
  method(S, 'isidentifier', (a) => /^[\p{L}_][\p{L}\p{N}_]*$/u.test(self(a)));
  method(S, 'istitle', (a) => {
    const s = self(a);
    return (
      /[A-Za-z]/.test(s) &&
      s === s.toLowerCase().replace(/(^|[^a-zA-Z])([a-z])/g, (_m, p, c) => p + c.toUpperCase())
    );
  });
  method(S, 'format', (a, kw) => strFormat(self(a), a.slice(1), kw));
  method(S, 'zfill', (a) => {
    const s = self(a);
    const w = Number(mustInt(a[1]));
    if (s.length >= w) return s;
    const sign = s[0] === '-' || s[0] === '+' ? s[0] : '';
    return sign + '0'.repeat(w - s.length) + s.slice(sign.length);
  });
  const fillArg = (a: V[], fn: string) => {
    const f = a[2] ?? ' ';
    if (typeof f !== 'string' || [...f].length !== 1)
      throw pyErr(PyTypeError, `The fill character must be exactly one character long`);
    void fn;
    return f;
  };
  method(S, 'center', (a) => {
    const s = self(a);
    const w = Number(mustInt(a[1]));
    const f = fillArg(a, 'center');
    if (s.length >= w) return s;
    const total = w - s.length;
    const left = Math.floor(total / 2) + (total & w & 1);
    return f.repeat(left) + s + f.repeat(total - left);
  });
  method(S, 'ljust', (a) => {
    const s = self(a);
    const w = Number(mustInt(a[1]));
    return s.length >= w ? s : s + fillArg(a, 'ljust').repeat(w - s.length);
  });
  method(S, 'rjust', (a) => {
    const s = self(a);
    const w = Number(mustInt(a[1]));
    return s.length >= w ? s : fillArg(a, 'rjust').repeat(w - s.length) + s;
  });
  const part =
    (rev: boolean): NativeFn =>
    (a) => {
      const s = self(a);
      const sep = mustStr(a[1], rev ? 'rpartition' : 'partition', 'argument');
      if (sep === '') throw pyErr(ValueError, 'empty separator');
      const k = rev ? s.lastIndexOf(sep) : s.indexOf(sep);
      if (k < 0) return new PyTuple(rev ? ['', '', s] : [s, '', '']);
      return new PyTuple([s.slice(0, k), sep, s.slice(k + sep.length)]);
    };
  method(S, 'partition', part(false));
  method(S, 'rpartition', part(true));
  method(S, 'removeprefix', (a) => {
    const s = self(a);
    const p = mustStr(a[1], 'removeprefix', 'argument');
    return p && s.startsWith(p) ? s.slice(p.length) : s;
  });
  method(S, 'removesuffix', (a) => {
    const s = self(a);
    const p = mustStr(a[1], 'removesuffix', 'argument');
    return p && s.endsWith(p) ? s.slice(0, s.length - p.length) : s;
  });
  method(S, 'encode', (a) => new PyBytes(new TextEncoder().encode(self(a))));
  method(S, 'expandtabs', (a) => {
    const size = a.length > 1 ? Number(mustInt(a[1])) : 8;
    let out = '';
    let col = 0;
    for (const c of self(a)) {
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

function listIndex(l: V[], x: V, a: V[], name: string): number {
  const len = l.length;
  const norm = (v: V | undefined, d: number) => {
    if (v === undefined) return d;
    let i = Number(mustInt(v));
    if (i < 0) i = Math.max(0, i + len);
    return Math.min(i, len);
  };
  const st = norm(a[2], 0);
  const en = norm(a[3], len);
  for (let i = st; i < en; i++) if (l[i] === x || eq(l[i], x)) return i;
  throw pyErr(ValueError, name === 'list' ? `${repr(x)} is not in list` : 'tuple.index(x): x not in tuple');
}

function initListMethods(): void {
  const L = listType;
  const self = (a: V[]) => a[0] as PyList;
  method(L, 'append', (a) => {
    if (a.length !== 2)
      throw pyErr(PyTypeError, `list.append() takes exactly one argument (${a.length - 1} given)`);
    self(a).a.push(a[1]);
    return null;
  });
  method(L, 'extend', (a) => {
    const items = toArray(a[1]);
    for (const x of items) self(a).a.push(x);
    return null;
  });
  method(L, 'insert', (a) => {
    const l = self(a).a;
    let i = Number(mustInt(a[1]));
    if (i < 0) i = Math.max(0, i + l.length);
    l.splice(Math.min(i, l.length), 0, a[2]);
    return null;
  });
  method(L, 'pop', (a) => {
    const l = self(a).a;
    if (l.length === 0) throw pyErr(IndexError, 'pop from empty list');
    let i = a.length > 1 ? Number(mustInt(a[1])) : l.length - 1;
    if (i < 0) i += l.length;
    if (i < 0 || i >= l.length) throw pyErr(IndexError, 'pop index out of range');
    return l.splice(i, 1)[0];
  });
  method(L, 'remove', (a) => {
    const l = self(a).a;
    for (let i = 0; i < l.length; i++) {
      if (eq(l[i], a[1])) {
        l.splice(i, 1);
        return null;
      }
    }
    throw pyErr(ValueError, 'list.remove(x): x not in list');
  });
  method(L, 'clear', (a) => {
    self(a).a.length = 0;
    return null;
  });
  method(L, 'copy', (a) => new PyList(self(a).a.slice()));
  method(L, 'index', (a) => listIndex(self(a).a, a[1], a, 'list'));
  method(L, 'count', (a) => self(a).a.filter((x) => eq(x, a[1])).length);
  method(L, 'reverse', (a) => {
    self(a).a.reverse();
    return null;
  });
  method(L, 'sort', (a, kw) => {
    if (a.length > 1) throw pyErr(PyTypeError, 'sort() takes no positional arguments');
    const key = kwArg(kw, 'key', ['key', 'reverse'], 'sort') ?? null;
    const reverse = truthy(kw?.get('reverse') ?? false);
    const l = self(a);
    const items = l.a;
    // like CPython, the list looks empty while it is sorted; a key function that mutates it is an error
    const temp: V[] = [];
    l.a = temp;
    try {
      sortValues(items, key, reverse);
    } finally {
      l.a = items;
    }
    if (temp.length > 0) throw pyErr(ValueError, 'list modified during sort');
    return null;
  });
  method(rangeType, 'index', (a) => {
    const r = a[0] as PyRange;
    if (contains(r, a[1])) {
      const v = Number(a[1]);
      return (v - r.start) / r.step;
    }
    throw pyErr(ValueError, `${repr(a[1])} is not in range`);
  });
  method(rangeType, 'count', (a) => (contains(a[0], a[1]) ? 1 : 0));
  method(tupleType, 'index', (a) => listIndex((a[0] as PyTuple).a, a[1], a, 'tuple'));
  method(tupleType, 'count', (a) => (a[0] as PyTuple).a.filter((x) => eq(x, a[1])).length);
}

function initDictMethods(): void {
  const D = dictType;
  const self = (a: V[]) => a[0] as PyDict;
  method(D, 'get', (a) => {
    nargs('get', a.slice(1), 1, 2);
    return self(a).get(a[1]) ?? (a.length > 2 ? a[2] : null);
  });
  method(D, 'keys', (a) => new PyDictView(self(a), 'keys'));
  method(D, 'values', (a) => new PyDictView(self(a), 'values'));
  method(D, 'items', (a) => new PyDictView(self(a), 'items'));
  method(D, 'pop', (a) => {
    const d = self(a);
    const v = d.get(a[1]);
    if (v === undefined) {
      if (a.length > 2) return a[2];
      keyError(a[1]);
    }
    d.delete(a[1]);
    return v;
  });
  method(D, 'popitem', (a) => {
    const d = self(a);
    if (d.size === 0) throw pyErr(KeyError, 'popitem(): dictionary is empty');
    const hk = [...d.keys.keys()].pop();
    const k = d.keys.get(hk)!;
    const v = d.vals.get(hk)!;
    d.keys.delete(hk);
    d.vals.delete(hk);
    return new PyTuple([k, v]);
  });
  method(D, 'setdefault', (a) => {
    const d = self(a);
    const v = d.get(a[1]);
    if (v !== undefined) return v;
    const def = a.length > 2 ? a[2] : null;
    d.set(a[1], def);
    return def;
  });
  method(D, 'update', (a, kw) => {
    const d = self(a);
    if (a.length > 1) dictUpdate(d, a[1]);
    if (kw) for (const [k, v] of kw) d.set(k, v);
    return null;
  });
  method(D, 'clear', (a) => {
    self(a).keys.clear();
    self(a).vals.clear();
    return null;
  });
  method(D, 'copy', (a) => copyDict(self(a)));
  D.attrs.set(
    'fromkeys',
    new PyBuiltin('fromkeys', (a) => {
      const d = new PyDict();
      for (const k of iterate(a[0])) d.set(k, a.length > 1 ? a[1] : null);
      return d;
    }),
  );
}

function asSet(v: V): PySet {
  if (v instanceof PySet) return v;
  const s = new PySet();
  for (const x of iterate(v)) s.add(x);
  return s;
}

function initSetMethods(): void {
  for (const T of [setType, frozensetType]) {
    const self = (a: V[]) => a[0] as PySet;
    method(T, 'union', (a) => {
      let r = copySet(self(a));
      for (const o of a.slice(1)) r = binaryOp(7, r, asSet(o)) as PySet;
      return r;
    });
    method(T, 'intersection', (a) => {
      let r = copySet(self(a));
      for (const o of a.slice(1)) r = binaryOp(1, r, asSet(o)) as PySet;
      return r;
    });
    method(T, 'difference', (a) => {
      let r = copySet(self(a));
      for (const o of a.slice(1)) r = binaryOp(10, r, asSet(o)) as PySet;
      return r;
    });
    method(T, 'symmetric_difference', (a) => binaryOp(12, self(a), asSet(a[1])));
    method(T, 'issubset', (a) => {
      const o = asSet(a[1]);
      for (const k of self(a).m.keys()) if (!o.m.has(k)) return false;
      return true;
    });
    method(T, 'issuperset', (a) => {
      const o = asSet(a[1]);
      for (const k of o.m.keys()) if (!self(a).m.has(k)) return false;
      return true;
    });
    method(T, 'isdisjoint', (a) => {
      const o = asSet(a[1]);
      for (const k of o.m.keys()) if (self(a).m.has(k)) return false;
      return true;
    });
    method(T, 'copy', (a) => copySet(self(a)));
  }
  const S = setType;
  const self = (a: V[]) => a[0] as PySet;
  method(S, 'add', (a) => {
    self(a).add(a[1]);
    return null;
  });
  method(S, 'discard', (a) => {
    self(a).m.delete(hashKey(a[1]));
    return null;
  });
  method(S, 'remove', (a) => {
    if (!self(a).m.delete(hashKey(a[1]))) keyError(a[1]);
    return null;
  });
  method(S, 'pop', (a) => {
    const s = self(a);
    const first = s.m.keys().next();
    if (first.done) throw pyErr(KeyError, 'pop from an empty set');
    const v = s.m.get(first.value)!;
    s.m.delete(first.value);
    return v;
  });
  method(S, 'clear', (a) => {
    self(a).m.clear();
    return null;
  });
  method(S, 'update', (a) => {
    for (const o of a.slice(1)) for (const x of iterate(o)) self(a).add(x);
    return null;
  });
  method(S, 'intersection_update', (a) => {
    binaryOp(14, self(a), asSet(a[1]));
    return null;
  });
  method(S, 'difference_update', (a) => {
    binaryOp(23, self(a), asSet(a[1]));
    return null;
  });
  method(S, 'symmetric_difference_update', (a) => {
    binaryOp(25, self(a), asSet(a[1]));
    return null;
  });
}

function initNumberMethods(): void {
  method(intType, 'bit_length', (a) => {
    const b = toBigInt(a[0]);
    return (b < 0n ? -b : b).toString(2).replace(/^0$/, '').length;
  });
  method(intType, 'conjugate', (a) => a[0]);
  method(floatType, 'is_integer', (a) => Number.isInteger((a[0] as PyFloat).v));
  method(floatType, 'hex', () => {
    throw pyErr(ValueError, 'float.hex is not supported by MiniPy');
  });
  method(bytesType, 'decode', (a) => {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode((a[0] as PyBytes).b);
    } catch {
      throw pyErr(EXCEPTION_TYPES.get('UnicodeDecodeError')!, "'utf-8' codec can't decode bytes");
    }
  });
  method(bytesType, 'hex', (a) =>
    Array.from((a[0] as PyBytes).b, (x) => x.toString(16).padStart(2, '0')).join(''),
  );
  // the str algorithms applied to a latin-1 view of the bytes
  const latin = (b: Uint8Array) => String.fromCharCode(...b);
  const unlatin = (s: string) => new PyBytes(Uint8Array.from(s, (c) => c.charCodeAt(0)));
  const toStrArg = (v: V): V => {
    if (v instanceof PyBytes) return latin(v.b);
    if (v instanceof PyTuple) return new PyTuple(v.a.map(toStrArg));
    if (typeof v === 'string') throw pyErr(PyTypeError, "a bytes-like object is required, not 'str'");
    return v;
  };
  const fromStrResult = (v: V): V => {
    if (typeof v === 'string') return unlatin(v);
    if (v instanceof PyList) return new PyList(v.a.map(fromStrResult));
    if (v instanceof PyTuple) return new PyTuple(v.a.map(fromStrResult));
    return v;
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
    const sm = strType.methods.get(name)!;
    method(bytesType, name, (a, kw) => {
      try {
        return fromStrResult(sm.fn([latin((a[0] as PyBytes).b), ...a.slice(1).map(toStrArg)], kw));
      } catch (e) {
        if (e instanceof PyExc && e.args[0] === 'substring not found')
          throw pyErr(ValueError, 'subsection not found');
        throw e;
      }
    });
  }
  method(bytesType, 'join', (a) => {
    const parts = toArray(a[1]).map((p, i) => {
      if (!(p instanceof PyBytes))
        throw pyErr(PyTypeError, `sequence item ${i}: expected a bytes-like object, ${typeName(p)} found`);
      return latin(p.b);
    });
    return unlatin(parts.join(latin((a[0] as PyBytes).b)));
  });
}

function initTypeCtors(): void {
  intType.ctor = (a, kw) => {
    const base = a.length > 1 ? a[1] : kwArg(kw, 'base', ['base'], 'int');
    if (a.length === 0) return 0;
    const x = a[0];
    if (base !== undefined) {
      if (typeof x !== 'string')
        throw pyErr(PyTypeError, "int() can't convert non-string with explicit base");
      const b = Number(mustInt(base));
      if (b !== 0 && (b < 2 || b > 36)) throw pyErr(ValueError, 'int() base must be >= 2 and <= 36, or 0');
      return parsePyInt(x, b);
    }
    if (typeof x === 'number' || typeof x === 'bigint') return x;
    if (typeof x === 'boolean') return x ? 1 : 0;
    if (x instanceof PyFloat) return floatToInt(x.v);
    if (typeof x === 'string') return parsePyInt(x, 10);
    throw pyErr(
      PyTypeError,
      `int() argument must be a string, a bytes-like object or a real number, not '${typeName(x)}'`,
    );
  };
  floatType.ctor = (a) => {
    if (a.length === 0) return mkFloat(0);
    const x = a[0];
    if (typeof x === 'string') return mkFloat(parsePyFloat(x));
    const f = toFloat(x);
    if (f === undefined)
      throw pyErr(PyTypeError, `float() argument must be a string or a real number, not '${typeName(x)}'`);
    return x instanceof PyFloat ? x : mkFloat(f);
  };
  strType.ctor = (a) => {
    if (a.length > 3) throw pyErr(PyTypeError, `str() takes at most 3 arguments (${a.length} given)`);
    if (a.length === 0) return '';
    if (a[0] instanceof PyBytes && a.length > 1) return new TextDecoder().decode((a[0] as PyBytes).b);
    return str(a[0]);
  };
  boolType.ctor = (a) => {
    nargs('bool', a, 0, 1);
    return a.length ? truthy(a[0]) : false;
  };
  listType.ctor = (a) => {
    nargs('list', a, 0, 1);
    return new PyList(a.length ? toArray(a[0]) : []);
  };
  tupleType.ctor = (a) => {
    nargs('tuple', a, 0, 1);
    if (a[0] instanceof PyTuple) return a[0];
    return new PyTuple(a.length ? toArray(a[0]) : []);
  };
  dictType.ctor = dictFrom;
  setType.ctor = (a) => {
    nargs('set', a, 0, 1);
    const s = new PySet();
    if (a.length) for (const x of iterate(a[0])) s.add(x);
    return s;
  };
  frozensetType.ctor = (a) => {
    const s = new PySet(true);
    if (a.length) for (const x of iterate(a[0])) s.add(x);
    return s;
  };
  rangeType.ctor = (a) => {
    if (a.length === 0) throw pyErr(PyTypeError, 'range expected at least 1 argument, got 0');
    if (a.length > 3) throw pyErr(PyTypeError, `range expected at most 3 arguments, got ${a.length}`);
    const n = a.map(toRangeInt);
    if (n.length === 1) return new PyRange(0, n[0], 1);
    if (n[2] === 0) throw pyErr(ValueError, 'range() arg 3 must not be zero');
    return new PyRange(n[0], n[1], n[2] ?? 1);
  };
  sliceType.ctor = (a) => {
    if (a.length === 1) return new PySlice(null, a[0], null);
    return new PySlice(a[0], a[1], a[2] ?? null);
  };
  bytesType.ctor = (a) => {
    if (a.length === 0) return new PyBytes(new Uint8Array(0));
    const x = a[0];
    if (typeof x === 'string') {
      if (a.length < 2) throw pyErr(PyTypeError, 'string argument without an encoding');
      return new PyBytes(new TextEncoder().encode(x));
    }
    if (typeof x === 'bigint') throw pyErr(OverflowError, "cannot fit 'int' into an index-sized integer");
    if (typeof x === 'number') {
      if (x < 0) throw pyErr(ValueError, 'negative count');
      if (x > 1 << 30) throw pyErr(EXCEPTION_TYPES.get('MemoryError')!);
      return new PyBytes(new Uint8Array(x));
    }
    const items = toArray(x).map((v) => {
      const n = Number(mustInt(v));
      if (n < 0 || n > 255) throw pyErr(ValueError, 'bytes must be in range(0, 256)');
      return n;
    });
    return new PyBytes(Uint8Array.from(items));
  };
  typeType.ctor = (a) => {
    if (a.length !== 1)
      throw pyErr(PyTypeError, 'type() takes 1 argument in MiniPy (classes are not supported)');
    return typeOf(a[0]);
  };
  objectType.ctor = () => new PyInstance(objectType);
  for (const t of EXCEPTION_TYPES.values()) {
    t.ctor = (a) => {
      const e = new PyExc(t, a.slice());
      if (t === StopIteration) {
        e.attrs = new Map([['value', a.length ? a[0] : null]]);
      }
      return e;
    };
  }
}

let typesReady = false;
/** Install constructors and methods on the builtin types (idempotent). */
export function initTypes(): void {
  if (typesReady) return;
  typesReady = true;
  initTypeCtors();
  initStrMethods();
  initListMethods();
  initDictMethods();
  initSetMethods();
  initNumberMethods();
}

function isTypeArg(t: V, fn: string): void {
  if (t instanceof PyType) return;
  if (t instanceof PyTuple) {
    for (const x of t.a) isTypeArg(x, fn);
    return;
  }
  throw pyErr(PyTypeError, `${fn}() arg 2 must be a type, a tuple of types, or a union`);
}

function isInst(v: V, t: V): boolean {
  if (t instanceof PyTuple) return t.a.some((x) => isInst(v, x));
  return isinstance(v, t as PyType);
}

function reversedIter(v: V): PyIter {
  if (v instanceof PyList) {
    const l = v;
    return new JsIter(
      (function* () {
        for (let i = l.a.length - 1; i >= 0; i--) if (i < l.a.length) yield l.a[i];
      })(),
      'list_reverseiterator',
    );
  }
  if (
    v instanceof PyTuple ||
    typeof v === 'string' ||
    v instanceof PyRange ||
    v instanceof PyDict ||
    v instanceof PyDictView
  ) {
    return new JsIter(toArray(v).reverse()[Symbol.iterator](), 'reversed');
  }
  throw pyErr(PyTypeError, `'${typeName(v)}' object is not reversible`);
}

/** Create the builtins namespace for one interpreter. `write` is print's output. */
export function createBuiltins(write: (s: string) => void): Map<string, V> {
  initTypes();
  const b = new Map<string, V>();
  const def = (name: string, fn: NativeFn) => b.set(name, new PyBuiltin(name, fn));
  for (const t of [
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
  ]) {
    b.set(t.name, t);
  }
  for (const [name, t] of EXCEPTION_TYPES) b.set(name, t);
  def('print', (a, kw) => {
    const sep = kwArg(kw, 'sep', ['sep', 'end', 'file', 'flush'], 'print') ?? ' ';
    const end = kw?.get('end') ?? '\n';
    if (sep !== null && typeof sep !== 'string')
      throw pyErr(PyTypeError, `sep must be None or a string, not ${typeName(sep)}`);
    if (end !== null && typeof end !== 'string')
      throw pyErr(PyTypeError, `end must be None or a string, not ${typeName(end)}`);
    const text = a.map(str).join(sep ?? ' ') + (end ?? '\n');
    const file = kw?.get('file') ?? null;
    // print(..., file=f): anything with a write() method (sys.stdout, sys.stderr)
    if (file !== null) callValue(getAttr(file, 'write'), [text]);
    else write(text);
    return null;
  });
  def('len', (a, kw) => {
    noKw('len', kw);
    nargs('len', a, 1, 1);
    return pyLen(a[0]);
  });
  def('abs', (a) => {
    nargs('abs', a, 1, 1);
    const x = a[0];
    if (typeof x === 'number') return Math.abs(x);
    if (typeof x === 'bigint') return x < 0n ? -x : x;
    if (typeof x === 'boolean') return x ? 1 : 0;
    if (x instanceof PyFloat) return mkFloat(Math.abs(x.v));
    throw pyErr(PyTypeError, `bad operand type for abs(): '${typeName(x)}'`);
  });
  def('min', (a, kw) => minmax('min', a, kw, false));
  def('max', (a, kw) => minmax('max', a, kw, true));
  def('sum', pySum);
  def('sorted', (a, kw) => {
    if (a.length !== 1) throw pyErr(PyTypeError, `sorted expected 1 argument, got ${a.length}`);
    const key = kwArg(kw, 'key', ['key', 'reverse'], 'sorted') ?? null;
    return new PyList(sortValues(toArray(a[0]), key, truthy(kw?.get('reverse') ?? false)));
  });
  def('reversed', (a) => {
    nargs('reversed', a, 1, 1);
    return reversedIter(a[0]);
  });
  def('enumerate', (a, kw) => {
    const it = getIter(a[0]);
    let i = Number(a[1] ?? kwArg(kw, 'start', ['start'], 'enumerate') ?? 0);
    return new JsIter(
      (function* () {
        for (;;) {
          const x = it.next();
          if (x === undefined) return;
          yield new PyTuple([i++, x]);
        }
      })(),
      'enumerate',
    );
  });
  def('zip', (a, kw) => {
    const strict = truthy(kwArg(kw, 'strict', ['strict'], 'zip') ?? false);
    const its = a.map(getIter);
    return new JsIter(
      (function* () {
        if (its.length === 0) return;
        for (;;) {
          const row: V[] = [];
          for (let k = 0; k < its.length; k++) {
            const x = its[k].next();
            if (x === undefined) {
              if (strict && (k > 0 || its.slice(1).some((o) => o.next() !== undefined))) {
                throw pyErr(
                  ValueError,
                  `zip() argument ${k > 0 ? k + 1 : 2} is ${k > 0 ? 'shorter' : 'longer'} than argument${k > 1 ? `s 1-${k}` : ' 1'}`,
                );
              }
              return;
            }
            row.push(x);
          }
          yield new PyTuple(row);
        }
      })(),
      'zip',
    );
  });
  def('map', (a) => {
    if (a.length < 2) throw pyErr(PyTypeError, 'map() must have at least two arguments.');
    const f = a[0];
    const its = a.slice(1).map(getIter);
    return new JsIter(
      (function* () {
        for (;;) {
          const row: V[] = [];
          for (const it of its) {
            const x = it.next();
            if (x === undefined) return;
            row.push(x);
          }
          yield callValue(f, row);
        }
      })(),
      'map',
    );
  });
  def('filter', (a) => {
    nargs('filter', a, 2, 2);
    const f = a[0];
    const it = getIter(a[1]);
    return new JsIter(
      (function* () {
        for (;;) {
          const x = it.next();
          if (x === undefined) return;
          if (truthy(f === null ? x : callValue(f, [x]))) yield x;
        }
      })(),
      'filter',
    );
  });
  def('isinstance', (a) => {
    nargs('isinstance', a, 2, 2);
    isTypeArg(a[1], 'isinstance');
    return isInst(a[0], a[1]);
  });
  def('issubclass', (a) => {
    nargs('issubclass', a, 2, 2);
    if (!(a[0] instanceof PyType)) throw pyErr(PyTypeError, 'issubclass() arg 1 must be a class');
    isTypeArg(a[1], 'issubclass');
    const t = a[0];
    const check = (x: V): boolean => (x instanceof PyTuple ? x.a.some(check) : t.isSubtype(x as PyType));
    return check(a[1]);
  });
  def('repr', (a) => {
    nargs('repr', a, 1, 1);
    return repr(a[0]);
  });
  def('ascii', (a) =>
    Array.from(repr(a[0]), (c) => {
      const cp = c.codePointAt(0)!;
      if (cp < 0x80) return c;
      if (cp < 0x100) return `\\x${cp.toString(16).padStart(2, '0')}`;
      return cp < 0x10000
        ? `\\u${cp.toString(16).padStart(4, '0')}`
        : `\\U${cp.toString(16).padStart(8, '0')}`;
    }).join(''),
  );
  def('round', (a, kw) => {
    const nd = kwArg(kw, 'ndigits', ['number', 'ndigits'], 'round');
    const number = kwArg(kw, 'number', ['number', 'ndigits'], 'round');
    if (number !== undefined) {
      if (a.length > 0)
        throw pyErr(PyTypeError, "argument for round() given by name ('number') and position (1)");
      a = [number];
    }
    return pyRound(nd !== undefined ? [a[0], nd] : a);
  });
  def('divmod', (a) => {
    nargs('divmod', a, 2, 2);
    const [x, y] = a;
    if (isInt(x) && isInt(y)) return new PyTuple([binaryOp(2, x, y), binaryOp(6, x, y)]);
    const fx = toFloat(x);
    const fy = toFloat(y);
    if (fx === undefined || fy === undefined)
      throw pyErr(
        PyTypeError,
        `unsupported operand type(s) for divmod(): '${typeName(x)}' and '${typeName(y)}'`,
      );
    if (fy === 0) throw pyErr(ZeroDivisionError, 'float divmod()');
    return new PyTuple([binaryOp(2, mkFloat(fx), mkFloat(fy)), binaryOp(6, mkFloat(fx), mkFloat(fy))]);
  });
  def('pow', (a) => {
    nargs('pow', a, 2, 3);
    if (a.length === 3 && a[2] !== null) {
      if (!isInt(a[0]) || !isInt(a[1]) || !isInt(a[2]))
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
      return normBig(r);
    }
    return binaryOp(8, a[0], a[1]);
  });
  def('hash', (a) => {
    nargs('hash', a, 1, 1);
    return pyHash(a[0]);
  });
  def('id', (a) =>
    a[0] !== null && typeof a[0] === 'object'
      ? objectId(a[0])
      : Number(pyHash(a[0] as V)) * 16 + 0x7f00_0000_0000,
  );
  def('ord', (a) => {
    nargs('ord', a, 1, 1);
    const s = a[0];
    if (typeof s !== 'string')
      throw pyErr(PyTypeError, `ord() expected string of length 1, but ${typeName(s)} found`);
    const chars = [...s];
    if (chars.length !== 1)
      throw pyErr(PyTypeError, `ord() expected a character, but string of length ${chars.length} found`);
    return s.codePointAt(0)!;
  });
  def('chr', (a) => {
    nargs('chr', a, 1, 1);
    const n = mustInt(a[0]);
    if (typeof n === 'bigint' && (n > 2147483647n || n < -2147483648n))
      throw pyErr(OverflowError, 'Python int too large to convert to C int');
    if (n < 0 || n > 0x10ffff) throw pyErr(ValueError, 'chr() arg not in range(0x110000)');
    return String.fromCodePoint(Number(n));
  });
  def('any', (a) => {
    nargs('any', a, 1, 1);
    const it = getIter(a[0]);
    for (let x = it.next(); x !== undefined; x = it.next()) if (truthy(x)) return true;
    return false;
  });
  def('all', (a) => {
    nargs('all', a, 1, 1);
    const it = getIter(a[0]);
    for (let x = it.next(); x !== undefined; x = it.next()) if (!truthy(x)) return false;
    return true;
  });
  def('iter', (a) => {
    nargs('iter', a, 1, 1);
    return getIter(a[0]);
  });
  def('next', (a) => {
    nargs('next', a, 1, 2);
    const it = a[0];
    if (!(it instanceof PyIter)) throw pyErr(PyTypeError, `'${typeName(it)}' object is not an iterator`);
    const v = it.next();
    if (v === undefined) {
      if (a.length > 1) return a[1];
      throw pyErr(StopIteration);
    }
    return v;
  });
  def('callable', (a) => a[0] instanceof PyBuiltin || a[0] instanceof PyFunction || a[0] instanceof PyType);
  def('getattr', (a) => {
    nargs('getattr', a, 2, 3);
    const name = mustStr(a[1], 'getattr', 'attribute name');
    try {
      return getAttr(a[0], name);
    } catch (e) {
      if (a.length > 2 && e instanceof PyExc && e.type.name === 'AttributeError') return a[2];
      throw e;
    }
  });
  def('hasattr', (a) => {
    try {
      getAttr(a[0], mustStr(a[1], 'hasattr', 'attribute name'));
      return true;
    } catch (e) {
      if (e instanceof PyExc && e.type.name === 'AttributeError') return false;
      throw e;
    }
  });
  def('setattr', (a) => {
    setAttr(a[0], mustStr(a[1], 'setattr', 'attribute name'), a[2]);
    return null;
  });
  def('format', (a) => formatValue(a[0], a.length > 1 ? mustStr(a[1], 'format', 'argument 2') : ''));
  const radix = (name: string, r: number, p: string) =>
    def(name, (a) => {
      const n = mustInt(a[0]);
      const bn = BigInt(n);
      return bn < 0n ? `-${p}${(-bn).toString(r)}` : `${p}${bn.toString(r)}`;
    });
  radix('hex', 16, '0x');
  radix('oct', 8, '0o');
  radix('bin', 2, '0b');
  def('input', () => {
    throw pyErr(EXCEPTION_TYPES.get('OSError')!, 'input() is not available in MiniPy');
  });
  b.set('None', null);
  b.set('Ellipsis', new PyTuple([]));
  void compare;
  void contains;
  void floatRepr;
  void intBinary;
  void sliceIndices;
  void asIndex;
  void PyModule;
  void PyGen;
  return b;
}

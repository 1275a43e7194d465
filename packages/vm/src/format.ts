/**
 * Text conversions with CPython's exact output: `repr`, `str`, float repr (shortest round-trip,
 * exponent outside 1e-4..1e16), the format-spec mini-language and `%` formatting. Everything here
 * reads heap refs it is given (borrowed) and returns JS strings; callers wrap them with `newStr`.
 */
import { layout } from '@gilkit/heap';
import {
  generatorType,
  KeyError,
  OverflowError,
  objectId,
  PyDictView,
  type PyExc,
  PyInstance,
  PyIter,
  type PyType,
  PyTypeError,
  pyErr,
  toArray,
  toFloat,
  typeName,
  ValueError,
} from './objects.js';
import {
  asType,
  builtinInfo,
  builtinSelf,
  bytesOf,
  decref,
  excOf,
  floatOf,
  funcCode,
  H,
  handleOf,
  incref,
  instanceType,
  intOf,
  isBytes,
  isDict,
  isFrozenSet,
  isIntLike,
  isList,
  isStr,
  isTuple,
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
  locking,
  lockRef,
  moduleName,
  type Ref,
  rangeStart,
  rangeStep,
  rangeStop,
  sliceStart,
  sliceStep,
  sliceStop,
  strOf,
  TRUE,
  tupleItems,
  unlockRef,
} from './rt.js';

const { T_NONE, T_BOOL, T_INT, T_BIGINT, T_FLOAT, T_STR, T_BYTES, T_TUPLE, T_LIST, T_DICT, T_SET, T_OBJECT } =
  layout;

/** Hook for reprs of objects defined outside this module (generators and other eval handles). */
export const reprHooks: { repr: ((r: Ref) => string | undefined) | null } = { repr: null };

/**
 * CPython's reprs of instances of types defined elsewhere (threading.Thread, locks, hashlib
 * objects), by type; registered at module load by their owners (modules.ts).
 */
export const instanceReprs = new Map<PyType, (r: Ref) => string>();

/** Module names of types defined outside builtins, for their reprs (`<class '_thread.lock'>`). */
export const typeModules = new Map<PyType, string>();

/** `repr(float)`: shortest round-trip digits, exponent form outside 1e-4 <= |x| < 1e16. */
export function floatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Number.POSITIVE_INFINITY) return 'inf';
  if (x === Number.NEGATIVE_INFINITY) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  // Python's fixed range: JS prints the same shortest round-trip digits in decimal there
  const ax = x < 0 ? -x : x;
  if (ax >= 1e-4 && ax < 1e16) return Number.isInteger(x) ? `${x}.0` : String(x);
  const e = x.toExponential(); // shortest round-trip digits
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(e)!;
  const sign = m[1];
  const digits = m[2] + (m[3] ?? '');
  const exp = Number(m[4]);
  if (exp >= -5 && exp < 16) {
    // fixed notation
    let s: string;
    if (exp >= 0) {
      if (digits.length <= exp + 1) s = `${digits}${'0'.repeat(exp + 1 - digits.length)}.0`;
      else s = `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
    } else s = `0.${'0'.repeat(-exp - 1)}${digits}`;
    if (exp < -4) return sci(sign, digits, exp);
    return sign + s;
  }
  return sci(sign, digits, exp);
}
function sci(sign: string, digits: string, exp: number): string {
  const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  const es = exp < 0 ? `-${String(-exp).padStart(2, '0')}` : `+${String(exp).padStart(2, '0')}`;
  return `${sign}${mant}e${es}`;
}

/** Characters Python's str.isprintable() rejects (other than ASCII controls, handled above). */
const NON_PRINTABLE = /^[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]$/u;

/** `repr(str)`: CPython's quote choice and escapes (non-printable characters as \\x, \\u, \\U). */
export function strRepr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = q;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === q || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f || (c >= 0x80 && c < 0xa0))
      out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if (c > 0x7f && NON_PRINTABLE.test(ch)) {
      out +=
        c < 0x100
          ? `\\x${c.toString(16).padStart(2, '0')}`
          : c < 0x10000
            ? `\\u${c.toString(16).padStart(4, '0')}`
            : `\\U${c.toString(16).padStart(8, '0')}`;
    } else out += ch;
  }
  return out + q;
}

/** `repr(bytes)`: b'...' with CPython's quote choice and \\x escapes. */
export function bytesRepr(b: Uint8Array): string {
  let hasSingle = false;
  let hasDouble = false;
  for (const c of b) {
    if (c === 39) hasSingle = true;
    if (c === 34) hasDouble = true;
  }
  const q = hasSingle && !hasDouble ? '"' : "'";
  let out = `b${q}`;
  for (const c of b) {
    if (c === q.charCodeAt(0) || c === 92) out += `\\${String.fromCharCode(c)}`;
    else if (c === 10) out += '\\n';
    else if (c === 13) out += '\\r';
    else if (c === 9) out += '\\t';
    else if (c < 32 || c >= 127) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += String.fromCharCode(c);
  }
  return out + q;
}

/**
 * CPython 3.11's limit on int -> decimal str conversion (`sys.set_int_max_str_digits`, 0 = none).
 * modules.ts installs a getter that reads the running interpreter's setting.
 */
export const intDigits: { limit: () => number } = { limit: () => 4300 };

/** Decimal digits of an int, raising CPython's ValueError past the digit limit. */
export function intToDecimal(n: number | bigint): string {
  if (typeof n === 'number') return String(n); // safe integers: at most 16 digits
  const lim = intDigits.limit();
  if (lim > 0) {
    const a = n < 0n ? -n : n;
    // cheap pre-check on the bit length (as CPython's), exact check on the digits
    const tooBig = a.toString(16).length * 4 > (lim + 1) * 3.3219280948873626 + 4;
    const s = tooBig ? '' : a.toString();
    if (tooBig || s.length > lim) {
      throw pyErr(
        ValueError,
        `Exceeds the limit (${lim} digits) for integer string conversion; use sys.set_int_max_str_digits() to increase the limit`,
      );
    }
    return n < 0n ? `-${s}` : s;
  }
  return n.toString();
}

/** Containers being repr'd on this thread (a list containing itself prints `[...]`). */
const reprStack = new Set<number>();

/** `0x...` address of an object, as reprs show it. */
export function hexId(r: Ref): string {
  return `0x${objectId(r).toString(16)}`;
}

/** `repr(r)` (r borrowed). MiniPy objects have no user `__repr__`, so this runs no Python code. */
export function repr(r: Ref): string {
  if ((r & 1) !== 0) return String(r >> 1); // tagged int
  switch (H.typeTag(r)) {
    case T_NONE:
      return 'None';
    case T_BOOL:
      return r === TRUE ? 'True' : 'False';
    case T_INT:
    case T_BIGINT:
      return intToDecimal(intOf(r));
    case T_FLOAT:
      return floatRepr(floatOf(r));
    case T_STR:
      return strRepr(strOf(r));
    case T_BYTES:
      return bytesRepr(bytesOf(r));
    case T_LIST:
    case T_TUPLE:
    case T_DICT:
    case T_SET:
      return containerRepr(r);
    case T_OBJECT:
      return objectRepr(r);
  }
  return `<${typeName(r)} object at ${hexId(r)}>`;
}

/**
 * A container's items as a flat array (dict: key, value, key, value...). Borrowed in gil mode (repr
 * runs no Python code, so nothing can change them meanwhile); without a GIL, new refs taken inside
 * the container's critical section (`owned`), since other threads may mutate it while we format.
 */
function itemsOf(r: Ref, owned: boolean): Ref[] {
  if (owned) lockRef(r);
  try {
    let a: Ref[];
    if (isList(r)) a = H.listItems(r);
    else if (isTuple(r)) a = tupleItems(r);
    else if (isDict(r)) {
      a = [];
      for (let p = H.dictNext(r, -1); p >= 0; p = H.dictNext(r, p))
        a.push(H.dictKeyAt(r, p), H.dictValueAt(r, p));
    } else a = H.setKeys(r);
    if (owned) for (const x of a) incref(x);
    return a;
  } finally {
    if (owned) unlockRef(r);
  }
}

function containerRepr(r: Ref): string {
  if (reprStack.has(r)) return isList(r) ? '[...]' : isDict(r) ? '{...}' : '(...)';
  reprStack.add(r);
  // tuples are immutable: never a need to own their items
  const owned = locking && !isTuple(r);
  const a = itemsOf(r, owned);
  try {
    if (isList(r)) return `[${a.map(repr).join(', ')}]`;
    if (isTuple(r)) return a.length === 1 ? `(${repr(a[0])},)` : `(${a.map(repr).join(', ')})`;
    if (isDict(r)) {
      const parts: string[] = [];
      for (let k = 0; k < a.length; k += 2) parts.push(`${repr(a[k])}: ${repr(a[k + 1])}`);
      return `{${parts.join(', ')}}`;
    }
    const items = a.map(repr);
    if (isFrozenSet(r)) return items.length ? `frozenset({${items.join(', ')}})` : 'frozenset()';
    return items.length ? `{${items.join(', ')}}` : 'set()';
  } finally {
    reprStack.delete(r);
    if (owned) for (const x of a) decref(x);
  }
}

function objectRepr(r: Ref): string {
  switch (kindOf(r)) {
    case K_TYPE: {
      const t = asType(r)!;
      const mod = typeModules.get(t);
      return mod === undefined ? `<class '${t.name}'>` : `<class '${mod}.${t.name}'>`;
    }
    case K_FUNCTION:
      return `<function ${funcCode(r).qualname} at ${hexId(r)}>`;
    case K_RANGE: {
      const start = rangeStart(r);
      const stop = rangeStop(r);
      const step = rangeStep(r);
      return step === 1 ? `range(${start}, ${stop})` : `range(${start}, ${stop}, ${step})`;
    }
    case K_SLICE:
      return `slice(${repr(sliceStart(r))}, ${repr(sliceStop(r))}, ${repr(sliceStep(r))})`;
    case K_BUILTIN: {
      const info = builtinInfo(r);
      const self = builtinSelf(r);
      if (self !== 0) return `<built-in method ${info.name} of ${typeName(self)} object at ${hexId(self)}>`;
      // a method taken from its type (list.append) knows its owner
      if (info.owner !== undefined) return `<method '${info.name}' of '${info.owner}' objects>`;
      return `<built-in function ${info.name}>`;
    }
    case K_MODULE:
      return `<module '${moduleName(r)}' (built-in)>`;
    case K_CELL:
      return `<cell at ${hexId(r)}>`;
    case K_CODE:
      return `<code object at ${hexId(r)}>`;
    case K_INSTANCE: {
      const f = instanceReprs.get(instanceType(r));
      if (f !== undefined) return f(r);
      break;
    }
    case K_HANDLE: {
      const e = excOf(r);
      if (e) {
        const name = e.type.name;
        // args exactly [message] or []: format the JS text, make no str ref
        if (e.messageOnly) return e.message === undefined ? `${name}()` : `${name}(${strRepr(e.message)})`;
        if (e.args.length === 1) return `${name}(${repr(e.args[0])})`;
        return `${name}(${e.args.map(repr).join(', ')})`;
      }
      const h = handleOf(r);
      if (h instanceof PyDictView) {
        const items = toArray(r);
        try {
          return `dict_${h.kind}([${items.map(repr).join(', ')}])`;
        } finally {
          for (const x of items) decref(x);
        }
      }
      const hooked = reprHooks.repr?.(r);
      if (hooked !== undefined) return hooked;
      if (h !== null && h.cls === generatorType) {
        const q = (h as { qualname?: unknown }).qualname;
        if (typeof q === 'string') return `<generator object ${q} at ${hexId(r)}>`;
      }
      if (h instanceof PyInstance) {
        const f = instanceReprs.get(h.type);
        if (f !== undefined) return f(r);
      }
      if (h instanceof PyInstance || h instanceof PyIter) return `<${typeName(r)} object at ${hexId(r)}>`;
      break;
    }
  }
  const hooked = reprHooks.repr?.(r);
  if (hooked !== undefined) return hooked;
  return `<${typeName(r)} object at ${hexId(r)}>`;
}

/** `str(r)` (r borrowed). */
export function str(r: Ref): string {
  if (isStr(r)) return strOf(r);
  const e = excOf(r);
  if (e) {
    if (e.messageOnly) {
      if (e.message === undefined) return '';
      return e.type.name === 'KeyError' ? strRepr(e.message) : e.message;
    }
    if (e.type.name === 'KeyError' && e.args.length === 1) return repr(e.args[0]);
    if (e.args.length === 0) return '';
    if (e.args.length === 1) return str(e.args[0]);
    return `(${e.args.map(repr).join(', ')})`;
  }
  return repr(r);
}

// ---- format spec mini-language ----
interface Spec {
  explicitSign: boolean;
  fill: string;
  align: string;
  sign: string;
  alt: boolean;
  zero: boolean;
  width: number;
  grouping: string;
  precision: number;
  type: string;
}

/** Parsed specs by text (programs use a handful; bounded so odd programs cannot grow it). */
const specCache = new Map<string, Spec>();

function parseSpec(spec: string): Spec {
  let s = specCache.get(spec);
  if (s === undefined) {
    s = parseSpecText(spec);
    if (specCache.size >= 256) specCache.clear();
    specCache.set(spec, s);
  }
  return s;
}

function parseSpecText(spec: string): Spec {
  const m = /^(?:(.)?([<>=^]))?([+\- ])?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([a-zA-Z%])?$/s.exec(spec);
  if (!m) throw pyErr(ValueError, 'Invalid format specifier');
  return {
    // the 0 flag supplies the fill (unless one is given) and, without an explicit alignment, '='
    fill: m[1] ?? (m[5] ? '0' : ' '),
    align: m[2] ?? (m[5] ? '=' : ''),
    sign: m[3] ?? '-',
    explicitSign: m[3] !== undefined,
    alt: !!m[4],
    zero: !!m[5],
    width: m[6] ? Number(m[6]) : 0,
    grouping: m[7] ?? '',
    precision: m[8] !== undefined ? Number(m[8]) : -1,
    type: m[9] ?? '',
  };
}

function group(intPart: string, sep: string, every = 3): string {
  if (!sep) return intPart;
  let out = '';
  for (let i = 0; i < intPart.length; i++) {
    if (i > 0 && (intPart.length - i) % every === 0) out += sep;
    out += intPart[i];
  }
  return out;
}

function pad(body: string, prefix: string, s: Spec, defaultAlign: string): string {
  const align = s.align || defaultAlign;
  const total = prefix.length + body.length;
  if (total >= s.width) return prefix + body;
  const n = s.width - total;
  switch (align) {
    case '<':
      return prefix + body + s.fill.repeat(n);
    case '>':
      return s.fill.repeat(n) + prefix + body;
    case '^':
      return s.fill.repeat(Math.floor(n / 2)) + prefix + body + s.fill.repeat(n - Math.floor(n / 2));
    default:
      return prefix + s.fill.repeat(n) + body;
  }
}

/**
 * How many binary digits follow the point in `x`'s exact value (0 for integers). Its exact decimal
 * expansion then has exactly that many decimals, the last one a 5: the only way to be an exact
 * rounding tie.
 */
function fracBits(x: number): number {
  fdv.setFloat64(0, x);
  const hi = fdv.getUint32(0);
  const lo = fdv.getUint32(4);
  const bexp = (hi >>> 20) & 0x7ff;
  const mhi = (hi & 0xfffff) | (bexp === 0 ? 0 : 0x100000);
  // value = mantissa * 2**e; strip the mantissa's trailing zero bits
  const tz = lo !== 0 ? 31 - Math.clz32(lo & -lo) : 63 - Math.clz32(mhi & -mhi);
  const k = 1075 - (bexp === 0 ? 1 : bexp) - tz;
  return Math.max(k, 0);
}
const fdv = new DataView(new ArrayBuffer(8));

/** Fixed-point with exact decimal rounding (round-half-even on the binary value, as CPython). */
export function toFixed(x: number, prec: number): string {
  if (Math.abs(x) < 1e21) {
    const r = x.toFixed(prec);
    // JS rounds correctly except exact ties, which need exactly prec + 1 decimals
    if (x === 0 || fracBits(x) !== prec + 1) return r;
    // JS rounds exact ties away from zero; CPython rounds the exact binary value half-to-even.
    const ext = Math.abs(x).toFixed(Math.min(100, prec + 40));
    const cut = ext.indexOf('.') + (prec > 0 ? prec + 1 : 0);
    const tail = ext.slice(prec > 0 ? cut : ext.indexOf('.') + 1);
    if (/^50*$/.test(tail)) {
      const kept = prec > 0 ? ext.slice(0, cut) : ext.slice(0, ext.indexOf('.'));
      const last = Number(kept[kept.length - 1]);
      if (last % 2 === 0) return (x < 0 ? '-' : '') + kept;
    }
    return r;
  }
  // toFixed switches to exponent for huge values: expand via BigInt
  const big = BigInt(Math.round(x));
  return prec > 0 ? `${big}.${'0'.repeat(prec)}` : String(big);
}

function fmtExp(x: number, prec: number, upper: boolean): string {
  let s = x.toExponential(prec);
  // an exact tie has exactly prec + 2 significant digits; k fractional bits give at least
  // floor(k * log10(5)) + 1 of them, so most values skip the exact check
  const k = x !== 0 && Number.isFinite(x) ? fracBits(x) : -1;
  if (prec < 60 && k >= 0 && (k === 0 || Math.floor(k * 0.6989700043360189) + 1 <= prec + 2)) {
    // exact ties round half-to-even as CPython does (JS rounds them up)
    const ext = Math.abs(x).toExponential(Math.min(100, prec + 40));
    const m = /^(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(ext)!;
    const digits = m[1] + (m[2] ?? '');
    const kept = digits.slice(0, prec + 1);
    if (/^50*$/.test(digits.slice(prec + 1)) && Number(kept[kept.length - 1]) % 2 === 0) {
      s = `${x < 0 ? '-' : ''}${kept[0]}${prec > 0 ? `.${kept.slice(1)}` : ''}e${m[3]}`;
    }
  }
  const m = /^(-?[\d.]+)e([+-])(\d+)$/.exec(s)!;
  const r = `${m[1]}e${m[2]}${m[3].padStart(2, '0')}`;
  return upper ? r.toUpperCase() : r;
}

function fmtGeneral(x: number, prec: number, alt: boolean, upper: boolean, noTypeRepr: boolean): string {
  if (prec === 0) prec = 1;
  if (x === 0) {
    // '' with precision 1 switches to exponent form for zero too (its exponent 0 >= prec - 1)
    let z: string;
    if (noTypeRepr && prec === 1) z = alt ? '0.e+00' : '0e+00';
    else z = alt ? `0.${'0'.repeat(prec - 1)}` : noTypeRepr ? '0.0' : '0';
    return (Object.is(x, -0) ? '-' : '') + z;
  }
  // the decimal exponent after rounding to `prec` significant digits
  const e = Number(fmtExp(x, prec - 1, false).split('e')[1]);
  let r: string;
  // '' with a precision switches to exponent form one digit earlier (fixed form keeps a digit after the point)
  if (e >= -4 && e < prec - (noTypeRepr ? 1 : 0)) {
    r = toFixed(x, Math.max(0, prec - 1 - e));
    if (!alt && r.includes('.')) r = r.replace(/\.?0+$/, '');
    else if (alt && !r.includes('.')) r += '.';
    if (noTypeRepr && !r.includes('.')) r += '.0';
  } else {
    r = fmtExp(x, prec - 1, false);
    if (!alt) r = r.replace(/\.?0+e/, 'e');
    else if (prec === 1) r = r.replace('e', '.e');
  }
  return upper ? r.toUpperCase() : r;
}

function nonFinite(x: number, upper: boolean): string {
  const r = Number.isNaN(x) ? 'nan' : 'inf';
  return upper ? r.toUpperCase() : r;
}

/** A value as the formatter sees it: exactly one of `str`/`int`/`float` is set, or none (other). */
interface FmtVal {
  str: string | null;
  int: bigint | null;
  float: number | null;
  typeName: string;
}

function fmtVal(r: Ref): FmtVal {
  if (isStr(r)) return { str: strOf(r), int: null, float: null, typeName: 'str' };
  if (isIntLike(r)) return { str: null, int: BigInt(intOf(r)), float: null, typeName: typeName(r) };
  const f = toFloat(r);
  return { str: null, int: null, float: f === undefined ? null : f, typeName: typeName(r) };
}

/** `format(r, spec)` (r borrowed). */
export function formatValue(r: Ref, spec: string): string {
  if (spec === '') return str(r);
  return formatParts(fmtVal(r), spec);
}

/** `format(s, spec)` for a JS string (str.format after a `!r`/`!s` conversion). */
export function formatString(s: string, spec: string): string {
  if (spec === '') return s;
  return formatParts({ str: s, int: null, float: null, typeName: 'str' }, spec);
}

function intToFloat(n: bigint): number {
  const f = Number(n);
  if (!Number.isFinite(f)) throw pyErr(OverflowError, 'int too large to convert to float');
  return f;
}

function formatParts(v: FmtVal, spec: string): string {
  const s = parseSpec(spec);
  const isIntVal = v.int !== null;
  const effType = s.type || (v.str !== null ? 's' : '');
  if (s.grouping && effType && (s.grouping === ',' ? 'bcoxXns' : 'cns').includes(effType)) {
    throw pyErr(ValueError, `Cannot specify '${s.grouping}' with '${effType}'.`);
  }
  if (v.str !== null) {
    const sv = v.str;
    if (s.type && s.type !== 's')
      throw pyErr(ValueError, `Unknown format code '${s.type}' for object of type 'str'`);
    if (s.explicitSign) {
      throw pyErr(
        ValueError,
        s.sign === ' '
          ? 'Space not allowed in string format specifier'
          : 'Sign not allowed in string format specifier',
      );
    }
    if (s.alt) throw pyErr(ValueError, 'Alternate form (#) not allowed in string format specifier');
    if (s.align === '=') throw pyErr(ValueError, "'=' alignment not allowed in string format specifier");
    const body = s.precision >= 0 ? sv.slice(0, s.precision) : sv;
    return pad(body, '', s, '<');
  }
  if (isIntVal && (s.type === '' || 'bcdoxXn'.includes(s.type))) {
    let n = v.int as bigint;
    if (s.precision >= 0) throw pyErr(ValueError, 'Precision not allowed in integer format specifier');
    if (s.type === 'c') {
      if (s.explicitSign) throw pyErr(ValueError, "Sign not allowed with integer format specifier 'c'");
      return pad(codePoint(n), '', s, '<');
    }
    const neg = n < 0n;
    if (neg) n = -n;
    let body: string;
    let prefix = '';
    switch (s.type) {
      case 'b':
        body = n.toString(2);
        if (s.alt) prefix = '0b';
        break;
      case 'o':
        body = n.toString(8);
        if (s.alt) prefix = '0o';
        break;
      case 'x':
        body = n.toString(16);
        if (s.alt) prefix = '0x';
        break;
      case 'X':
        body = n.toString(16).toUpperCase();
        if (s.alt) prefix = '0X';
        break;
      default:
        body = group(intToDecimal(n), s.grouping);
    }
    if (s.grouping && s.type !== '' && 'bxXo'.includes(s.type))
      body = group(body.replace(/[,_]/g, ''), s.grouping, 4);
    const sign = neg ? '-' : s.sign === '+' ? '+' : s.sign === ' ' ? ' ' : '';
    if (s.zero && s.align === '=' && s.grouping && body.length + sign.length + prefix.length < s.width) {
      const w = s.width - sign.length - prefix.length;
      const digits = body.replace(/[,_]/g, '');
      let padded = digits;
      while (group(padded, s.grouping).length < w) padded = `0${padded}`;
      return sign + prefix + group(padded, s.grouping);
    }
    return pad(body, sign + prefix, s, '>');
  }
  const f = v.int !== null ? intToFloat(v.int) : v.float;
  if (f !== null && (s.type === '' || 'eEfFgG%n'.includes(s.type))) {
    let x = f;
    const neg = x < 0 || Object.is(x, -0);
    if (neg) x = -x;
    let body: string;
    const upper = s.type === 'E' || s.type === 'F' || s.type === 'G';
    const prec = s.precision >= 0 ? s.precision : 6;
    if (!Number.isFinite(x)) body = nonFinite(x, upper) + (s.type === '%' ? '%' : '');
    else
      switch (s.type) {
        case 'f':
        case 'F':
          body = toFixed(x, prec);
          if (s.alt && prec === 0) body += '.';
          break;
        case 'e':
        case 'E':
          body = fmtExp(x, prec, upper);
          if (s.alt && prec === 0) body = body.replace(/[eE]/, (e) => `.${e}`);
          break;
        case '%':
          body = `${toFixed(x * 100, prec)}${s.alt && prec === 0 ? '.' : ''}%`;
          break;
        case 'g':
        case 'G':
        case 'n':
          body = fmtGeneral(x, prec, s.alt, upper, false);
          break;
        default:
          if (s.precision >= 0) body = fmtGeneral(x, s.precision, s.alt, false, true);
          else {
            body = isIntVal ? String(x) : floatRepr(x);
            // '#' keeps a decimal point (1e+16 -> 1.e+16); CPython's repr mode writes zero as 0e+00 then
            if (s.alt && !isIntVal && !body.includes('.')) body = body.replace('e', '.e');
          }
      }
    const sign = neg ? '-' : s.sign === '+' ? '+' : s.sign === ' ' ? ' ' : '';
    if (s.grouping && Number.isFinite(x)) {
      const dot = body.search(/[.eE%]/);
      let ip = dot < 0 ? body : body.slice(0, dot);
      const rest = dot < 0 ? '' : body.slice(dot);
      if (s.zero && s.align === '=') {
        // zero padding goes inside the grouping: 0,001,234.50
        while (group(ip, s.grouping).length + rest.length + sign.length < s.width) ip = `0${ip}`;
      }
      body = group(ip, s.grouping) + rest;
    }
    return pad(body, sign, s, '>');
  }
  if (f === null && !isIntVal)
    throw pyErr(PyTypeError, `unsupported format string passed to ${v.typeName}.__format__`);
  throw pyErr(ValueError, `Unknown format code '${s.type}' for object of type '${v.typeName}'`);
}

/** chr(n) for `%c` and the `c` format code. */
function codePoint(n: bigint): string {
  if (n < 0n || n > 0x10ffffn) throw pyErr(OverflowError, '%c arg not in range(0x110000)');
  return String.fromCodePoint(Number(n));
}

/** `ascii()` of a repr: non-ASCII characters escaped as \xhh, \uhhhh or \Uhhhhhhhh. */
export function asciiRepr(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    if (c < 0x80) out += ch;
    else if (c < 0x100) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if (c < 0x10000) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += `\\U${c.toString(16).padStart(8, '0')}`;
  }
  return out;
}

/** `fmt % args` for str. */
export function percentFormat(fmt: string, args: Ref): string {
  // borrowed refs: `args` (and so its items) outlives this call, which runs no Python code
  let items: Ref[];
  let mapping: Ref = 0;
  if (isTuple(args)) items = tupleItems(args);
  else if (isDict(args)) {
    mapping = args;
    items = [args];
  } else items = [args];
  let idx = 0;
  let out = '';
  /** Values taken from the mapping as new refs (only without a GIL). */
  const held: Ref[] = [];
  try {
    return percentBody();
  } finally {
    for (const x of held) decref(x);
  }
  function percentBody(): string {
    const next = (): Ref => {
      if (idx >= items.length) throw pyErr(PyTypeError, 'not enough arguments for format string');
      return items[idx++];
    };
    for (let i = 0; ; ) {
      // copy the text up to the next '%' in one piece
      const j = fmt.indexOf('%', i);
      if (j < 0) {
        out += fmt.slice(i);
        break;
      }
      if (j > i) out += fmt.slice(i, j);
      CONVERSION.lastIndex = j + 1;
      const m = CONVERSION.exec(fmt);
      if (!m) throw badConversion(fmt, j + 1);
      i = j + 1 + m[0].length;
      const type = m[5];
      if (type === '%') {
        out += '%';
        continue;
      }
      let value: Ref = 0;
      if (m[1] !== undefined) {
        if (mapping === 0) throw pyErr(PyTypeError, 'format requires a mapping');
        lockRef(mapping);
        let got: Ref;
        try {
          got = H.dictGetStr(mapping, m[1]);
          // without a GIL another thread may drop it from the dict: keep it while we format
          if (locking && got !== 0) incref(got);
        } finally {
          unlockRef(mapping);
        }
        if (got !== 0 && locking) held.push(got);
        // KeyError(key): the key str is the exception's lazy message (no ref until args are read)
        if (got === 0) throw pyErr(KeyError, m[1]);
        value = got;
      }
      const flags = m[2];
      let width = m[3] === '*' ? starArg(next()) : m[3] ? Number(m[3]) : 0;
      const precision = m[4] === '*' ? starArg(next()) : m[4] !== undefined ? Number(m[4]) : -1;
      if (m[1] === undefined) value = next();
      let body: string;
      switch (type) {
        case 's':
          body = str(value);
          if (precision >= 0) body = body.slice(0, precision);
          break;
        case 'r':
        case 'a':
          body = type === 'a' ? asciiRepr(repr(value)) : repr(value);
          if (precision >= 0) body = body.slice(0, precision);
          break;
        case 'c':
          if (isStr(value) && [...strOf(value)].length === 1) body = strOf(value);
          else if (isIntLike(value)) body = codePoint(BigInt(intOf(value)));
          else throw pyErr(PyTypeError, '%c requires int or char');
          break;
        default: {
          const isIntType = 'diouxX'.includes(type);
          const v = value;
          // ints are read exactly (a huge int must not go through float first)
          const isInt = isIntLike(v);
          const fv = isInt ? 0 : toFloat(v);
          if (fv === undefined) {
            const hex = type === 'x' || type === 'X' || type === 'o';
            throw pyErr(
              PyTypeError,
              isIntType
                ? `%${type} format: ${hex ? 'an integer' : 'a real number'} is required, not ${typeName(v)}`
                : `must be real number, not ${typeName(v)}`,
            );
          }
          let spec = '';
          if (flags.includes('+')) spec += '+';
          else if (flags.includes(' ')) spec += ' ';
          if (flags.includes('#')) spec += '#';
          if (isIntType) {
            if (!isInt && (type === 'x' || type === 'X' || type === 'o')) {
              throw pyErr(PyTypeError, `%${type} format: an integer is required, not ${typeName(v)}`);
            }
            if (!isInt && !Number.isFinite(fv)) {
              throw Number.isNaN(fv)
                ? pyErr(ValueError, 'cannot convert float NaN to integer')
                : pyErr(OverflowError, 'cannot convert float infinity to integer');
            }
            const n = isInt ? BigInt(intOf(v)) : BigInt(Math.trunc(fv));
            const t = type === 'i' || type === 'u' ? 'd' : type;
            body = formatParts({ str: null, int: n, float: null, typeName: 'int' }, spec + t);
            if (precision >= 0) {
              const neg = body.startsWith('-');
              const digits = neg ? body.slice(1) : body;
              body = (neg ? '-' : '') + digits.padStart(precision, '0');
            }
          } else {
            body = formatParts(
              { str: null, int: null, float: isInt ? intToFloat(BigInt(intOf(v))) : fv, typeName: 'float' },
              `${spec}.${precision >= 0 ? precision : 6}${type}`,
            );
          }
          if (flags.includes('0') && !flags.includes('-') && body.length < width) {
            const neg = /^[-+ ]/.test(body) ? body[0] : '';
            body = neg + body.slice(neg.length).padStart(width - neg.length, '0');
            width = 0;
          }
        }
      }
      if (body.length < width) body = flags.includes('-') ? body.padEnd(width) : body.padStart(width);
      out += body;
    }
    // CPython skips this check when the argument is mapping-like (has __getitem__ and is not a tuple/str)
    const mappingLike = isList(args) || isDict(args) || isBytes(args);
    if (idx < items.length && mapping === 0 && !mappingLike) {
      throw pyErr(PyTypeError, 'not all arguments converted during string formatting');
    }
    return out;
  }
}

/** One `%` conversion after the '%' (sticky: matched in place, no slicing). */
const CONVERSION = /(?:\(([^)]*)\))?([-+ #0]*)(\*|\d+)?(?:\.(\*|\d+))?([diouxXeEfFgGcrsa%])/y;
/** Everything a conversion may have before its type character. */
const CONVERSION_PREFIX = /(?:\([^)]*\))?[-+ #0]*(?:\*|\d+)?(?:\.(?:\*|\d+)?)?/y;

/** CPython's ValueError for a conversion that does not parse (starting at `at`). */
function badConversion(fmt: string, at: number): PyExc {
  if (fmt[at] === '(' && fmt.indexOf(')', at) < 0) return pyErr(ValueError, 'incomplete format key');
  CONVERSION_PREFIX.lastIndex = at;
  CONVERSION_PREFIX.exec(fmt);
  const k = CONVERSION_PREFIX.lastIndex;
  if (k >= fmt.length) return pyErr(ValueError, 'incomplete format');
  return pyErr(
    ValueError,
    `unsupported format character '${fmt[k]}' (0x${fmt.charCodeAt(k).toString(16)}) at index ${k}`,
  );
}

/** A `*` width or precision: an int argument. */
function starArg(r: Ref): number {
  if (!isIntLike(r)) throw pyErr(PyTypeError, '* wants int');
  return Number(intOf(r));
}

/**
 * Text conversions with CPython's exact output: `repr`, `str`, float repr (shortest round-trip,
 * exponent outside 1e-4..1e16), the format-spec mini-language and `%` formatting.
 */
import {
  iterate,
  KeyError,
  objectId,
  PyBuiltin,
  PyBytes,
  PyCell,
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
  toBigInt,
  toFloat,
  typeName,
  type V,
  ValueError,
} from './objects.js';

/** Hook for reprs of objects defined outside this module (functions, generators, code). */
export const reprHooks: { repr: ((v: V) => string | undefined) | null } = { repr: null };

export function floatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Number.POSITIVE_INFINITY) return 'inf';
  if (x === Number.NEGATIVE_INFINITY) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
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

const reprStack = new Set<object>();

export function repr(v: V): string {
  switch (typeof v) {
    case 'number':
    case 'bigint':
      return String(v);
    case 'string':
      return strRepr(v);
    case 'boolean':
      return v ? 'True' : 'False';
  }
  if (v === null) return 'None';
  if (v instanceof PyFloat) return floatRepr(v.v);
  if (v instanceof PyList || v instanceof PyTuple || v instanceof PyDict || v instanceof PySet) {
    if (reprStack.has(v)) return v instanceof PyList ? '[...]' : v instanceof PyDict ? '{...}' : '(...)';
    reprStack.add(v);
    try {
      if (v instanceof PyList) return `[${v.a.map(repr).join(', ')}]`;
      if (v instanceof PyTuple)
        return v.a.length === 1 ? `(${repr(v.a[0])},)` : `(${v.a.map(repr).join(', ')})`;
      if (v instanceof PyDict) {
        const parts: string[] = [];
        const vals = v.vals.values();
        for (const k of v.keys.values()) parts.push(`${repr(k)}: ${repr(vals.next().value as V)}`);
        return `{${parts.join(', ')}}`;
      }
      const items = [...v.m.values()].map(repr);
      if (v.frozen) return items.length ? `frozenset({${items.join(', ')}})` : 'frozenset()';
      return items.length ? `{${items.join(', ')}}` : 'set()';
    } finally {
      reprStack.delete(v);
    }
  }
  if (v instanceof PyRange)
    return v.step === 1 ? `range(${v.start}, ${v.stop})` : `range(${v.start}, ${v.stop}, ${v.step})`;
  if (v instanceof PyBytes) return bytesRepr(v.b);
  if (v instanceof PyExc) {
    const name = v.type.name;
    if (v.args.length === 1) return `${name}(${repr(v.args[0])})`;
    return `${name}(${v.args.map(repr).join(', ')})`;
  }
  if (v instanceof PyType) return `<class '${v.name}'>`;
  if (v instanceof PyBuiltin) {
    if (v.self !== undefined)
      return `<built-in method ${v.name} of ${typeName(v.self)} object at 0x${objectId(v).toString(16)}>`;
    return `<built-in function ${v.name}>`;
  }
  if (v instanceof PyModule) return `<module '${v.name}' (built-in)>`;
  if (v instanceof PySlice) return `slice(${repr(v.start)}, ${repr(v.stop)}, ${repr(v.step)})`;
  if (v instanceof PyDictView) {
    return `dict_${v.kind}([${[...iterate(v)].map(repr).join(', ')}])`;
  }
  if (v instanceof PyCell) return `<cell at 0x${objectId(v).toString(16)}>`;
  const h = reprHooks.repr?.(v);
  if (h !== undefined) return h;
  if (v instanceof PyInstance) return `<${v.type.name} object at 0x${objectId(v).toString(16)}>`;
  if (v instanceof PyIter) return `<${typeName(v)} object at 0x${objectId(v).toString(16)}>`;
  return `<${typeName(v)} object at 0x${objectId(v as object).toString(16)}>`;
}

export function str(v: V): string {
  if (typeof v === 'string') return v;
  if (v instanceof PyExc) {
    if (v.type.name === 'KeyError' && v.args.length === 1) return repr(v.args[0]);
    if (v.args.length === 0) return '';
    if (v.args.length === 1) return str(v.args[0]);
    return repr(new PyTuple(v.args));
  }
  return repr(v);
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

function parseSpec(spec: string): Spec {
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

/** Fixed-point with exact decimal rounding (round-half-even on the binary value, as CPython). */
export function toFixed(x: number, prec: number): string {
  if (Math.abs(x) < 1e21) {
    const r = x.toFixed(prec);
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
  if (prec < 60 && x !== 0 && Number.isFinite(x)) {
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
    const z = alt ? `0.${'0'.repeat(prec - 1)}` : noTypeRepr ? '0.0' : '0';
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

/** `format(v, spec)`. */
export function formatValue(v: V, spec: string): string {
  if (spec === '') return str(v);
  const s = parseSpec(spec);
  const isIntVal = typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean';
  const effType = s.type || (typeof v === 'string' ? 's' : '');
  if (s.grouping && effType && (s.grouping === ',' ? 'bcoxXns' : 'cns').includes(effType)) {
    throw pyErr(ValueError, `Cannot specify '${s.grouping}' with '${effType}'.`);
  }
  if (typeof v === 'string') {
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
    const body = s.precision >= 0 ? v.slice(0, s.precision) : v;
    return pad(body, '', s, '<');
  }
  if (isIntVal && (s.type === '' || 'bcdoxXn'.includes(s.type))) {
    let n = toBigInt(v);
    if (s.precision >= 0) throw pyErr(ValueError, 'Precision not allowed in integer format specifier');
    if (s.type === 'c') {
      if (s.explicitSign) throw pyErr(ValueError, "Sign not allowed with integer format specifier 'c'");
      return pad(String.fromCodePoint(Number(n)), '', s, '<');
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
        body = group(n.toString(), s.grouping);
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
  const f = toFloat(v);
  if (f !== undefined && (s.type === '' || 'eEfFgG%n'.includes(s.type))) {
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
          else body = isIntVal ? String(x) : floatRepr(x);
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
  if (f === undefined && !isIntVal)
    throw pyErr(PyTypeError, `unsupported format string passed to ${typeName(v)}.__format__`);
  throw pyErr(ValueError, `Unknown format code '${s.type}' for object of type '${typeName(v)}'`);
}

/** `fmt % args` for str. */
export function percentFormat(fmt: string, args: V): string {
  let items: V[];
  let mapping: PyDict | null = null;
  if (args instanceof PyTuple) items = args.a;
  else if (args instanceof PyDict) {
    mapping = args;
    items = [args];
  } else items = [args];
  let idx = 0;
  let out = '';
  const next = (): V => {
    if (idx >= items.length) throw pyErr(PyTypeError, 'not enough arguments for format string');
    return items[idx++];
  };
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i];
    if (c !== '%') {
      out += c;
      continue;
    }
    const m = /^(?:\(([^)]*)\))?([-+ #0]*)(\*|\d+)?(?:\.(\*|\d+))?([diouxXeEfFgGcrsa%])/.exec(
      fmt.slice(i + 1),
    );
    if (!m) {
      if (i + 1 >= fmt.length) throw pyErr(ValueError, 'incomplete format');
      throw pyErr(
        ValueError,
        `unsupported format character '${fmt[i + 1]}' (0x${fmt.charCodeAt(i + 1).toString(16)}) at index ${i + 1}`,
      );
    }
    i += m[0].length;
    const type = m[5];
    if (type === '%') {
      out += '%';
      continue;
    }
    let value: V = null;
    if (m[1] !== undefined) {
      if (!mapping) throw pyErr(PyTypeError, 'format requires a mapping');
      const got = mapping.get(m[1]);
      if (got === undefined) {
        const e = pyErr(KeyError);
        e.args = [m[1]];
        throw e;
      }
      value = got;
    }
    const flags = m[2];
    let width = m[3] === '*' ? Number(next()) : m[3] ? Number(m[3]) : 0;
    const precision = m[4] === '*' ? Number(next()) : m[4] !== undefined ? Number(m[4]) : -1;
    if (m[1] === undefined) value = next();
    let body: string;
    switch (type) {
      case 's':
        body = str(value!);
        if (precision >= 0) body = body.slice(0, precision);
        break;
      case 'r':
      case 'a':
        body = repr(value!);
        if (precision >= 0) body = body.slice(0, precision);
        break;
      case 'c':
        body = typeof value! === 'string' ? (value as string) : String.fromCodePoint(Number(value));
        break;
      default: {
        const isIntType = 'diouxX'.includes(type);
        const v = value!;
        if (toFloat(v) === undefined) {
          throw pyErr(
            PyTypeError,
            `%${type} format: a ${isIntType ? 'real number' : 'real number'} is required, not ${typeName(v)}`,
          );
        }
        let spec = '';
        if (flags.includes('+')) spec += '+';
        else if (flags.includes(' ')) spec += ' ';
        if (flags.includes('#')) spec += '#';
        if (isIntType) {
          const iv = v instanceof PyFloat ? Math.trunc(v.v) : v;
          const t = type === 'i' || type === 'u' ? 'd' : type;
          body = formatValue(
            typeof iv === 'number' && !Number.isSafeInteger(iv) ? BigInt(iv) : iv,
            spec + (precision >= 0 ? '' : '') + t,
          );
          if (precision >= 0) {
            const neg = body.startsWith('-');
            const digits = neg ? body.slice(1) : body;
            body = (neg ? '-' : '') + digits.padStart(precision, '0');
          }
        } else {
          body = formatValue(
            v instanceof PyFloat ? v : new PyFloat(toFloat(v)!),
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
  const mappingLike = args instanceof PyList || args instanceof PyDict || args instanceof PyBytes;
  if (idx < items.length && !mapping && !mappingLike) {
    throw pyErr(PyTypeError, 'not all arguments converted during string formatting');
  }
  return out;
}

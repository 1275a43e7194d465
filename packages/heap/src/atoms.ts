/**
 * Atoms: the objects that hold no references (None, bool, int, float, str, bytes) and the static
 * immortal instances of them (PEP 683) laid out at fixed addresses when a heap is created.
 */
import { PyIndexError, PyOverflowError, PyTypeError, PyValueError } from './errors.js';
import { Refcounts } from './refcounts.js';
import { measureUtf8, readUtf8, utf8Offset, writeUtf8 } from './utf8.js';

// Local copies of layout.ts constants. V8 does not constant-fold imported bindings (every use is a
// module-cell load plus a TDZ check, which measured 2x slower on the alloc/free path), so hot
// modules keep their own copies; layout.test.ts checks every copy against layout.ts.
const CHAR_BASE = 0x13180; // layout.CHAR_BASE
const CHAR_STRIDE = 0x30; // layout.CHAR_STRIDE
const EMPTY_BYTES_REF = 0x110a0; // layout.EMPTY_BYTES_REF
const EMPTY_STR_REF = 0x11080; // layout.EMPTY_STR_REF
const EMPTY_TUPLE_REF = 0x11060; // layout.EMPTY_TUPLE_REF
const FALSE_REF = 0x11040; // layout.FALSE_REF
const IMMORTAL_REFCNT = -1073741824; // layout.IMMORTAL_REFCNT
const NONE_REF = 0x11000; // layout.NONE_REF
const OFF_BIG_DIGITS = 0x18; // layout.OFF_BIG_DIGITS
const OFF_BIG_NDIGITS = 0x14; // layout.OFF_BIG_NDIGITS
const OFF_BIG_SIGN = 0x10; // layout.OFF_BIG_SIGN
const OFF_STR_BYTES = 0x10; // layout.OFF_STR_BYTES
const OFF_STR_DATA = 0x20; // layout.OFF_STR_DATA
const OFF_STR_FLAGS = 0x1c; // layout.OFF_STR_FLAGS
const OFF_STR_HASH = 0x14; // layout.OFF_STR_HASH
const OFF_STR_LEN = 0x18; // layout.OFF_STR_LEN
const OFF_TUPLE_LEN = 0x10; // layout.OFF_TUPLE_LEN
const OFF_VALUE = 0x10; // layout.OFF_VALUE
const SF_ASCII = 0x2; // layout.SF_ASCII
const SMALL_INT_BASE = 0x110c0; // layout.SMALL_INT_BASE
const SMALL_INT_MAX = 0x100; // layout.SMALL_INT_MAX
const SMALL_INT_MIN = -5; // layout.SMALL_INT_MIN
const SMALL_INT_SHIFT = 0x5; // layout.SMALL_INT_SHIFT
const T_BIGINT = 0x4; // layout.T_BIGINT
const T_BOOL = 0x2; // layout.T_BOOL
const T_BYTES = 0x7; // layout.T_BYTES
const T_FLOAT = 0x5; // layout.T_FLOAT
const T_INT = 0x3; // layout.T_INT
const T_NONE = 0x1; // layout.T_NONE
const T_STR = 0x6; // layout.T_STR
const T_TUPLE = 0x8; // layout.T_TUPLE
const TRUE_REF = 0x11020; // layout.TRUE_REF
const TAGGED_MIN = -1073741824; // layout.TAGGED_MIN
const TAGGED_MAX = 0x3fffffff; // layout.TAGGED_MAX
/** @internal The layout constants this module copies (for layout.test.ts). */
export const LAYOUT_COPIES_ATOMS: Readonly<Record<string, number>> = {
  TAGGED_MIN,
  TAGGED_MAX,
  CHAR_BASE,
  CHAR_STRIDE,
  EMPTY_BYTES_REF,
  EMPTY_STR_REF,
  EMPTY_TUPLE_REF,
  FALSE_REF,
  IMMORTAL_REFCNT,
  NONE_REF,
  OFF_BIG_DIGITS,
  OFF_BIG_NDIGITS,
  OFF_BIG_SIGN,
  OFF_STR_BYTES,
  OFF_STR_DATA,
  OFF_STR_FLAGS,
  OFF_STR_HASH,
  OFF_STR_LEN,
  OFF_TUPLE_LEN,
  OFF_VALUE,
  SF_ASCII,
  SMALL_INT_BASE,
  SMALL_INT_MAX,
  SMALL_INT_MIN,
  SMALL_INT_SHIFT,
  T_BIGINT,
  T_BOOL,
  T_BYTES,
  T_FLOAT,
  T_INT,
  T_NONE,
  T_STR,
  T_TUPLE,
  TRUE_REF,
};

/** Constructors and accessors of the atom types. */
export class Atoms extends Refcounts {
  /** Lay out the immortal objects at their fixed addresses. */
  protected initStatics(): void {
    const i32 = this.i32;
    const f64 = this.f64;
    const header = (ref: number, type: number): void => {
      i32[ref >> 2] = type;
      i32[(ref >> 2) + 1] = IMMORTAL_REFCNT;
      i32[(ref >> 2) + 2] = 0;
      i32[(ref >> 2) + 3] = 0;
    };
    header(NONE_REF, T_NONE);
    header(TRUE_REF, T_BOOL);
    f64[(TRUE_REF + OFF_VALUE) >> 3] = 1;
    header(FALSE_REF, T_BOOL);
    f64[(FALSE_REF + OFF_VALUE) >> 3] = 0;
    header(EMPTY_TUPLE_REF, T_TUPLE);
    i32[(EMPTY_TUPLE_REF + OFF_TUPLE_LEN) >> 2] = 0;
    header(EMPTY_STR_REF, T_STR);
    this.initStrFields(EMPTY_STR_REF, 0, 0, SF_ASCII);
    header(EMPTY_BYTES_REF, T_BYTES);
    this.initStrFields(EMPTY_BYTES_REF, 0, 0, 0);
    for (let v = SMALL_INT_MIN; v <= SMALL_INT_MAX; v++) {
      const ref = SMALL_INT_BASE + ((v - SMALL_INT_MIN) << SMALL_INT_SHIFT);
      header(ref, T_INT);
      f64[(ref + OFF_VALUE) >> 3] = v;
    }
    for (let c = 0; c < 256; c++) {
      const ref = CHAR_BASE + c * CHAR_STRIDE;
      header(ref, T_STR);
      const n = writeUtf8(this.u8, ref + OFF_STR_DATA, String.fromCharCode(c));
      this.initStrFields(ref, n, 1, c < 128 ? SF_ASCII : 0);
    }
  }

  protected initStrFields(ref: number, nbytes: number, length: number, flags: number): void {
    const i32 = this.i32;
    i32[(ref + OFF_STR_BYTES) >> 2] = nbytes;
    i32[(ref + OFF_STR_LEN) >> 2] = length;
    i32[(ref + OFF_STR_FLAGS) >> 2] = flags;
    i32[(ref + OFF_STR_HASH) >> 2] = 0;
  }

  // ================================================================ None, bool

  /** None (immortal). */
  readonly None = NONE_REF;
  /** True (immortal). */
  readonly True = TRUE_REF;
  /** False (immortal). */
  readonly False = FALSE_REF;

  /** True or False. */
  newBool(value: boolean): number {
    return value ? TRUE_REF : FALSE_REF;
  }

  /** Value of a bool (also accepts ints: their truth value is not computed here). */
  boolValue(ref: number): boolean {
    this.expect(ref, T_BOOL, 'boolValue');
    return ref === TRUE_REF;
  }

  // ================================================================ int

  /** New int from an integer-valued number (beyond 2**53 the value is taken as exact). */
  newInt(value: number): number {
    if (this.taggedInts && (value | 0) === value && value >= TAGGED_MIN && value <= TAGGED_MAX) {
      return (value << 1) | 1;
    }
    if (value >= SMALL_INT_MIN && value <= SMALL_INT_MAX && (value | 0) === value) {
      return SMALL_INT_BASE + ((value - SMALL_INT_MIN) << SMALL_INT_SHIFT);
    }
    if (!Number.isSafeInteger(value)) return this.newIntSlow(value);
    const ref = this.allocSmall(1, T_INT | this.ownerBits);
    this.f64[(ref + OFF_VALUE) >> 3] = value;
    return ref;
  }

  private newIntSlow(value: number): number {
    if (!Number.isInteger(value)) {
      throw new PyTypeError(`newInt: ${value} is not an integer (use newFloat for floats)`);
    }
    return this.newBigInt(BigInt(value));
  }

  /** New int from a bigint; stays a plain int when it fits 53 bits. */
  newBigInt(value: bigint): number {
    if (value >= -9007199254740991n && value <= 9007199254740991n) return this.newInt(Number(value));
    const neg = value < 0n;
    let mag = neg ? -value : value;
    const digits: number[] = [];
    while (mag > 0n) {
      digits.push(Number(mag & 0xffffffffn));
      mag >>= 32n;
    }
    const ref = this.alloc(OFF_BIG_DIGITS + 4 * digits.length, T_BIGINT | this.ownerBits);
    const i32 = this.i32;
    i32[(ref + OFF_BIG_SIGN) >> 2] = neg ? -1 : 1;
    i32[(ref + OFF_BIG_NDIGITS) >> 2] = digits.length;
    for (let k = 0; k < digits.length; k++) this.u32[((ref + OFF_BIG_DIGITS) >> 2) + k] = digits[k];
    return ref;
  }

  /** True for int objects (either representation) and bools (Python's bool is an int). */
  isInt(ref: number): boolean {
    if ((ref & 1) !== 0) return true;
    const t = this.u8[ref];
    return t === T_INT || t === T_BIGINT || t === T_BOOL;
  }

  /** Value of an int or bool as a number (exact for T_INT; big ints are rounded). */
  intValue(ref: number): number {
    if (this.checked) this.checkLive(ref, 'intValue');
    if ((ref & 1) !== 0) return ref >> 1;
    const t = this.u8[ref];
    if (t === T_INT || t === T_BOOL) return this.f64[(ref + OFF_VALUE) >> 3];
    if (t === T_BIGINT) return Number(this.bigIntValue(ref));
    throw new PyTypeError(`intValue: expected 'int', got '${this.typeName(ref)}'`);
  }

  /** Value of an int or bool as an exact bigint. */
  bigIntValue(ref: number): bigint {
    if (this.checked) this.checkLive(ref, 'bigIntValue');
    if ((ref & 1) !== 0) return BigInt(ref >> 1);
    const t = this.u8[ref];
    if (t === T_INT || t === T_BOOL) return BigInt(this.f64[(ref + OFF_VALUE) >> 3]);
    if (t !== T_BIGINT) throw new PyTypeError(`bigIntValue: expected 'int', got '${this.typeName(ref)}'`);
    const n = this.i32[(ref + OFF_BIG_NDIGITS) >> 2];
    let v = 0n;
    for (let k = n - 1; k >= 0; k--) v = (v << 32n) | BigInt(this.u32[((ref + OFF_BIG_DIGITS) >> 2) + k]);
    return this.i32[(ref + OFF_BIG_SIGN) >> 2] < 0 ? -v : v;
  }

  // ================================================================ float

  /** New float. */
  newFloat(value: number): number {
    const ref = this.allocSmall(1, T_FLOAT | this.ownerBits);
    this.f64[(ref + OFF_VALUE) >> 3] = value;
    return ref;
  }

  /** Value of a float (ints and bools are converted, as Python's float() would). */
  floatValue(ref: number): number {
    if (this.checked) this.checkLive(ref, 'floatValue');
    if ((ref & 1) !== 0) return ref >> 1;
    const t = this.u8[ref];
    if (t === T_FLOAT || t === T_INT || t === T_BOOL) return this.f64[(ref + OFF_VALUE) >> 3];
    if (t === T_BIGINT) {
      const v = Number(this.bigIntValue(ref));
      if (!Number.isFinite(v)) throw new PyOverflowError('int too large to convert to float');
      return v;
    }
    throw new PyTypeError(`floatValue: expected 'float', got '${this.typeName(ref)}'`);
  }

  // ================================================================ str, bytes

  /** New str from a JS string (stored as UTF-8; lone surrogates survive). */
  newStr(value: string): number {
    const n = value.length;
    if (n === 0) return EMPTY_STR_REF;
    if (n === 1) {
      const c = value.charCodeAt(0);
      if (c < 256) return CHAR_BASE + c * CHAR_STRIDE;
    }
    const { bytes, codePoints } = measureUtf8(value);
    const ref = this.alloc(OFF_STR_DATA + bytes, T_STR | this.ownerBits);
    writeUtf8(this.u8, ref + OFF_STR_DATA, value);
    this.initStrFields(ref, bytes, codePoints, bytes === codePoints ? SF_ASCII : 0);
    return ref;
  }

  /** The str as a JS string. */
  strValue(ref: number): string {
    this.expect(ref, T_STR, 'strValue');
    return readUtf8(this.u8, ref + OFF_STR_DATA, this.i32[(ref + OFF_STR_BYTES) >> 2]);
  }

  /** len() of a str (code points). */
  strLen(ref: number): number {
    this.expect(ref, T_STR, 'strLen');
    return this.i32[(ref + OFF_STR_LEN) >> 2];
  }

  /** s[index] as a new str (index already normalised to 0..len-1). */
  strCharAt(ref: number, index: number): number {
    this.expect(ref, T_STR, 'strCharAt');
    const len = this.i32[(ref + OFF_STR_LEN) >> 2];
    if (!(index >= 0 && index < len)) throw new PyIndexError('string index out of range');
    const data = ref + OFF_STR_DATA;
    const at =
      (this.i32[(ref + OFF_STR_FLAGS) >> 2] & SF_ASCII) !== 0
        ? data + index
        : utf8Offset(this.u8, data, index);
    const b = this.u8[at];
    if (b < 0x80) return CHAR_BASE + b * CHAR_STRIDE;
    const size = b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;
    return this.newStr(readUtf8(this.u8, at, size));
  }

  /** New bytes object (copies the data). */
  newBytes(data: ArrayLike<number>): number {
    const n = data.length;
    if (n === 0) return EMPTY_BYTES_REF;
    const ref = this.alloc(OFF_STR_DATA + n, T_BYTES | this.ownerBits);
    const u8 = this.u8;
    const at = ref + OFF_STR_DATA;
    for (let k = 0; k < n; k++) {
      const b = data[k];
      if (!(b >= 0 && b <= 255 && (b | 0) === b)) {
        this.freeBlock(ref);
        throw new PyValueError('bytes must be in range(0, 256)');
      }
      u8[at + k] = b;
    }
    this.initStrFields(ref, n, n, 0);
    return ref;
  }

  /** len() of a bytes object. */
  bytesLen(ref: number): number {
    this.expect(ref, T_BYTES, 'bytesLen');
    return this.i32[(ref + OFF_STR_BYTES) >> 2];
  }

  /** A copy of the bytes. */
  bytesValue(ref: number): Uint8Array {
    this.expect(ref, T_BYTES, 'bytesValue');
    const at = ref + OFF_STR_DATA;
    return this.u8.slice(at, at + this.i32[(ref + OFF_STR_BYTES) >> 2]);
  }

  /** b[index] (index normalised to 0..len-1). */
  bytesGet(ref: number, index: number): number {
    this.expect(ref, T_BYTES, 'bytesGet');
    if (!(index >= 0 && index < this.i32[(ref + OFF_STR_BYTES) >> 2]))
      throw new PyIndexError('index out of range');
    return this.u8[ref + OFF_STR_DATA + index];
  }
}

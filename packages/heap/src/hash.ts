/**
 * Hash functions. Numbers hash exactly as CPython's (Python/pyhash.c, Objects/longobject.c): an
 * int hashes to itself modulo 2**61 - 1 with its sign, -1 becomes -2, and a float equal to an int
 * hashes like that int, so `1`, `1.0` and `True` are the same dict key and sets of ints iterate in
 * CPython's order. Hashes are JS numbers; values beyond 2**53 may be rounded (still deterministic).
 * str and bytes use FNV-1a over the bytes (CPython randomises those hashes anyway).
 */

const MODULUS = (1n << 61n) - 1n;
const HASH_BITS = 61n;
const INF_HASH = 314159;

/** CPython hash of an integer given as a safe-integer number. */
export function hashSafeInt(v: number): number {
  return v === -1 ? -2 : v;
}

/** CPython hash of an arbitrary-precision integer. */
export function hashBigInt(v: bigint): number {
  const neg = v < 0n;
  let x = (neg ? -v : v) % MODULUS;
  if (neg) x = -x;
  if (x === -1n) x = -2n;
  return Number(x);
}

/** CPython hash of a float (`_Py_HashDouble`). NaN hashes by identity in CPython; here 0. */
export function hashFloat(v: number): number {
  if (Number.isInteger(v)) {
    return Number.isSafeInteger(v) ? hashSafeInt(v) : hashBigInt(BigInt(v));
  }
  if (Number.isNaN(v)) return 0;
  if (v === Number.POSITIVE_INFINITY) return INF_HASH;
  if (v === Number.NEGATIVE_INFINITY) return -INF_HASH;
  // frexp: v = m * 2**e with 0.5 <= |m| < 1.
  let sign = 1n;
  let m = v;
  if (m < 0) {
    sign = -1n;
    m = -m;
  }
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
  let x = 0n;
  let eb = BigInt(e);
  while (m !== 0) {
    x = ((x << 28n) & MODULUS) | (x >> (HASH_BITS - 28n));
    m *= 268435456.0;
    eb -= 28n;
    const y = Math.floor(m);
    m -= y;
    x += BigInt(y);
    if (x >= MODULUS) x -= MODULUS;
  }
  eb = eb >= 0n ? eb % HASH_BITS : HASH_BITS - 1n - ((-1n - eb) % HASH_BITS);
  x = ((x << eb) & MODULUS) | (x >> (HASH_BITS - eb));
  x = x * sign;
  if (x === -1n) x = -2n;
  return Number(x);
}

/** FNV-1a (32-bit) over `len` bytes at `u8[at]`, as a signed int32, never -1. */
export function hashBytes(u8: Uint8Array, at: number, len: number): number {
  let h = 0x811c9dc5 | 0;
  for (let p = at, end = at + len; p < end; p++) {
    h = Math.imul(h ^ u8[p], 0x01000193);
  }
  return h === -1 ? -2 : h;
}

/** Combine item hashes of a tuple (xxHash-style mixing, 32-bit). */
export function hashCombine(acc: number, item: number): number {
  const lane = (item | 0) ^ Math.floor(item / 4294967296);
  let h = (acc + Math.imul(lane, 0x85ebca77)) | 0;
  h = (h << 13) | (h >>> 19);
  return Math.imul(h, 0x9e3779b1);
}

/** Hash of None (a constant, as in CPython 3.12+). */
export const NONE_HASH = 0x4e6f6e65;

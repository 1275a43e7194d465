/**
 * UTF-8 encode/decode straight into and out of the heap's bytes. Hand-written rather than
 * TextEncoder/TextDecoder because those refuse views over a SharedArrayBuffer, and because Python
 * strings may hold lone surrogates: they are stored as 3-byte sequences (WTF-8) and read back
 * unchanged, so str round-trips exactly.
 */

/** Measure a JS string: UTF-8 byte length and Python length (code points). */
export function measureUtf8(s: string): { bytes: number; codePoints: number } {
  let bytes = 0;
  let codePoints = 0;
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    codePoints++;
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return { bytes, codePoints };
}

/** Write `s` as UTF-8 (WTF-8 for lone surrogates) at `u8[at]`; returns bytes written. */
export function writeUtf8(u8: Uint8Array, at: number, s: string): number {
  let p = at;
  const n = s.length;
  for (let i = 0; i < n; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      u8[p++] = c;
    } else if (c < 0x800) {
      u8[p++] = 0xc0 | (c >> 6);
      u8[p++] = 0x80 | (c & 63);
    } else {
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
        const d = s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          i++;
          u8[p++] = 0xf0 | (c >> 18);
          u8[p++] = 0x80 | ((c >> 12) & 63);
          u8[p++] = 0x80 | ((c >> 6) & 63);
          u8[p++] = 0x80 | (c & 63);
          continue;
        }
      }
      u8[p++] = 0xe0 | (c >> 12);
      u8[p++] = 0x80 | ((c >> 6) & 63);
      u8[p++] = 0x80 | (c & 63);
    }
  }
  return p - at;
}

const CHUNK = 4096;

/** Decode `len` bytes of UTF-8 (or WTF-8) at `u8[at]` into a JS string. */
export function readUtf8(u8: Uint8Array, at: number, len: number): string {
  const end = at + len;
  let out = '';
  const units: number[] = [];
  let p = at;
  while (p < end) {
    const b = u8[p++];
    if (b < 0x80) units.push(b);
    else if (b < 0xe0) units.push(((b & 31) << 6) | (u8[p++] & 63));
    else if (b < 0xf0) {
      units.push(((b & 15) << 12) | ((u8[p] & 63) << 6) | (u8[p + 1] & 63));
      p += 2;
    } else {
      const c =
        (((b & 7) << 18) | ((u8[p] & 63) << 12) | ((u8[p + 1] & 63) << 6) | (u8[p + 2] & 63)) - 0x10000;
      p += 3;
      units.push(0xd800 + (c >> 10), 0xdc00 + (c & 1023));
    }
    if (units.length >= CHUNK) {
      out += String.fromCharCode.apply(null, units);
      units.length = 0;
    }
  }
  return units.length > 0 ? out + String.fromCharCode.apply(null, units) : out;
}

/** Byte offset of the code point with index `index` in a UTF-8 run (for non-ASCII indexing). */
export function utf8Offset(u8: Uint8Array, at: number, index: number): number {
  let p = at;
  for (let k = 0; k < index; k++) {
    const b = u8[p];
    p += b < 0x80 ? 1 : b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;
  }
  return p;
}

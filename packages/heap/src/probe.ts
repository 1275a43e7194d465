/**
 * CPython's open-addressing probe sequence, shared by dict and set tables:
 * `perturb >>= 5; i = (i * 5 + 1 + perturb) & mask`, with `perturb` starting as the hash read as a
 * 64-bit unsigned integer. Hashes are JS numbers (exact integers up to 2**53), so the unsigned
 * 64-bit perturb is tracked as `floor(hash / 32**k)` plus, for negative hashes, the `2**(64-5k)` term
 * of the two's complement; only its low 32 bits matter under `& mask`. This reproduces CPython's
 * slot order, hence set iteration order, for int keys.
 */

/** Probe state: reset with `probeStart`, advance with `probeNext`. Module-level to avoid allocation. */
let low = 0; // floor(hash / 32**k)
let exp = 64; // 64 - 5k, the exponent of the two's complement term for negative hashes
let negative = false;

/** First slot for `hash` in a table of `mask + 1` slots; resets the perturb state. */
export function probeStart(hash: number, mask: number): number {
  low = hash;
  exp = 64;
  negative = hash < 0;
  return hash & mask;
}

/** Next slot after `i` (CPython: shift perturb, then `i*5 + 1 + perturb`). */
export function probeNext(i: number, mask: number): number {
  low = Math.floor(low / 32);
  exp -= 5;
  let p: number;
  if (!negative) p = low | 0;
  else if (exp <= 0) p = 0;
  else if (exp >= 32) p = low | 0;
  else p = (low + 2 ** exp) | 0;
  return (i * 5 + 1 + p) & mask;
}

/**
 * Task functions for the benchmarks (built to dist/bench/tasks.js, loaded by the workers).
 */

/** The tiny task of the throughput rows: x*x. */
export function square(x: number): number {
  return x * x;
}

/** CPU-bound work: counts the primes below `limit` by trial division (no allocation, no I/O). */
export function countPrimes(limit: number): number {
  let count = 0;
  for (let n = 2; n < limit; n++) {
    let prime = true;
    for (let d = 2; d * d <= n; d++) {
      if (n % d === 0) {
        prime = false;
        break;
      }
    }
    if (prime) count++;
  }
  return count;
}

/** Task functions the pool suite sends to @gilkit/pool workers (the same work as python/pool.py). */

/** The tiny task: x*x. */
export function square(x: number): number {
  return x * x;
}

/** CPU-bound task: count down from n, summing n % 7 on the way (python/pool.py's `burn`). */
export function burn(n: number): number {
  let s = 0;
  while (n > 0) {
    s += n % 7;
    n -= 1;
  }
  return s;
}

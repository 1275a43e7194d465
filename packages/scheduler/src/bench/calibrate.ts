/**
 * Re-measures the cost model's reference number with CPython, when `python3` is installed: ns per
 * iteration of `while n > 0: n -= 1` (the cost model assumes 17 ns for CPython 3.11 on the
 * reference machine; see src/sim/cost-model.ts).
 */
import { execFileSync } from 'node:child_process';

export function measureCpythonCountdownNs(
  iterations = 10_000_000,
): { nsPerIteration: number; version: string } | null {
  const script = `import sys, time
def countdown(n):
    while n > 0:
        n -= 1
best = min((lambda t: (countdown(${iterations}), time.perf_counter() - t)[1])(time.perf_counter()) for _ in range(3))
print(best / ${iterations} * 1e9, sys.version.split()[0])`;
  try {
    const out = execFileSync('python3', ['-c', script], { encoding: 'utf8', timeout: 120_000 })
      .trim()
      .split(' ');
    return { nsPerIteration: Number(out[0]), version: out[1] };
  } catch {
    return null;
  }
}

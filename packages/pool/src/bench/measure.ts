/**
 * The pool's benchmarks as functions (reused by @gilkit/bench). All numbers come from one run on
 * this machine; the report gives ratios against a baseline measured in the same run.
 */
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { Pool } from '../pool.js';
import type { ThroughputRow } from './python.js';

const tasksModule = new URL('./tasks.js', import.meta.url);
const square = { module: tasksModule, name: 'square' } as const;
const countPrimes = { module: tasksModule, name: 'countPrimes' } as const;

/** Best (shortest) of `repeats` runs of `fn`, in ms. */
async function bestMs(repeats: number, fn: () => Promise<unknown>): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    await fn();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

/** Tasks per second of each throughput row that was measured. */
export type PoolThroughput = Partial<Record<ThroughputRow, number>>;

/** x*x over `items` items with each method in `rows` (default all), on a warm pool of `processes` workers. */
export async function measurePoolThroughput(options: {
  items: number;
  processes: number;
  repeats: number;
  rows?: readonly ThroughputRow[];
}): Promise<PoolThroughput> {
  const { items, processes, repeats } = options;
  const rows = options.rows ?? ['mapChunk1', 'mapDefault', 'imapUnordered', 'applyAsync'];
  const xs = Array.from({ length: items }, (_, i) => i);
  await using pool = new Pool({ processes });
  await pool.map(square, xs.slice(0, 1000), { chunksize: 1 });
  const runs: Record<ThroughputRow, [() => Promise<unknown>, number]> = {
    mapChunk1: [() => pool.map(square, xs, { chunksize: 1 }), repeats],
    mapDefault: [() => pool.map(square, xs), repeats * 3],
    imapUnordered: [
      async () => {
        for await (const _ of pool.imapUnordered(square, xs)) {
          // drain
        }
      },
      repeats,
    ],
    applyAsync: [() => Promise.all(xs.map((x) => pool.applyAsync(square, [x])).map((r) => r.get())), repeats],
  };
  const out: Partial<Record<ThroughputRow, number>> = {};
  for (const row of rows) {
    const [fn, times] = runs[row];
    out[row] = items / ((await bestMs(times, fn)) / 1000);
  }
  return out;
}

/** The MiniPy prime counter used by `measurePyCpuScaling` (pure Python, also valid CPython). */
export const PY_COUNT_PRIMES = `
def count_primes(limit):
    count = 0
    for n in range(2, limit):
        d = 2
        prime = True
        while d * d <= n:
            if n % d == 0:
                prime = False
                break
            d += 1
        if prime:
            count += 1
    return count
`;

/**
 * The engine alone: `items` piscina `run` calls of x*x, one task per item, with piscina's default
 * options except the thread count. The baseline that batching has to beat.
 */
export async function measureRawPiscina(options: { items: number; processes: number }): Promise<number> {
  const piscina = new Piscina({
    filename: fileURLToPath(tasksModule),
    name: 'square',
    minThreads: options.processes,
    maxThreads: options.processes,
  });
  try {
    await Promise.all(Array.from({ length: 100 }, (_, i) => piscina.run(i)));
    const t0 = performance.now();
    await Promise.all(Array.from({ length: options.items }, (_, i) => piscina.run(i)));
    return options.items / ((performance.now() - t0) / 1000);
  } finally {
    await piscina.destroy();
  }
}

/** The same CPU-bound map on 1 worker and on `processes` workers. */
export interface CpuScaling {
  readonly processes: number;
  readonly oneWorkerMs: number;
  readonly manyWorkersMs: number;
  /** oneWorkerMs / manyWorkersMs. */
  readonly speedup: number;
}

/**
 * `countPrimes(limit)` for `tasks` tasks with `map` (default chunksize), on Pool(1) and on
 * Pool(processes); best of `repeats` alternating runs each, after one warm-up run of the same map.
 */
export async function measureCpuScaling(options: {
  processes: number;
  tasks: number;
  limit: number;
  repeats: number;
  /** `'js'`: the JS countPrimes; `'minipy'`: the same algorithm in MiniPy, on each worker's interpreter and GIL. */
  language?: 'js' | 'minipy';
}): Promise<CpuScaling> {
  const inputs = Array.from({ length: options.tasks }, () => options.limit);
  const task =
    options.language === 'minipy' ? { source: PY_COUNT_PRIMES, name: 'count_primes' } : countPrimes;
  // Both pools stay up and their runs alternate, so a change in machine load hits both alike.
  await using one = new Pool({ processes: 1 });
  await using many = new Pool({ processes: options.processes });
  // Warm up with the whole workload: each worker is its own isolate and JIT-compiles the task
  // (and, for MiniPy, the vm's eval loop) separately, so more workers have more warm-up to do.
  await one.map(task, inputs);
  await many.map(task, inputs);
  let oneWorkerMs = Number.POSITIVE_INFINITY;
  let manyWorkersMs = Number.POSITIVE_INFINITY;
  for (let i = 0; i < options.repeats; i++) {
    oneWorkerMs = Math.min(oneWorkerMs, await bestMs(1, () => one.map(task, inputs)));
    manyWorkersMs = Math.min(manyWorkersMs, await bestMs(1, () => many.map(task, inputs)));
  }
  return { processes: options.processes, oneWorkerMs, manyWorkersMs, speedup: oneWorkerMs / manyWorkersMs };
}

export { measurePythonThroughput, type PythonThroughput, type ThroughputRow } from './python.js';

/**
 * CPython's `multiprocessing.Pool` measured in the same run: the script is passed to `python3 -c`.
 */
import { spawnSync } from 'node:child_process';

/** The tiny-task throughput rows, named as in `PoolThroughput`. */
export type ThroughputRow = 'mapChunk1' | 'mapDefault' | 'imapUnordered' | 'applyAsync';

/** Tasks per second for the rows that were measured, and the Python version. */
export type PythonThroughput = { readonly version: string } & Partial<Record<ThroughputRow, number>>;

const SCRIPT = `
import json, sys, time
from multiprocessing import Pool

def square(x):
    return x * x

def best(fn, repeats):
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)

def drain(it):
    for _ in it:
        pass

if __name__ == '__main__':
    n, processes, repeats = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    rows = sys.argv[4].split(',')
    xs = list(range(n))
    runs = {
        'mapChunk1': (lambda: pool.map(square, xs, chunksize=1), repeats),
        'mapDefault': (lambda: pool.map(square, xs), repeats * 3),
        'imapUnordered': (lambda: drain(pool.imap_unordered(square, xs)), repeats),
        'applyAsync': (lambda: [r.get() for r in [pool.apply_async(square, (x,)) for x in xs]], repeats),
    }
    out = {'version': sys.version.split()[0]}
    with Pool(processes) as pool:
        pool.map(square, range(1000))
        for row in rows:
            fn, times = runs[row]
            out[row] = n / best(fn, times)
    print(json.dumps(out))
`;

/** Runs the script for `rows` (default: all four); `null` if python3 is missing or fails. */
export function measurePythonThroughput(options: {
  items: number;
  processes: number;
  repeats: number;
  rows?: readonly ThroughputRow[];
}): PythonThroughput | null {
  const rows = options.rows ?? ['mapChunk1', 'mapDefault', 'imapUnordered', 'applyAsync'];
  const run = spawnSync(
    'python3',
    ['-c', SCRIPT, String(options.items), String(options.processes), String(options.repeats), rows.join(',')],
    {
      encoding: 'utf8',
      timeout: 300_000,
    },
  );
  if (run.error !== undefined || run.status !== 0) return null;
  try {
    return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as PythonThroughput;
  } catch {
    return null;
  }
}

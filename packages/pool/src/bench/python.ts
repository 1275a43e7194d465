/**
 * CPython's `multiprocessing.Pool` measured in the same run: the script is passed to `python3 -c`.
 */
import { spawnSync } from 'node:child_process';

/** Tasks per second for each throughput row, or `null` when python3 is not available. */
export interface PythonThroughput {
  readonly version: string;
  readonly mapChunk1: number;
  readonly mapDefault: number;
  readonly imapUnordered: number;
  readonly applyAsync: number;
}

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
    xs = list(range(n))
    with Pool(processes) as pool:
        pool.map(square, range(1000))
        out = {
            'version': sys.version.split()[0],
            'mapChunk1': n / best(lambda: pool.map(square, xs, chunksize=1), repeats),
            'mapDefault': n / best(lambda: pool.map(square, xs), repeats * 3),
            'imapUnordered': n / best(lambda: drain(pool.imap_unordered(square, xs)), repeats),
            'applyAsync': n / best(lambda: [r.get() for r in [pool.apply_async(square, (x,)) for x in xs]], repeats),
        }
    print(json.dumps(out))
`;

/** Runs the script; `null` if python3 is missing or fails. */
export function measurePythonThroughput(options: {
  items: number;
  processes: number;
  repeats: number;
}): PythonThroughput | null {
  const run = spawnSync(
    'python3',
    ['-c', SCRIPT, String(options.items), String(options.processes), String(options.repeats)],
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

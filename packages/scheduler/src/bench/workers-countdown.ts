/**
 * WorkerRuntime on real threads: wall time of a countdown split over 2 threads vs the same work in
 * one thread, per policy (cpython: about 1x, no speed-up; free-threaded: parallel, up to 0.5x on
 * an idle 2-core machine). Includes worker start-up; medians of alternating rounds.
 */
import { WorkerRuntime } from '../workers/runtime.js';

const program = (threads: number, n: number) => `import threading
def countdown(n):
    while n > 0:
        n -= 1
ts = [threading.Thread(target=countdown, args=(${Math.floor(n / threads)},)) for _ in range(${threads})]
for t in ts:
    t.start()
for t in ts:
    t.join()
`;

export interface WorkerCountdown {
  policy: 'cpython' | 'free-threaded';
  oneThreadMs: number;
  twoThreadsMs: number;
  ratio: number;
}

export async function measureWorkerCountdown(
  policy: 'cpython' | 'free-threaded',
  options: { iterations?: number; rounds?: number } = {},
): Promise<WorkerCountdown> {
  const n = options.iterations ?? 4_000_000;
  const rounds = options.rounds ?? 3;
  const time = async (threads: number) => {
    const t0 = performance.now();
    await new WorkerRuntime({ policy }).run(program(threads, n));
    return performance.now() - t0;
  };
  const one: number[] = [];
  const two: number[] = [];
  for (let r = 0; r < rounds; r++) {
    if (r % 2 === 0) {
      one.push(await time(1));
      two.push(await time(2));
    } else {
      two.push(await time(2));
      one.push(await time(1));
    }
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  return { policy, oneThreadMs: med(one), twoThreadsMs: med(two), ratio: med(two) / med(one) };
}

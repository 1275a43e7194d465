/**
 * WorkerRuntime on real threads: a countdown split over 2 threads vs the same work in one thread,
 * per policy (cpython: about 1x, no speed-up; free-threaded: parallel, down to 0.5x on an idle
 * 2-core machine). Both programs start their threads the same way (the 1-thread run starts one
 * worker), so start-up is in both; the program also times itself (`perf_counter` around
 * start/join: thread start-up included, the main worker's excluded), and the start-up of a run
 * whose threads do nothing is reported on its own. Medians of alternating rounds; CPU time is the
 * whole process's (all workers), so cpu/wall above 1 means threads really ran at once. Workers are
 * kept between runs (WorkerRuntime's default), and unmeasured rounds come first: each worker is its
 * own JS engine that compiles the eval loop for itself, which takes a few runs to settle.
 */
import { WorkerRuntime } from '../workers/runtime.js';

const program = (threads: number, n: number) => `import threading, time
def countdown(n):
    while n > 0:
        n -= 1
t0 = time.perf_counter()
ts = [threading.Thread(target=countdown, args=(${Math.floor(n / threads)},)) for _ in range(${threads})]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(time.perf_counter() - t0)
`;

/** One measurement: wall (whole run), in-program time and process CPU time, milliseconds. */
export interface CountdownRun {
  wallMs: number;
  programMs: number;
  cpuMs: number;
}

export interface WorkerCountdown {
  policy: 'cpython' | 'free-threaded';
  iterations: number;
  one: CountdownRun;
  two: CountdownRun;
  /** Median wall of a run that starts 2 threads which return at once. */
  startupMs: number;
  /** two.wallMs / one.wallMs */
  ratio: number;
  /** two.programMs / one.programMs */
  programRatio: number;
}

async function timeRun(policy: 'cpython' | 'free-threaded', source: string): Promise<CountdownRun> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await new WorkerRuntime({ policy, timeoutMs: 600_000 }).run(source);
  const wallMs = performance.now() - t0;
  const c = process.cpuUsage(c0);
  if (r.exception) throw new Error(`countdown failed: ${r.exception.type}: ${r.exception.message}`);
  return { wallMs, programMs: Number(r.output.trim()) * 1000, cpuMs: (c.user + c.system) / 1000 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const medianRun = (xs: CountdownRun[]): CountdownRun => ({
  wallMs: median(xs.map((x) => x.wallMs)),
  programMs: median(xs.map((x) => x.programMs)),
  cpuMs: median(xs.map((x) => x.cpuMs)),
});

export async function measureWorkerCountdown(
  policy: 'cpython' | 'free-threaded',
  options: { iterations?: number; rounds?: number; warmupRounds?: number } = {},
): Promise<WorkerCountdown> {
  const n = options.iterations ?? 20_000_000;
  const rounds = options.rounds ?? 5;
  for (let r = 0; r < (options.warmupRounds ?? 3); r++) {
    await timeRun(policy, program(1, n));
    await timeRun(policy, program(2, n));
  }
  const one: CountdownRun[] = [];
  const two: CountdownRun[] = [];
  const startup: number[] = [];
  for (let r = 0; r < rounds; r++) {
    if (r % 2 === 0) {
      one.push(await timeRun(policy, program(1, n)));
      two.push(await timeRun(policy, program(2, n)));
    } else {
      two.push(await timeRun(policy, program(2, n)));
      one.push(await timeRun(policy, program(1, n)));
    }
    startup.push((await timeRun(policy, program(2, 0))).wallMs);
  }
  const o = medianRun(one);
  const t = medianRun(two);
  return {
    policy,
    iterations: n,
    one: o,
    two: t,
    startupMs: median(startup),
    ratio: t.wallMs / o.wallMs,
    programRatio: t.programMs / o.programMs,
  };
}

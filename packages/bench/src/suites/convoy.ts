import { program } from '../programs.js';
import type { Cell, Chart } from '../report.js';
import { defineSuite } from '../suite.js';
import { medianOf, runOnCPython, runOnGilkit } from './runtimes.js';

const INTERVALS_MS = [5, 1, 0.1] as const;
const CPU_THREADS = [0, 1, 2] as const;
/** Unmeasured runs on real workers before each row's measured one. */
const WARMUP_RUNS = 1;

export const convoySuite = defineSuite({
  name: 'convoy',
  title: 'The convoy effect: I/O latency next to CPU-bound threads, across switch intervals',
  description:
    'An I/O-bound thread makes short blocking calls (200 us sleeps, which release the GIL like I/O) while 0, 1 or 2 CPU-bound threads spin; each time a call returns the thread must retake the GIL. Reported: the median extra delay per call in microseconds (real threads and CPython: the median of 3 runs of 50 calls). programs/convoy.py runs unchanged in the simulator, on real workers and in python3. Real threads run on kept workers, after one unmeasured pass over every case and one unmeasured run right before each row.',
  async run(ctx) {
    const rounds = ctx.quick ? 10 : 50;
    // Real and CPython: the median of 3 runs per row (a run is 50 calls; the simulator is exact).
    const reps = ctx.quick ? 1 : 3;
    const rows: Cell[][] = [];
    const data: Chart['data'] = [];
    const cases: { cpu: number; interval: number; source: string }[] = [];
    for (const cpu of CPU_THREADS) {
      for (const interval of INTERVALS_MS) {
        if (cpu === 0 && interval !== 5) continue; // no contention: the interval does not matter
        const source = program('convoy', { ROUNDS: rounds, CPU_THREADS: cpu, INTERVAL: interval / 1000 });
        cases.push({ cpu, interval, source });
      }
    }
    // Unmeasured runs first (every case once, then each again right before it is measured): while
    // V8 still optimises the workers' eval loops on background threads, a spinner can be starved of
    // a core on this 2-core machine and miss the GIL during a 200 us call, so a cold row reads like
    // the idle one (~100 us). Runs on warm workers do not show it.
    if (!ctx.quick) {
      ctx.progress.step('warming the workers');
      for (const c of cases)
        await runOnGilkit(c.source, 'workers', { policy: 'cpython', switchIntervalMs: c.interval });
    }
    for (const { cpu, interval, source } of cases) {
      ctx.progress.step(`${cpu} CPU thread(s), interval ${interval} ms`);
      const run = { policy: 'cpython', switchIntervalMs: interval } as const;
      for (let i = 0; i < (ctx.quick ? 0 : WARMUP_RUNS); i++) await runOnGilkit(source, 'workers', run);
      const realRuns: (number | null)[] = [];
      const pyRuns: (number | null)[] = [];
      for (let i = 0; i < reps; i++) {
        realRuns.push(await runOnGilkit(source, 'workers', run));
        pyRuns.push(runOnCPython(source, ctx.python));
      }
      const real = medianOf(realRuns);
      const py = medianOf(pyRuns);
      const sim = await runOnGilkit(source, 'sim', { policy: 'cpython', switchIntervalMs: interval });
      rows.push([
        cpu === 0 ? 'idle (no CPU thread)' : `${cpu} CPU thread${cpu > 1 ? 's' : ''}, ${interval} ms`,
        real,
        sim,
        py,
      ]);
      if (cpu > 0) {
        for (const [series, value] of [
          [`gilkit real, ${cpu} CPU`, real],
          [`gilkit simulated, ${cpu} CPU`, sim],
          [`CPython, ${cpu} CPU`, py],
        ] as const) {
          if (value !== null) data.push({ interval, series, latency: Math.max(value, 1) });
        }
      }
    }
    return {
      tables: [
        {
          title: 'Median extra delay of a 200 us blocking call (us)',
          columns: ['case', 'gilkit real', 'gilkit simulated', 'CPython'],
          rows,
          note: 'With the new GIL a thread returning from I/O waits for the CPU-bound holder to be asked to drop: up to one switch interval per call (bpo-7946). Reference sheet, CPython here: 63 us idle; 1518, 317, 69 us next to one CPU thread at 5, 1, 0.1 ms (socket echo).',
        },
      ],
      charts: [
        {
          id: 'convoy-latency',
          kind: 'line',
          title: 'I/O call delay next to CPU-bound threads vs switch interval',
          x: 'interval',
          y: 'latency',
          series: 'series',
          xLabel: 'switch interval (ms)',
          yLabel: 'median extra delay (us)',
          logX: true,
          logY: true,
          data,
        },
      ],
    };
  },
});

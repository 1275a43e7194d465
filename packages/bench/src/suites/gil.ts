import { program } from '../programs.js';
import type { Cell, Chart } from '../report.js';
import { defineSuite } from '../suite.js';
import { medianOf, runOnCPython, runOnGilkit } from './runtimes.js';

const POLICIES = ['cpython', 'legacy', 'fifo', 'free-threaded'] as const;
const THREADS = [1, 2, 4] as const;
/** Unmeasured passes over every case on real workers, before anything is measured. */
const WARMUP_PASSES = 2;
/** Unmeasured runs on real workers right before each row's measured ones. */
const WARMUP_RUNS = 2;

export const gilSuite = defineSuite({
  name: 'gil',
  title: 'Countdown in 1, 2 and 4 threads per policy: real, simulated, CPython',
  description:
    "Beazley's experiment: the same number of decrements split over k threads, as time relative to doing it in one thread (1.0 = no speedup, 0.5 = twice as fast on 2 cores). gilkit real = MiniPy on worker threads under a real GIL; gilkit simulated = SimRuntime on 2 virtual cores (virtual clock); CPython = python3 threading on this machine (cpython policy only: CPython 3.11 has no other). The program is programs/threads_countdown.py, run unchanged by all three; its clock starts once every thread is running (thread start-up is not timed). Real threads run on kept workers (WorkerRuntime's default), after 2 unmeasured passes over every case and 2 unmeasured runs right before each row (the median of 7 runs is reported): each worker is its own JS engine that compiles the eval loop for itself, which CPython's threads, sharing one compiled interpreter, never pay.",
  async run(ctx) {
    // The program starts its clock once every thread runs (worker start-up is not timed).
    const n = ctx.quick ? 200_000 : 10_000_000;
    const reps = ctx.quick ? 1 : 7;
    const rows: Cell[][] = [];
    const data: Chart['data'] = [];
    const times = new Map<string, number | null>();
    const key = (who: string, policy: string, k: number) => `${who}/${policy}/${k}`;

    // Unmeasured runs first, on real workers: every case WARMUP_PASSES times, then each row again
    // right before it is measured. They warm the kept workers: each is its own JS engine that
    // compiles the eval loop, and every policy and thread count takes it down new paths (V8
    // recompiles after each deopt, 30-140 ms on a background thread of this 2-core machine).
    if (!ctx.quick) {
      ctx.progress.step('warming the workers');
      for (let pass = 0; pass < WARMUP_PASSES; pass++)
        for (const policy of POLICIES)
          for (const k of THREADS)
            await runOnGilkit(program('threads_countdown', { N: n, THREADS: k }), 'workers', { policy });
    }
    for (const policy of POLICIES) {
      for (const k of THREADS) {
        ctx.progress.step(`${policy}, ${k} thread${k > 1 ? 's' : ''}`);
        const source = program('threads_countdown', { N: n, THREADS: k });
        times.set(key('sim', policy, k), await runOnGilkit(source, 'sim', { policy }));
        for (let i = 0; i < (ctx.quick ? 0 : WARMUP_RUNS); i++)
          await runOnGilkit(source, 'workers', { policy });
        const real: (number | null)[] = [];
        for (let i = 0; i < reps; i++) real.push(await runOnGilkit(source, 'workers', { policy }));
        times.set(key('workers', policy, k), medianOf(real));
        if (policy === 'cpython') {
          const py: (number | null)[] = [];
          for (let i = 0; i < reps; i++) py.push(runOnCPython(source, ctx.python));
          times.set(key('cpython', policy, k), medianOf(py));
        }
      }
    }
    const relative = (who: string, policy: string, k: number): number | null => {
      const t = times.get(key(who, policy, k));
      const t1 = times.get(key(who, policy, 1));
      return t === null || t === undefined || !t1 ? null : t / t1;
    };
    for (const policy of POLICIES) {
      for (const k of THREADS) {
        const real = relative('workers', policy, k);
        const sim = relative('sim', policy, k);
        const py = policy === 'cpython' ? relative('cpython', policy, k) : null;
        rows.push([
          `${policy}, ${k} thread${k > 1 ? 's' : ''}`,
          real,
          sim,
          py,
          times.get(key('workers', policy, k)) ?? null,
        ]);
        if (k > 1) {
          const label = `${policy} x${k}`;
          if (real !== null) data.push({ case: label, runtime: 'gilkit real', relative: real });
          if (sim !== null) data.push({ case: label, runtime: 'gilkit simulated', relative: sim });
          if (py !== null) data.push({ case: label, runtime: 'CPython', relative: py });
        }
      }
    }
    return {
      tables: [
        {
          title: `Countdown of ${n.toLocaleString('en-US')} split over k threads: time relative to 1 thread`,
          columns: ['policy, threads', 'gilkit real', 'gilkit simulated', 'CPython', 'gilkit real seconds'],
          rows,
          note: 'CPython on this machine (reference sheet): 1.03x with 2 threads, 1.02x with 4; Beazley measured 1.8x for Python 2 (legacy) on 2 cores. free-threaded has no GIL: on 2 cores the ideal is 0.5.',
        },
      ],
      charts: [
        {
          id: 'gil-countdown',
          kind: 'bar',
          title: 'Countdown time with k threads relative to 1 thread (lower is faster)',
          x: 'case',
          y: 'relative',
          series: 'runtime',
          yLabel: 'time relative to 1 thread',
          data,
        },
      ],
    };
  },
});

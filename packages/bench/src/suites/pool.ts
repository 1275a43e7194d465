import { Pool } from '@gilkit/pool';
import { defineBenchmark, measure } from '../harness.js';
import { runPython } from '../python.js';
import type { Cell } from '../report.js';
import { defineSuite } from '../suite.js';

const tasks = new URL('../tasks/pool-tasks.js', import.meta.url);
const square = { module: tasks, name: 'square' };
const burn = { module: tasks, name: 'burn' };

interface PythonPool {
  tasksPerSecond: Record<string, number>;
  cpuSeconds: Record<string, number>;
}

export const poolSuite = defineSuite({
  name: 'pool',
  title: 'Process pool: CPU-bound speedup and tiny-task throughput against multiprocessing.Pool',
  description:
    "@gilkit/pool workers each own a heap and a GIL, like processes, so CPU-bound work runs in parallel. The speedup of 2 workers over 1 is measured pair by pair in the same run; tiny-task throughput (x*x) per API is set next to CPython's multiprocessing.Pool(2) measured by python/pool.py on the same machine.",
  async run(ctx) {
    const o = { ...ctx.measureOptions, warmup: 1 };
    const items = ctx.quick ? 20_000 : 100_000;
    const cpuItems = 8;
    const cpuN = ctx.quick ? 20_000_000 : 60_000_000;
    // CPython counts ~50x slower than V8: give it fewer iterations; the speedup is a ratio anyway.
    const pyCpuN = ctx.quick ? 500_000 : 2_000_000;

    ctx.progress.step('CPU-bound map, 2 workers vs 1');
    const one = new Pool({ processes: 1 });
    const two = new Pool({ processes: 2 });
    const cpuInputs = Array.from({ length: cpuItems }, () => cpuN);
    let speed: Awaited<ReturnType<typeof measure>>;
    const rates: [string, number][] = [];
    try {
      await Promise.all([one.map(square, [1, 2]), two.map(square, [1, 2, 3, 4])]);
      speed = await measure(
        defineBenchmark({
          name: 'map(burn) on Pool(2)',
          baseline: defineBenchmark({
            name: 'map(burn) on Pool(1)',
            run: async () => void (await one.map(burn, cpuInputs, { chunksize: 1 })),
          }),
          run: async () => void (await two.map(burn, cpuInputs, { chunksize: 1 })),
        }),
        o,
      );

      ctx.progress.step('tiny-task throughput per API');
      const xs = Array.from({ length: items }, (_, i) => i);
      const apis: [string, () => Promise<unknown>][] = [
        ['map chunksize=1', () => two.map(square, xs, { chunksize: 1 })],
        ['map default chunksize', () => two.map(square, xs)],
        [
          'imap_unordered',
          async () => {
            for await (const _ of two.imapUnordered(square, xs)) {
              // drain
            }
          },
        ],
        ['apply_async', () => Promise.all(xs.map((x) => two.applyAsync(square, [x]).get()))],
      ];
      for (const [name, fn] of apis) {
        const r = await measure(defineBenchmark({ name, ops: items, run: async () => void (await fn()) }), {
          ...o,
          minSamples: ctx.quick ? 2 : 5,
          maxSamples: ctx.quick ? 3 : 15,
        });
        rates.push([name, 1e9 / r.subject.summary.median]);
      }
    } finally {
      await Promise.all([one.terminate(), two.terminate()]);
    }

    ctx.progress.step('CPython multiprocessing.Pool(2)');
    const py = ctx.python
      ? runPython<PythonPool>('pool.py', [String(items), String(cpuItems), String(pyCpuN)])
      : null;
    const pySpeedup = py ? py.cpuSeconds['1'] / py.cpuSeconds['2'] : null;
    const rateRows: Cell[][] = rates.map(([name, rate]) => {
      const pyRate = py?.tasksPerSecond[name] ?? null;
      return [
        name,
        Math.round(rate),
        pyRate === null ? null : Math.round(pyRate),
        pyRate === null ? null : rate / pyRate,
      ];
    });
    const speedup = 1 / speed.ratio!.median;
    return {
      tables: [
        {
          title: `CPU-bound map: ${cpuItems} tasks of ${cpuN.toLocaleString('en-US')} iterations`,
          columns: ['pool', '1 worker (ms)', '2 workers (ms)', 'speedup', 'CPython speedup'],
          rows: [
            [
              '@gilkit/pool',
              speed.baseline!.summary.median / 1e6,
              speed.subject.summary.median / 1e6,
              speedup,
              pySpeedup,
            ],
          ],
          note: 'Speedup is the median of pair-by-pair ratios (1 worker / 2 workers). Target (issue 7): >= 1.8x on this 2-core machine; 2.0 is the limit.',
        },
        {
          title: `Tiny-task throughput, x*x over ${items.toLocaleString('en-US')} items, 2 workers`,
          columns: ['API', 'gilkit tasks/s', 'CPython tasks/s', 'gilkit / CPython'],
          rows: rateRows,
          note: 'CPython: multiprocessing.Pool(2) running the same x*x (python/pool.py). Acceptance (issue 7): at least CPython on each row; target 2x.',
        },
      ],
      charts: [
        {
          id: 'pool-throughput',
          kind: 'bar',
          title: 'Tiny-task throughput relative to CPython multiprocessing.Pool(2)',
          x: 'API',
          y: 'ratio',
          yLabel: 'gilkit / CPython (higher is better)',
          data: rateRows
            .filter((r) => r[3] !== null)
            .map((r) => ({ API: r[0] as string, ratio: r[3] as number })),
        },
      ],
    };
  },
});

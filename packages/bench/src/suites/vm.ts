import { runSource } from '@gilkit/vm';
import { type BenchmarkResult, defineBenchmark, measure } from '../harness.js';
import { program, timePythonSource } from '../programs.js';
import type { Cell } from '../report.js';
import { defineSuite } from '../suite.js';

/** MiniPy running `source`, paired with python3 running the same source (when present). */
async function versusCPython(
  name: string,
  source: string,
  python: boolean,
  o: Parameters<typeof measure>[1],
): Promise<BenchmarkResult> {
  const minipy = defineBenchmark({
    name,
    run: async () => {
      const r = await runSource(source);
      if (r.exception) throw new Error(`${name}: ${r.exception.type}: ${r.exception.message}`);
    },
  });
  if (!python) return measure(minipy, o);
  return measure(
    {
      ...minipy,
      baseline: defineBenchmark({
        name: 'python3',
        // Timed inside python3 (process start-up and compile excluded), like MiniPy's run.
        run: () => timePythonSource(source, 1)![0] * 1e9,
      }),
    },
    o,
  );
}

export const vmSuite = defineSuite({
  name: 'vm',
  title: 'MiniPy eval loop against CPython on the same source',
  description:
    'The same Python source run by MiniPy (@gilkit/vm: compile to bytecode, eval loop) and by python3 on this machine, pair by pair. Ratio = MiniPy time / CPython time; acceptance (issue 5) <= 2x, target 1x.',
  async run(ctx) {
    const o = { ...ctx.measureOptions, warmup: 1, budgetMs: ctx.quick ? 100 : 3000 };
    const n = ctx.quick ? 1_000_000 : 10_000_000;
    const f = ctx.quick ? 20 : 25;
    ctx.progress.step(`countdown(${n})`);
    const countdown = await versusCPython(
      `countdown(${n.toLocaleString('en-US')})`,
      program('countdown', { N: n }),
      ctx.python,
      o,
    );
    ctx.progress.step(`fib(${f})`);
    const fib = await versusCPython(`fib(${f})`, program('fib', { N: f }), ctx.python, o);
    const row = (r: BenchmarkResult): Cell[] => [
      r.name,
      r.subject.summary.median / 1e6,
      r.baseline ? r.baseline.summary.median / 1e6 : null,
      r.ratio?.median ?? null,
      r.ratio?.iqr ?? null,
    ];
    return {
      tables: [
        {
          title: 'MiniPy vs CPython, same source',
          columns: ['program', 'MiniPy ms', 'CPython ms', 'MiniPy / CPython', 'ratio IQR'],
          rows: [row(countdown), row(fib)],
          note: 'Both sides exclude process start-up; MiniPy includes compiling the (tiny) source.',
        },
      ],
      charts: [
        {
          id: 'vm-vs-cpython',
          kind: 'bar',
          title: 'MiniPy time relative to CPython (lower is better)',
          x: 'program',
          y: 'ratio',
          yLabel: 'MiniPy / CPython',
          data: [countdown, fib]
            .filter((r) => r.ratio)
            .map((r) => ({ program: r.name, ratio: r.ratio!.median })),
        },
      ],
    };
  },
});

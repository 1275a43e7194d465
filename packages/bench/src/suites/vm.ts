import { Interpreter, newHeap } from '@gilkit/vm';
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
  // Like the python3 side (timed inside the process around `exec` of the program), a sample
  // times the program alone: compiling it, building the interpreter and its builtins are outside
  // the clock, and one heap serves every run, as one process heap serves CPython's (each run's
  // interpreter is closed and its cycles collected after the sample).
  const heap = newHeap();
  const minipy = defineBenchmark({
    name,
    run: () => {
      const interp = new Interpreter({ stdout: () => {}, heap });
      try {
        const th = interp.mainThread(interp.compile(source, '<bench>'));
        const t0 = performance.now();
        const r = th.run(Number.MAX_SAFE_INTEGER);
        const ns = (performance.now() - t0) * 1e6;
        if (r.reason !== 'finished') throw new Error(`${name}: ${r.reason} ${r.error?.message ?? ''}`);
        return ns;
      } finally {
        interp.close();
        heap.collect();
      }
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
          note: 'Both sides time the program alone: process start-up, compiling the source and building the interpreter are outside the clock on both; MiniPy reuses one heap across runs as a process does.',
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

/**
 * Measuring code for the MiniPy-vs-CPython benchmark, exported for `@gilkit/bench`. Both sides run
 * the same source; each sample records wall time and CPU time of the program alone (python3's
 * interpreter start-up and MiniPy's compile are inside the sample for neither: python runs the
 * source with `exec` of a pre-compiled code object, MiniPy runs a pre-compiled module).
 */
import { spawnSync } from 'node:child_process';
import { compile } from '../compiler.js';
import { Interpreter } from '../interpreter.js';
import { newHeap } from '../rt.js';

/** One timed run. */
export interface Sample {
  wallMs: number;
  cpuMs: number;
}

/** Summary of several samples. */
export interface Measurement {
  samples: Sample[];
  /** Median wall time in ms. */
  wallMs: number;
  /** Median CPU time in ms (user + system of the process while the program ran). */
  cpuMs: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function summarize(samples: Sample[]): Measurement {
  return {
    samples,
    wallMs: median(samples.map((s) => s.wallMs)),
    cpuMs: median(samples.map((s) => s.cpuMs)),
  };
}

/**
 * Untimed MiniPy runs before the timed ones. V8 optimizes the eval loop (one large function) on a
 * background thread, and `process.cpuUsage` counts that thread: on a loaded 2-core machine the
 * first few runs of a program measure the compiler, not the interpreter. python3 needs none.
 */
export const MINIPY_WARMUP = Number(process.env.BENCH_WARMUP ?? 5);

/** Run `source` in MiniPy `reps` times after `warmup` untimed runs. */
export function measureMiniPy(source: string, reps = 5, warmup = MINIPY_WARMUP): Measurement {
  const samples: Sample[] = [];
  // One heap for every run (each run's interpreter is closed and its cycles collected after it):
  // a fresh 32 MiB buffer per run would make V8 run extra GCs, on helper threads that the CPU
  // time counts, for memory the runs never touch.
  const heap = newHeap();
  for (let i = 0; i < warmup + reps; i++) {
    const interp = new Interpreter({ stdout: () => {}, heap });
    const code = interp.compile(source, '<bench>');
    const th = interp.mainThread(code);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const r = th.run(Number.MAX_SAFE_INTEGER);
    const wallMs = performance.now() - t0;
    const c = process.cpuUsage(c0);
    if (r.reason !== 'finished')
      throw new Error(`benchmark program did not finish: ${r.reason} ${r.error?.message ?? ''}`);
    if (i >= warmup) samples.push({ wallMs, cpuMs: (c.user + c.system) / 1000 });
    interp.close();
    heap.collect();
  }
  return summarize(samples);
}

const PY_HARNESS = `
import sys, time, json
src = sys.stdin.read()
code = compile(src, "<bench>", "exec")
out = []
for i in range(int(sys.argv[1])):
    g = {"__name__": "__main__"}
    c0 = time.process_time(); t0 = time.perf_counter()
    exec(code, g)
    out.append([(time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000])
print(json.dumps(out))
`;

/** Run `source` in `python3` (`reps` samples in one process), or null when python3 is missing. */
export function measurePython(source: string, reps = 5, python = 'python3'): Measurement | null {
  const r = spawnSync(python, ['-c', PY_HARNESS, String(reps)], {
    input: source,
    encoding: 'utf8',
    timeout: 600_000,
  });
  if (r.error || r.status !== 0) return null;
  const rows = JSON.parse(r.stdout.trim()) as [number, number][];
  return summarize(rows.map(([wallMs, cpuMs]) => ({ wallMs, cpuMs })));
}

/** Version string of python3, or null. */
export function pythonVersion(python = 'python3'): string | null {
  const r = spawnSync(python, ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? (r.stdout || r.stderr).trim() : null;
}

/** One row of the comparison. */
export interface Comparison {
  name: string;
  minipy: Measurement;
  python: Measurement | null;
  /** MiniPy / python3 by median CPU time (null without python3). */
  cpuRatio: number | null;
  /** MiniPy / python3 by median wall time (null without python3). */
  wallRatio: number | null;
}

/** Measure every program in MiniPy and python3 in the same run. */
export function compareWithPython(programs: Readonly<Record<string, string>>, reps = 5): Comparison[] {
  const out: Comparison[] = [];
  for (const [name, source] of Object.entries(programs)) {
    compile(source, '<bench>');
    const minipy = measureMiniPy(source, reps);
    const python = measurePython(source, reps);
    out.push({
      name,
      minipy,
      python,
      cpuRatio: python ? minipy.cpuMs / python.cpuMs : null,
      wallRatio: python ? minipy.wallMs / python.wallMs : null,
    });
  }
  return out;
}

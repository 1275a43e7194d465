/**
 * The measuring loop. A benchmark is measured in samples (one `run()` each); with a baseline, the
 * two are measured in alternation, A B A B ..., and each pair gives one ratio A/B. Pairing is what
 * makes ratios trustworthy on a shared 2-core machine: a slow moment (another process, a GC, CPU
 * frequency) hits both members of a pair, so it cancels in the ratio even when it shows in the
 * absolute times.
 */
import { BenchValueError } from './errors.js';
import { pairedRatios, type Summary, summarize } from './stats.js';

/** One thing to measure. `S` is what `setup` returns and `run`/`teardown` receive. */
export interface Benchmark<S = unknown> {
  name: string;
  /**
   * Operations one `run()` performs; results are reported per operation (ns/op). Default 1:
   * a sample is the time of one whole run.
   */
  ops?: number;
  setup?: () => S | Promise<S>;
  /**
   * One sample. Return nothing and the harness times the call; return a number and that is the
   * sample's duration in nanoseconds (for work timed elsewhere, e.g. inside a worker).
   */
  run: (state: S) => undefined | number | Promise<undefined | number> | void | Promise<void>;
  teardown?: (state: S) => void | Promise<void>;
  /** Measured in alternation with this benchmark; results carry the ratio this/baseline. */
  // biome-ignore lint/suspicious/noExplicitAny: a baseline's state type is its own business.
  baseline?: Benchmark<any>;
}

/** Identity helper that gives `defineBenchmark({...})` its type inference. */
export function defineBenchmark<S>(benchmark: Benchmark<S>): Benchmark<S> {
  if (!benchmark.name) throw new BenchValueError('benchmark.name must be a non-empty string');
  if (typeof benchmark.run !== 'function')
    throw new BenchValueError(`benchmark ${benchmark.name}: run must be a function`);
  if (benchmark.ops !== undefined && !(Number.isInteger(benchmark.ops) && benchmark.ops > 0)) {
    throw new BenchValueError(`benchmark ${benchmark.name}: ops must be a positive integer`);
  }
  return benchmark;
}

export interface MeasureOptions {
  /** Unmeasured runs before sampling (JIT warm-up). Default 2. */
  warmup?: number;
  /** At least this many samples (pairs, with a baseline). Default 5. */
  minSamples?: number;
  /** At most this many samples. Default 50. */
  maxSamples?: number;
  /** Stop sampling once this much wall time was spent and minSamples are in. Default 1000 ms. */
  budgetMs?: number;
  /** Monotonic clock in nanoseconds; injectable for tests. */
  now?: () => number;
  /** Called after each sample with (done, planned max). */
  onSample?: (done: number, max: number) => void;
}

/** Samples of one benchmark, per operation, in nanoseconds. */
export interface Measurement {
  name: string;
  ops: number;
  samplesNs: number[];
  summary: Summary;
}

export interface BenchmarkResult {
  name: string;
  subject: Measurement;
  baseline?: Measurement;
  /** Pair-by-pair ratios subject/baseline, summarized; present when there is a baseline. */
  ratio?: Summary;
}

const defaultNow = (): number => Number(process.hrtime.bigint());

function checkCount(value: number | undefined, name: string, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min) {
    throw new BenchValueError(`options.${name} must be an integer >= ${min}, got ${value}`);
  }
  return value;
}

async function sample<S>(b: Benchmark<S>, state: S, now: () => number): Promise<number> {
  const t0 = now();
  const reported = await b.run(state);
  const elapsed = now() - t0;
  const ns = typeof reported === 'number' ? reported : elapsed;
  if (!(ns >= 0) || !Number.isFinite(ns)) {
    throw new BenchValueError(`benchmark ${b.name}: run() reported an invalid duration ${reported}`);
  }
  return ns / (b.ops ?? 1);
}

/** Measures `benchmark` (and its baseline, paired) and summarizes the samples. */
export async function measure<S>(
  benchmark: Benchmark<S>,
  options: MeasureOptions = {},
): Promise<BenchmarkResult> {
  const warmup = checkCount(options.warmup, 'warmup', 2, 0);
  const minSamples = checkCount(options.minSamples, 'minSamples', 5, 1);
  const maxSamples = checkCount(options.maxSamples, 'maxSamples', 50, minSamples);
  const budgetMs = options.budgetMs ?? 1000;
  if (!(budgetMs >= 0)) throw new BenchValueError(`options.budgetMs must be >= 0, got ${budgetMs}`);
  const now = options.now ?? defaultNow;
  const base = benchmark.baseline;

  const state = (await benchmark.setup?.()) as S;
  // biome-ignore lint/suspicious/noExplicitAny: see Benchmark.baseline.
  const baseState: any = base ? await base.setup?.() : undefined;
  try {
    for (let i = 0; i < warmup; i++) {
      await sample(benchmark, state, now);
      if (base) await sample(base, baseState, now);
    }
    const a: number[] = [];
    const b: number[] = [];
    const start = now();
    while (a.length < maxSamples) {
      a.push(await sample(benchmark, state, now));
      if (base) b.push(await sample(base, baseState, now));
      options.onSample?.(a.length, maxSamples);
      if (a.length >= minSamples && (now() - start) / 1e6 >= budgetMs) break;
    }
    const result: BenchmarkResult = {
      name: benchmark.name,
      subject: { name: benchmark.name, ops: benchmark.ops ?? 1, samplesNs: a, summary: summarize(a) },
    };
    if (base) {
      result.baseline = { name: base.name, ops: base.ops ?? 1, samplesNs: b, summary: summarize(b) };
      result.ratio = summarize(pairedRatios(a, b));
    }
    return result;
  } finally {
    if (base) await base.teardown?.(baseState);
    await benchmark.teardown?.(state);
  }
}

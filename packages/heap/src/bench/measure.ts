/**
 * Micro-benchmarks of the heap's hot paths, as exported functions so @gilkit/bench can reuse them.
 * Every result is nanoseconds per operation pair, measured as the median of several timed runs
 * after a warm-up; compare them only with baselines measured in the same process.
 */
import { Heap } from '../heap.js';
import type { RefcountMode } from '../layout.js';

/** One measured case. */
export interface BenchResult {
  name: string;
  /** Median nanoseconds per iteration (one pair of operations). */
  nsPerOp: number;
  /** Spread: (max - min) / median over the runs. */
  spread: number;
  iterations: number;
}

function now(): number {
  return performance.now();
}

/** A benchmark case: `body(n)` performs n iterations. */
export interface BenchCase {
  name: string;
  iterations: number;
  body: (n: number) => void;
  /** Operations per iteration to divide by (default 1). */
  perIteration?: number;
}

/**
 * Run cases interleaved: warm every case up first (so each function's type feedback already covers
 * every mode before anything is timed, and no case profits from running first), then `runs`
 * rounds in which each case is timed once. Reports the median ns per operation.
 */
export function runCases(cases: readonly BenchCase[], runs = 7): BenchResult[] {
  for (const c of cases) c.body(Math.min(c.iterations, 200_000));
  const samples = cases.map(() => [] as number[]);
  for (let r = 0; r < runs; r++) {
    cases.forEach((c, k) => {
      const t0 = now();
      c.body(c.iterations);
      samples[k].push(((now() - t0) * 1e6) / (c.iterations * (c.perIteration ?? 1)));
    });
  }
  return cases.map((c, k) => {
    const s = samples[k].sort((a, b) => a - b);
    const median = s[s.length >> 1];
    return {
      name: c.name,
      nsPerOp: median,
      spread: (s[s.length - 1] - s[0]) / median,
      iterations: c.iterations,
    };
  });
}

/** Time one case on its own (warm-up, then `runs` timings). */
export function measure(name: string, iterations: number, body: (n: number) => void, runs = 7): BenchResult {
  return runCases([{ name, iterations, body }], runs)[0];
}

// A sink the optimiser cannot see through.
let sink: unknown = null;
/** Last value kept alive by the JS baseline (exported so it is observable). */
export function lastSink(): unknown {
  return sink;
}

/** Baseline: allocate a small JS object and drop the previous one (what a JS VM would do per int). */
export function jsObjectPairCase(iterations: number): BenchCase {
  return {
    name: 'js: new {value} + drop',
    iterations,
    body: (n) => {
      let keep: { value: number } = { value: 0 };
      for (let i = 0; i < n; i++) {
        const next = { value: i + 1000 };
        if (next.value === -1) sink = keep;
        keep = next;
      }
      sink = keep;
    },
  };
}

/**
 * Heap: allocate an int and free the previous one, as `n -= 1` does in the eval loop (one new int
 * object, the old one dropped). Values stay outside the small-int cache.
 */
export function intAllocFreeCase(mode: RefcountMode, iterations: number, taggedInts = false): BenchCase {
  const heap = Heap.create({ bytes: 4 << 20, refcountMode: mode, shared: true, taggedInts });
  return {
    name: `heap ${mode}: newInt + decref${taggedInts ? ' (tagged ints)' : ''}`,
    iterations,
    body: (n) => {
      let keep = heap.newInt(1000);
      for (let i = 0; i < n; i++) {
        const next = heap.newInt(i + 1000);
        heap.decref(keep);
        keep = next;
      }
      heap.decref(keep);
    },
  };
}

/** incref + decref pair on one object owned by this thread. */
export function incDecCase(mode: RefcountMode, iterations: number, owner = true): BenchCase {
  const creator = Heap.create({ bytes: 1 << 20, refcountMode: mode, shared: true, threadId: 0 });
  const obj = creator.newFloat(1.5);
  // A non-owner view of the same heap: a second attachment with another thread id.
  const heap = owner ? creator : Heap.attach(creator.buffer, { threadId: 1 });
  const label = mode === 'biased' ? (owner ? 'biased (owner)' : 'biased (non-owner)') : mode;
  return {
    name: `incref + decref: ${label}`,
    iterations,
    body: (n) => {
      for (let i = 0; i < n; i++) {
        heap.incref(obj);
        heap.decref(obj);
      }
    },
  };
}

/** Raw Atomics.add/sub pair on an Int32Array word: the floor under `atomic` mode. */
export function rawAtomicsCase(iterations: number): BenchCase {
  const i32 = new Int32Array(new SharedArrayBuffer(64));
  return {
    name: 'raw Atomics.add + Atomics.sub',
    iterations,
    body: (n) => {
      for (let i = 0; i < n; i++) {
        Atomics.add(i32, 1, 1);
        Atomics.sub(i32, 1, 1);
      }
    },
  };
}

/** Build and free a list of `size` fresh ints; reported per item. */
export function listBuildCase(iterations: number, size = 1000): BenchCase {
  const heap = Heap.create({ bytes: 16 << 20 });
  const rounds = Math.max(1, Math.floor(iterations / size));
  return {
    name: `heap gil: list of ${size} ints build + free (per item)`,
    iterations: rounds,
    perIteration: size,
    body: (n) => {
      for (let k = 0; k < n; k++) {
        const l = heap.newList();
        for (let i = 0; i < size; i++) heap.listAppendSteal(l, heap.newInt(i + 1000));
        heap.decref(l);
      }
    },
  };
}

/** The cases of one refcount mode (plus the JS and raw-Atomics baselines with `gil`). */
export function modeCases(mode: RefcountMode, iterations = 2_000_000): BenchCase[] {
  const cases: BenchCase[] = [];
  if (mode === 'gil') cases.push(jsObjectPairCase(iterations), rawAtomicsCase(iterations));
  cases.push(intAllocFreeCase(mode, iterations), incDecCase(mode, iterations, true));
  if (mode === 'biased') cases.push(incDecCase(mode, iterations, false));
  if (mode === 'gil') cases.push(listBuildCase(iterations), intAllocFreeCase('gil', iterations, true));
  return cases;
}

/** Every case in one isolate, interleaved (the heap's methods see every mode: polymorphic). */
export function runAll(iterations = 2_000_000): BenchResult[] {
  return runCases([
    ...modeCases('gil', iterations),
    ...modeCases('atomic', iterations),
    ...modeCases('biased', iterations),
  ]);
}

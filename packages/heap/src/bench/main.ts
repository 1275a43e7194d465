/**
 * `npm run bench`: heap micro-benchmarks with ratios against baselines from the same run.
 *
 * Each refcount mode is measured in its own worker thread, so each has its own JIT feedback, as a
 * program that uses one mode per thread would. `--mixed` also runs every mode in one isolate,
 * where the shared methods see all modes (polymorphic) and are slower. The incref/decref pairs of all
 * modes are also run interleaved in the main isolate; the ratios between modes come from there.
 * Then a demo: 4 workers incref/decref one object with no lock in each mode (`--no-demo` skips).
 * `--iterations N`, `--runs N` (timed rounds, default 7), `--json`.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { RefcountMode } from '../layout.js';
import { runLostUpdates } from './lost-updates.js';
import { type BenchResult, incDecCase, modeCases, rawAtomicsCase, runAll, runCases } from './measure.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

interface Job {
  mode: RefcountMode;
  iterations: number;
  runs: number;
}

function runInWorker(job: Job): Promise<BenchResult[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: job });
    worker.once('message', (results: BenchResult[]) => resolve(results));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`bench worker for ${job.mode} exited with ${code}`));
    });
  });
}

function ratio(results: BenchResult[], a: string, b: string): number {
  const find = (prefix: string): BenchResult => {
    const r = results.find((x) => x.name.startsWith(prefix));
    if (!r) throw new Error(`no result ${prefix}`);
    return r;
  };
  return find(a).nsPerOp / find(b).nsPerOp;
}

async function main(): Promise<void> {
  const iterations = Number(arg('--iterations') ?? 2_000_000);
  const runs = Number(arg('--runs') ?? 7);
  const results: BenchResult[] = [];
  for (const mode of ['gil', 'atomic', 'biased'] as const)
    results.push(...(await runInWorker({ mode, iterations, runs })));
  // Refcount pairs of every mode interleaved in this one isolate: same JIT state for all, so the
  // ratios between modes compare like with like.
  const pairs = runCases(
    [
      incDecCase('gil', iterations),
      incDecCase('atomic', iterations),
      incDecCase('biased', iterations, true),
      incDecCase('biased', iterations, false),
      rawAtomicsCase(iterations),
    ],
    runs,
  );
  const ratios: Record<string, number> = {
    'alloc+free (gil) / js object': ratio(results, 'heap gil: newInt + decref', 'js:'),
    'newInt+decref tagged (gil) / js object': ratio(results, 'heap gil: newInt + decref (tagged', 'js:'),
    'alloc+free (atomic) / js object': ratio(results, 'heap atomic:', 'js:'),
    'alloc+free (biased) / js object': ratio(results, 'heap biased:', 'js:'),
    'incref+decref atomic / gil': ratio(pairs, 'incref + decref: atomic', 'incref + decref: gil'),
    'incref+decref biased owner / gil': ratio(
      pairs,
      'incref + decref: biased (owner)',
      'incref + decref: gil',
    ),
    'incref+decref biased non-owner / gil': ratio(
      pairs,
      'incref + decref: biased (non-owner)',
      'incref + decref: gil',
    ),
    'incref+decref atomic / raw Atomics pair': ratio(pairs, 'incref + decref: atomic', 'raw Atomics'),
  };
  const mixed = process.argv.includes('--mixed') ? runAll(iterations) : undefined;
  const lost = process.argv.includes('--no-demo')
    ? []
    : [
        await runLostUpdates('gil', 4, 500_000),
        await runLostUpdates('atomic', 4, 500_000),
        await runLostUpdates('biased', 4, 500_000),
      ];
  if (process.argv.includes('--json')) {
    console.log(
      JSON.stringify({ node: process.version, iterations, results, pairs, ratios, mixed }, null, 2),
    );
    return;
  }
  const line = (r: BenchResult): string =>
    `  ${r.name.padEnd(52)} ${r.nsPerOp.toFixed(2).padStart(8)} ns   (spread ${(r.spread * 100).toFixed(0)}%)`;
  console.log(
    `@gilkit/heap micro-benchmarks (node ${process.version}, ${iterations} iterations, median of ${runs})`,
  );
  console.log('one worker per refcount mode:');
  for (const r of results) console.log(line(r));
  console.log('refcount pairs, all modes interleaved in one isolate:');
  for (const r of pairs) console.log(line(r));
  console.log('ratios (same run; refcount ratios from the interleaved group):');
  for (const [k, v] of Object.entries(ratios)) console.log(`  ${k.padEnd(52)} ${v.toFixed(2).padStart(8)}x`);
  if (lost.length > 0) {
    console.log('4 workers x 500,000 incref+decref on one object, no lock:');
    for (const r of lost) {
      const verdict = r.verifyErrors.length === 0 ? 'exact' : `LOST UPDATES (${r.verifyErrors[0]})`;
      console.log(`  ${r.mode.padEnd(8)} expected refcount ${r.expected}, got ${r.actual}: ${verdict}`);
    }
  }
  if (mixed) {
    console.log('all modes in one isolate (polymorphic):');
    for (const r of mixed) console.log(line(r));
  }
}

if (isMainThread) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
} else {
  const job = workerData as Job;
  parentPort?.postMessage(runCases(modeCases(job.mode, job.iterations), job.runs));
}

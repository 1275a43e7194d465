/**
 * `npm run bench` (node dist/bench/main.js): CPU scaling (Pool(2) vs Pool(1)) and tiny-task
 * throughput next to CPython's multiprocessing.Pool(2), measured in the same run.
 * Options: --quick (fewer items and repeats).
 */
import { availableParallelism } from 'node:os';
import {
  measureCpuScaling,
  measurePoolThroughput,
  measureRawPiscina,
  type PoolThroughput,
} from './measure.js';
import { measurePythonThroughput, type ThroughputRow } from './python.js';

const ROWS = [
  ['mapChunk1', 'map(chunksize=1)'],
  ['mapDefault', 'map (default chunksize)'],
  ['imapUnordered', 'imapUnordered (chunksize=1)'],
  ['applyAsync', 'applyAsync'],
] as const;

function perSecond(rate: number): string {
  return rate >= 1e6 ? `${(rate / 1e6).toFixed(2)}M/s` : `${Math.round(rate / 1000)}k/s`;
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const say = (s: string) => process.stderr.write(`${s}\n`);
  const items = quick ? 20_000 : 100_000;
  const repeats = quick ? 1 : 3;
  const processes = 2;
  say(`@gilkit/pool bench: node ${process.version}, ${availableParallelism()} cpus${quick ? ', quick' : ''}`);

  say('CPU-bound map, Pool(1) vs Pool(2) ...');
  const cpu = await measureCpuScaling({
    processes,
    tasks: 16,
    limit: quick ? 200_000 : 600_000,
    repeats: repeats + 2,
  });
  say('CPU-bound MiniPy map, Pool(1) vs Pool(2) ...');
  const pyCpu = await measureCpuScaling({
    processes,
    tasks: 8,
    limit: quick ? 8_000 : 20_000,
    repeats: repeats + 2,
    language: 'minipy',
  });
  // Row by row, ours then CPython's, so both sides of a ratio see the same machine load.
  const ours: PoolThroughput = {};
  const python: Partial<Record<ThroughputRow, number>> = {};
  let pythonVersion: string | undefined;
  for (const [row, label] of ROWS) {
    say(`tiny tasks (x*x over ${items} items), ${label}: @gilkit/pool, then python3 ...`);
    ours[row] = (await measurePoolThroughput({ items, processes, repeats, rows: [row] }))[row];
    const theirs = measurePythonThroughput({ items, processes, repeats, rows: [row] });
    if (theirs !== null) {
      python[row] = theirs[row];
      pythonVersion = theirs.version;
    }
  }
  say('tiny tasks, raw piscina run ...');
  const raw = await measureRawPiscina({ items: items / 2, processes });

  const lines: string[] = [];
  lines.push(`CPU-bound map (16 x countPrimes), ${processes} workers vs 1 worker`);
  lines.push(
    `  1 worker ${cpu.oneWorkerMs.toFixed(0)} ms, ${processes} workers ${cpu.manyWorkersMs.toFixed(0)} ms: ` +
      `speedup ${cpu.speedup.toFixed(2)}x (target >= 1.8x)`,
  );
  lines.push(
    `CPU-bound MiniPy map (8 x count_primes on each worker's interpreter and GIL), ${processes} workers vs 1`,
  );
  lines.push(
    `  1 worker ${pyCpu.oneWorkerMs.toFixed(0)} ms, ${processes} workers ${pyCpu.manyWorkersMs.toFixed(0)} ms: ` +
      `speedup ${pyCpu.speedup.toFixed(2)}x`,
  );
  lines.push('');
  lines.push(
    `Tiny-task throughput, x*x over ${items} items, ${processes} workers ` +
      `(python3 ${pythonVersion ?? 'not found'} multiprocessing.Pool(${processes}) in the same run, row by row)`,
  );
  lines.push('');
  lines.push('| method | @gilkit/pool | CPython Pool | ratio |');
  lines.push('|---|---:|---:|---:|');
  for (const [key, label] of ROWS) {
    const mine = ours[key] ?? Number.NaN;
    const theirs = python[key];
    const ratio = theirs === undefined ? 'not measured' : `${(mine / theirs).toFixed(2)}x`;
    lines.push(
      `| ${label} | ${perSecond(mine)} | ${theirs === undefined ? 'not measured' : perSecond(theirs)} | ${ratio} |`,
    );
  }
  lines.push(
    `| (engine alone: piscina run per item, default options, ${items / 2} items) | ${perSecond(raw)} | | |`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main();

/**
 * `npm run bench` (node dist/bench/main.js): prints the GIL's costs as ratios against raw Atomics
 * measured in the same run. Options: --quick (fewer iterations).
 */
import { availableParallelism } from 'node:os';
import {
  type Comparison,
  formatComparisons,
  measureDropRequested,
  measureHandoff,
  measureUncontended,
} from './measure.js';

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const results: Comparison[] = [];
  const say = (s: string) => process.stderr.write(`${s}\n`);
  say(`@gilkit/lock bench: node ${process.version}, ${availableParallelism()} cpus${quick ? ', quick' : ''}`);
  say('uncontended take+drop ...');
  results.push(measureUncontended({ iterations: quick ? 300_000 : 2_000_000 }));
  results.push(measureUncontended({ iterations: quick ? 300_000 : 2_000_000, policy: 'fifo' }));
  say('dropRequested ...');
  results.push(measureDropRequested({ iterations: quick ? 2_000_000 : 20_000_000 }));
  say('contended hand-off ...');
  results.push(await measureHandoff({ roundTrips: quick ? 1_000 : 3_000, rounds: quick ? 3 : 5 }));
  process.stdout.write(`${formatComparisons(results)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});

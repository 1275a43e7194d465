// The concept pages make a few quantitative claims about what their examples show. These tests
// hold the simulator to them (with the page's own programs and settings), so a change in the vm,
// the cost model or a policy that contradicts a page fails here. Ratios only, with generous
// margins: the exact virtual times are the simulator's business.
import { runProgram, SimRuntime, type TracePolicy } from '@gilkit/scheduler';
import { describe, expect, it } from 'vitest';
import { withThreads } from '../src/components/PyExample/code';
import { simOptions } from '../src/lib/sim-options.mjs';
import { docsDir, extractPyExamples, readPage } from './mdx-examples';

function example(page: string, title: string) {
  const file = `${docsDir}/${page}`;
  const ex = extractPyExamples(readPage(file), file).find((e) => e.title === title);
  if (!ex) throw new Error(`no example "${title}" on ${page}`);
  return ex;
}

async function wallUs(code: string, policy: TracePolicy, cores = 2, interval = 5) {
  const r = await runProgram(code, { ...simOptions(policy, cores, interval), runtime: 'sim' });
  expect(r.exception).toBeNull();
  return { durationUs: r.trace.durationUs, stats: r.stats, output: r.output };
}

describe('claims the concept pages make', () => {
  it('thread serialization: 2 threads take about as long as 1 under the GIL, about half without it', async () => {
    const { code } = example('concepts/thread-serialization.mdx', 'Countdown in 1 or 2 threads');
    const one = await wallUs(withThreads(code, 1), 'cpython');
    const two = await wallUs(code, 'cpython');
    const free = await wallUs(code, 'free-threaded');
    expect(two.durationUs / one.durationUs).toBeGreaterThan(0.9);
    expect(two.durationUs / one.durationUs).toBeLessThan(1.2);
    expect(two.stats.gilWaitUs).toBeGreaterThan(one.stats.gilWaitUs);
    expect(free.durationUs / one.durationUs).toBeLessThan(0.7);
  });

  it('old vs new GIL: the legacy GIL is clearly slower than the 3.2 GIL and has false wake-ups', async () => {
    const { code } = example(
      'concepts/old-vs-new-gil.mdx',
      'Python 2 GIL: release and re-acquire every 100 ticks',
    );
    const legacy = new SimRuntime({ policy: 'legacy', cores: 2, seed: 1 }).run(code);
    const modern = new SimRuntime({ policy: 'cpython', cores: 2, seed: 1 }).run(code);
    expect(legacy.trace.durationUs / modern.trace.durationUs).toBeGreaterThan(1.3);
    expect(legacy.counters.falseWakeups).toBeGreaterThan(0);
    expect(modern.counters.falseWakeups).toBe(0);
  });

  it('switch interval: a shorter interval means more hand-offs', async () => {
    const { code } = example('concepts/switch-interval.mdx', 'Two CPU-bound threads and the switch interval');
    const at5 = await wallUs(code, 'cpython', 2, 5);
    const at01 = await wallUs(code, 'cpython', 2, 0.1);
    expect(at01.stats.handoffs).toBeGreaterThan(5 * at5.stats.handoffs);
  });

  it('convoy effect: I/O latency next to a CPU-bound thread is far worse than alone, and better with a shorter interval', async () => {
    const { code } = example('concepts/io-and-convoy.mdx', 'I/O latency next to CPU-bound threads');
    const mean = (out: string) => Number(/mean (\d+) us/.exec(out)?.[1]);
    const alone = mean((await wallUs(withThreads(code, 0), 'cpython')).output);
    const convoy = mean((await wallUs(code, 'cpython', 2, 5)).output);
    const shorter = mean((await wallUs(code, 'cpython', 2, 0.1)).output);
    expect(convoy).toBeGreaterThan(5 * alone);
    expect(shorter).toBeLessThan(convoy / 5);
  });

  it('bytecode: += loses no update under the GIL, a call between load and store does', async () => {
    const ex = example('concepts/bytecode-and-eval-loop.mdx', 'Where can a thread be switched out?');
    const { output } = await wallUs(ex.code, 'cpython', 2, ex.interval);
    expect(output).toMatch(/inline \+=: 200000 of 200000 \(0 lost\)/);
    expect(Number(/with a call in between: \d+ of 200000 \((\d+) lost\)/.exec(output)?.[1])).toBeGreaterThan(
      0,
    );
  });

  it('native extensions: hashing in 2 threads overlaps (speedup > 1.5)', async () => {
    const { code } = example('concepts/native-extensions.mdx', 'hashlib in threads');
    expect((await wallUs(code, 'cpython')).stats.speedupVsSequential).toBeGreaterThan(1.5);
  });

  it('multiprocessing: Pool(2).map runs two worker processes in parallel after start-up', async () => {
    const { code } = example('concepts/multiprocessing.mdx', 'Pool.map on two worker processes');
    const two = await wallUs(code, 'cpython');
    const one = await wallUs(code.replace('Pool(2)', 'Pool(1)'), 'cpython');
    expect(two.stats.speedupVsSequential).toBeGreaterThan(1.2);
    expect(two.durationUs).toBeLessThan(one.durationUs * 0.85);
  });
});

/** `value` is within `tolerance` (relative) of the number a page quotes. */
function near(value: number, quoted: number, tolerance = 0.2) {
  expect(Math.abs(value - quoted) / quoted, `simulator gives ${value}, the page says ${quoted}`).toBeLessThan(
    tolerance,
  );
}

describe('numbers the concept pages quote from the simulator (within 20%)', () => {
  it('thread serialization: 17.2 ms with 2 threads, 17.1 ms with 1; GIL wait 13.9 ms', async () => {
    const { code } = example('concepts/thread-serialization.mdx', 'Countdown in 1 or 2 threads');
    const two = await wallUs(code, 'cpython');
    const one = await wallUs(withThreads(code, 1), 'cpython');
    near(two.durationUs / 1000, 17.2);
    near(one.durationUs / 1000, 17.1);
    near(two.stats.gilWaitUs / 1000, 13.9);
    expect(one.stats.gilWaitUs / 1000).toBeLessThan(0.5);
  });

  it('native extensions: 8.1 ms in 2 threads, 16.1 ms in 1', async () => {
    const { code } = example('concepts/native-extensions.mdx', 'hashlib in threads');
    near((await wallUs(code, 'cpython')).durationUs / 1000, 8.1);
    near((await wallUs(withThreads(code, 1), 'cpython')).durationUs / 1000, 16.1);
  });

  it('convoy: mean round trips 128 µs alone; 2388 / 1173 / 273 µs at 5 / 1 / 0.1 ms', async () => {
    const { code } = example('concepts/io-and-convoy.mdx', 'I/O latency next to CPU-bound threads');
    const mean = async (src: string, interval: number) =>
      Number(/mean (\d+) us/.exec((await wallUs(src, 'cpython', 2, interval)).output)?.[1]);
    near(await mean(withThreads(code, 0), 5), 128);
    near(await mean(code, 5), 2388);
    near(await mean(code, 1), 1173);
    near(await mean(code, 0.1), 273);
  });

  it('old vs new GIL: 17.0 ms legacy, 10.4 ms cpython, 518 false wake-ups', () => {
    const { code } = example(
      'concepts/old-vs-new-gil.mdx',
      'Python 2 GIL: release and re-acquire every 100 ticks',
    );
    const legacy = new SimRuntime({ policy: 'legacy', cores: 2, seed: 1 }).run(code);
    const modern = new SimRuntime({ policy: 'cpython', cores: 2, seed: 1 }).run(code);
    near(legacy.trace.durationUs / 1000, 17.0);
    near(modern.trace.durationUs / 1000, 10.4);
    near(legacy.counters.falseWakeups, 518, 0.3);
  });
});

describe('claims about running without a GIL', () => {
  it('bytecode: under the free-threaded policy even += loses updates', async () => {
    const ex = example('concepts/bytecode-and-eval-loop.mdx', 'Where can a thread be switched out?');
    const { output } = await wallUs(ex.code, 'free-threaded', 2, ex.interval);
    expect(Number(/inline \+=: \d+ of 200000 \((\d+) lost\)/.exec(output)?.[1])).toBeGreaterThan(0);
  });
});

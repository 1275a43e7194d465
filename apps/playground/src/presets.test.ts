import { runProgram } from '@gilkit/scheduler';
import { describe, expect, it } from 'vitest';
import { PRESETS } from './presets.js';
import { DEFAULT_SETTINGS } from './settings.js';

/**
 * Every preset runs in the simulator without a Python exception and tells its story. CPU-bound
 * loops are shortened (the simulator executes every instruction; the real sizes are for the browser)
 * — the programs are otherwise the ones the page shows.
 */
function shortened(program: string, iterations = 20_000): string {
  return program
    .replace(/^(N|\s+n) = \d+$/gm, (_m, name: string) => `${name} = ${iterations}`)
    .replace(/\b1500000\b/g, String(iterations));
}

async function run(id: string) {
  const preset = PRESETS.find((p) => p.id === id);
  if (!preset) throw new Error(`no preset ${id}`);
  const settings = { ...DEFAULT_SETTINGS, ...preset.settings };
  return runProgram(shortened(preset.program), { ...settings, runtime: 'sim' });
}

describe('presets', () => {
  it('have unique ids and a story', () => {
    expect(new Set(PRESETS.map((p) => p.id)).size).toBe(PRESETS.length);
    for (const p of PRESETS) expect(p.story.length).toBeGreaterThan(20);
  });

  it.each(PRESETS.map((p) => p.id))('%s runs without an exception and prints', async (id) => {
    const r = await run(id);
    expect(r.exception).toBeNull();
    expect(r.output.trim().length).toBeGreaterThan(0);
    expect(r.trace.threads.length).toBeGreaterThan(1);
  });

  it('the countdown under a GIL is no faster with 2 threads; free-threaded is', async () => {
    // Long enough that starting the threads is a small part of the run.
    const preset = PRESETS.find((p) => p.id === 'countdown-2')!;
    const options = { ...DEFAULT_SETTINGS, ...preset.settings };
    const gil = await runProgram(shortened(preset.program, 80_000), options);
    expect(gil.stats.speedupVsSequential).toBeLessThan(1.2);
    const free = await runProgram(shortened(preset.program, 80_000), {
      ...DEFAULT_SETTINGS,
      ...preset.settings,
      policy: 'free-threaded',
    });
    expect(free.stats.speedupVsSequential).toBeGreaterThan(1.6);
  });

  it('the Pool preset runs its tasks in worker processes, in parallel', async () => {
    const preset = PRESETS.find((p) => p.id === 'pool')!;
    const r = await runProgram(shortened(preset.program, 200_000), {
      ...DEFAULT_SETTINGS,
      ...preset.settings,
    });
    const workers = r.trace.threads.filter((t) => t.group !== undefined);
    expect(new Set(workers.map((t) => t.group)).size).toBe(4);
    // Parallel: at some moment at least two worker processes are running bytecode at once.
    const ids = new Set(workers.map((t) => t.id));
    const edges = r.trace.intervals
      .filter((iv) => ids.has(iv.thread) && iv.state === 'running' && iv.end > iv.start)
      .flatMap((iv) => [
        [iv.start, 1],
        [iv.end, -1],
      ])
      .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let running = 0;
    let most = 0;
    for (const [, d] of edges) most = Math.max(most, (running += d));
    expect(most).toBeGreaterThanOrEqual(2);
  });

  it('the unlocked counter loses updates without a GIL; the locked one does not', async () => {
    const racy = await run('counter-race');
    const got = Number(/got (\d+)/.exec(racy.output)?.[1]);
    expect(got).toBeLessThan(8000);
    expect((await run('counter-lock')).output).toContain('expected 8000, got 8000');
  });
});

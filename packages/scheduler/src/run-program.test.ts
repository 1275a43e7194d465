import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DeadlockError, RunLimitError } from './errors.js';
import { runProgram } from './run-program.js';
import { assertTrace } from './trace.js';

const program = (name: string) =>
  readFileSync(new URL(`./test-fixtures/programs/${name}`, import.meta.url), 'utf8');

const COUNTDOWN = (threads: number, n: number) => `
import threading, time
def countdown(n):
    while n > 0:
        n -= 1
ts = [threading.Thread(target=countdown, args=(${n},)) for _ in range(${threads})]
for t in ts:
    t.start()
for t in ts:
    t.join()
`;

function python3(source: string): string | undefined {
  try {
    return execFileSync('python3', ['-c', source], {
      encoding: 'utf8',
      timeout: 20_000,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch {
    return undefined;
  }
}

describe('runProgram (sim)', () => {
  it('prints what CPython prints for a threaded program with a lock, an event and a failing thread', async () => {
    const src = program('threads.py');
    const r = await runProgram(src, { filename: 'threads.py' });
    expect(r.output).toBe('counter 3000 1\n');
    expect(r.stderr).toMatch(/^Exception in thread Thread-4 \(bad\):\nTraceback/);
    expect(r.exception?.type).toBe('KeyError');
    expect(r.exception?.message).toBe("'missing'");
    expect(r.exception?.traceback).toMatch(/File "threads.py", line 24, in <module>/);
    const cpython = python3(src);
    if (cpython !== undefined) expect(r.output).toBe(cpython);
    assertTrace(r.trace);
  });

  it('is deterministic: the same seed gives the same output and trace', async () => {
    const src = `${COUNTDOWN(3, 50_000)}\nprint('ok')\n`;
    const a = await runProgram(src, { seed: 7, switchIntervalMs: 0.5 });
    const b = await runProgram(src, { seed: 7, switchIntervalMs: 0.5 });
    expect(JSON.stringify(a.trace)).toBe(JSON.stringify(b.trace));
    expect(a.output).toBe('ok\n');
    expect(a.stats.handoffs).toBeGreaterThan(3);
  });

  it('reproduces the GIL: 2 countdown threads take as long as sequential under cpython, half free-threaded', async () => {
    const seq = await runProgram(COUNTDOWN(1, 400_000));
    const cp = await runProgram(COUNTDOWN(2, 200_000));
    const ft = await runProgram(COUNTDOWN(2, 200_000), { policy: 'free-threaded' });
    const main = (r: typeof seq) => r.trace.durationUs;
    expect(main(cp) / main(seq)).toBeGreaterThan(0.97);
    expect(main(cp) / main(seq)).toBeLessThan(1.08);
    expect(main(ft) / main(seq)).toBeLessThan(0.6);
  });

  it('finishes 4 free-threaded threads on 2 cores past 10 ms of virtual time (time-slice re-arm regression)', async () => {
    // More threads than cores: the OS model's time slices pre-empt. A floating-point mismatch once
    // re-armed the slice check at the same virtual instant forever once virtual time grew large.
    const seq = await runProgram(COUNTDOWN(1, 2_000_000), { policy: 'free-threaded' });
    const ft = await runProgram(COUNTDOWN(4, 500_000), { policy: 'free-threaded' });
    expect(ft.exception).toBeNull();
    expect(ft.trace.durationUs / seq.trace.durationUs).toBeLessThan(0.6);
  });

  it('charges about 17 ns per countdown iteration (the CPython 3.11 calibration)', async () => {
    const r = await runProgram(COUNTDOWN(1, 100_000));
    const worker = r.stats.threads.find((t) => t.name.startsWith('Thread-1'))!;
    expect(worker.runningUs / 100_000).toBeGreaterThan(0.016);
    expect(worker.runningUs / 100_000).toBeLessThan(0.018);
  });

  it('answers sys and time from the runtime: switch interval, GIL state, virtual sleep', async () => {
    const r = await runProgram(
      `import sys, time\nprint(sys.getswitchinterval())\nsys.setswitchinterval(0.001)\nprint(sys.getswitchinterval())\nt = time.monotonic()\ntime.sleep(0.25)\nprint(round(time.monotonic() - t, 3))\nprint(sys._is_gil_enabled())\n`,
      { policy: 'free-threaded' },
    );
    expect(r.output).toBe('0.005\n0.001\n0.25\nFalse\n');
    expect(r.trace.durationUs).toBeGreaterThan(250_000);
  });

  it('streams output through stdout', async () => {
    const parts: string[] = [];
    await runProgram('print(1)\nprint(2)\n', { stdout: (t) => parts.push(t) });
    expect(parts.join('')).toBe('1\n2\n');
  });

  it('resolves with a SyntaxError as exception', async () => {
    const r = await runProgram('x = (1,\nprint(x)\n', { filename: 'bad.py' });
    expect(r.exception?.type).toBe('SyntaxError');
    expect(r.exception?.traceback).toMatch(/File "bad.py", line \d/);
    expect(r.output).toBe('');
  });

  it('rejects bad options with a RangeError naming the option', async () => {
    await expect(runProgram('pass', { cores: 0 })).rejects.toThrow(/options\.cores/);
    await expect(runProgram('pass', { policy: 'nogil' as 'cpython' })).rejects.toThrow(/options\.policy/);
    await expect(runProgram('pass', { runtime: 'gpu' as 'sim' })).rejects.toThrow(/options\.runtime/);
  });

  it('stops runaway programs with RunLimitError carrying the output so far', async () => {
    const err = await runProgram('print("start")\nwhile True:\n    pass\n', {
      maxInstructions: 100_000,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RunLimitError);
    expect((err as RunLimitError).output).toBe('start\n');
    expect((err as RunLimitError).code).toBe('ERR_GILKIT_RUN_LIMIT');
  });

  it('reports a deadlock instead of hanging', async () => {
    const src = `import threading\na = threading.Lock()\na.acquire()\ndef f():\n    a.acquire()\nt = threading.Thread(target=f)\nt.start()\nt.join()\n`;
    const err = await runProgram(src).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeadlockError);
    expect((err as DeadlockError).threads).toEqual(['MainThread', 'Thread-1 (f)']);
  });
});

describe('convoy effect with a real MiniPy program (packages/bench/programs/convoy.py)', () => {
  // CPython 3.11 on this machine, median extra delay of a 0.2 ms sleep next to a spinning thread:
  // 5145 us at 5 ms, 1151 us at 1 ms, 251 us at 0.1 ms (see README).
  const convoy = program('convoy.py');
  const extraDelay = async (interval: number) => {
    // 9 rounds instead of 50 keep the test short; the median is as stable (virtual time is exact).
    const src = convoy
      .replace(/^INTERVAL = .*$/m, `INTERVAL = ${interval}`)
      .replace(/^ROUNDS = .*$/m, 'ROUNDS = 9');
    const r = await runProgram(src);
    return Number(r.output.trim());
  };
  it('grows with the switch interval: about one interval per return from I/O', {
    timeout: 60_000,
  }, async () => {
    const at5 = await extraDelay(0.005);
    const at1 = await extraDelay(0.001);
    const at01 = await extraDelay(0.0001);
    expect(at5).toBeGreaterThan(5000);
    expect(at5).toBeLessThan(5300);
    expect(at1).toBeGreaterThan(1000);
    expect(at1).toBeLessThan(1300);
    expect(at01).toBeGreaterThan(100);
    expect(at01).toBeLessThan(300);
  });
});

describe('virtual clock inside a step', () => {
  it('times code between two perf_counter() calls at 17 ns per countdown iteration', async () => {
    const r = await runProgram(
      'import time\nt = time.perf_counter()\nn = 10000\nwhile n > 0:\n    n -= 1\nprint(round((time.perf_counter() - t) * 1e6))\n',
    );
    expect(Number(r.output)).toBeGreaterThanOrEqual(169);
    expect(Number(r.output)).toBeLessThanOrEqual(172);
  });
});

describe('multiprocessing.Pool in the simulator', () => {
  it('computes real results in worker processes and overlaps their work', { timeout: 60_000 }, async () => {
    const src = program('pool.py');
    const r = await runProgram(src, { filename: 'pool.py' });
    expect(r.exception).toBeNull();
    const cpython = python3(src);
    const lines = r.output.split('\n');
    expect(lines[0]).toBe('[0, 0] [0, 1, 4, 9, 16, 25, 36, 49, 64, 81]');
    if (cpython !== undefined) expect(cpython.split('\n')[0]).toBe(lines[0]);
    // 2 x 8.5 ms of countdown in 2 processes: 12 ms start-up, then both chunks in parallel.
    const ratio = Number(/pool (\d+\.\d+)x/.exec(r.output)![1]);
    expect(ratio).toBeGreaterThan((12 + 8.5) / 17 - 0.02);
    expect(ratio).toBeLessThan((12 + 8.5) / 17 + 0.05);
    const workers = r.trace.threads.filter((t) => t.name.startsWith('ForkPoolWorker-'));
    expect(workers).toHaveLength(2);
    expect(new Set(workers.map((t) => t.group)).size).toBe(2);
    const main = r.trace.intervals.find((iv) => iv.thread === 1 && iv.detail === 'pool.map');
    expect(main?.state).toBe('blocked');
    assertTrace(r.trace);
  });
});

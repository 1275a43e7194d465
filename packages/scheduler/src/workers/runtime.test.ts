/**
 * WorkerRuntime with real workers (loaded from dist/: build first). No timing assertions: these
 * check correctness only, so they pass on a loaded machine.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkChromeTrace } from '../test-fixtures/check-chrome-trace.js';
import { assertTrace } from '../trace.js';
import { threadPrelude } from './prelude.js';
import { WorkerRuntime } from './runtime.js';

const SHARED_COUNTER = `import threading
lock = threading.Lock()
counter = 0
done = []
def work(n, tag):
    global counter
    for i in range(n):
        with lock:
            counter += 1
    done.append(tag)
ts = [threading.Thread(target=work, args=(3000, i)) for i in range(3)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print("counter", counter, sorted(done), threading.active_count())
`;

describe('WorkerRuntime (real workers)', () => {
  it('updates shared globals under the GIL and joins every thread', { timeout: 60_000 }, async () => {
    const r = await new WorkerRuntime({ switchIntervalMs: 0.5 }).run(SHARED_COUNTER);
    expect(r.exception).toBeNull();
    expect(r.output).toBe('counter 9000 [0, 1, 2] 1\n');
    expect(r.trace.runtime).toBe('workers');
    expect(r.trace.threads.map((t) => t.name)).toEqual([
      'MainThread',
      'Thread-1 (work)',
      'Thread-2 (work)',
      'Thread-3 (work)',
    ]);
    assertTrace(r.trace);
    checkChromeTrace(r.trace);
    // Every thread took the real GIL, and bytecode never ran in two threads at once.
    for (const th of r.trace.threads)
      expect(r.stats.threads.find((t) => t.id === th.id)!.takes).toBeGreaterThan(0);
    const running = r.trace.intervals
      .filter((iv) => iv.state === 'running')
      .sort((a, b) => a.start - b.start);
    // Timestamps come from each worker's clock (timeOrigin + now): allow 50 us of skew between them.
    for (let i = 1; i < running.length; i++)
      expect(running[i].start).toBeGreaterThanOrEqual(running[i - 1].end - 50);
    expect(r.gilStats?.ownerDeaths).toBe(0);
  });

  it('lets a thread spinning on a global see the update another thread made under the GIL', {
    timeout: 60_000,
  }, async () => {
    const src = `import threading
ready = 0
def arrive():
    global ready
    ready += 1
    while ready < 2:
        pass
ts = [threading.Thread(target=arrive) for _ in range(2)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print("both arrived", ready)
`;
    const r = await new WorkerRuntime({ switchIntervalMs: 1, timeoutMs: 30_000 }).run(src);
    expect(r.output).toBe('both arrived 2\n');
  });

  it('runs a producer/consumer on a shared Condition', { timeout: 60_000 }, async () => {
    const src = readFileSync(new URL('../test-fixtures/programs/condition.py', import.meta.url), 'utf8');
    const r = await new WorkerRuntime({ timeoutMs: 30_000 }).run(src);
    expect(r.exception).toBeNull();
    expect(r.output).toBe('consumed [50] left []\n');
  });

  it('reports exceptions in threads and in the main thread like CPython', { timeout: 60_000 }, async () => {
    const src = `import threading\ndef bad():\n    raise ValueError("boom")\nt = threading.Thread(target=bad)\nt.start()\nt.join()\nprint("after")\n{}["k"]\n`;
    const r = await new WorkerRuntime({ filename: 'prog.py' }).run(src);
    expect(r.stderr).toMatch(
      /^Exception in thread Thread-1 \(bad\):\nTraceback \(most recent call last\):\n/,
    );
    expect(r.stderr).toContain('ValueError: boom\n');
    expect(r.output).toBe('after\n');
    expect(r.exception?.type).toBe('KeyError');
  });

  it.each(['exit', 'throw'] as const)(
    'fails the join of a crashed thread and recovers the GIL it held (%s)',
    {
      timeout: 60_000,
    },
    async (how) => {
      const src = `import threading
def spin(n):
    while n > 0:
        n -= 1
t = threading.Thread(target=spin, args=(100000000,))
t.start()
u = threading.Thread(target=spin, args=(1000,))
u.start()
u.join()
print("u joined")
try:
    t.join()
    print("joined")
except Exception as e:
    print("join failed:", "crashed" in str(e))
`;
      const r = await new WorkerRuntime({
        crashThread: { name: 'Thread-1 (spin)', afterInstructions: 100_000, how },
      }).run(src);
      // The main thread got the GIL back after the crash (otherwise it would never print).
      expect(r.output).toBe('u joined\njoin failed: True\n');
      expect(r.exception).toBeNull();
      expect(r.gilStats?.ownerDeaths).toBe(1);
    },
  );

  it('stops on an AbortSignal: every worker is terminated, run() rejects with the reason', {
    timeout: 60_000,
  }, async () => {
    const src = `import threading
def spin():
    while True:
        pass
t = threading.Thread(target=spin)
t.start()
print("started", flush=True)
spin()
`;
    const ac = new AbortController();
    const run = new WorkerRuntime({
      signal: ac.signal,
      stdout: (text) => {
        if (text.includes('started')) ac.abort(new Error('stopped by the test'));
      },
    }).run(src);
    await expect(run).rejects.toThrow('stopped by the test');
  });

  it('runs threads without a GIL under free-threaded', { timeout: 60_000 }, async () => {
    const src = `import threading, sys\ndef f(n):\n    while n > 0:\n        n -= 1\nts = [threading.Thread(target=f, args=(1000,)) for _ in range(2)]\nfor t in ts:\n    t.start()\nfor t in ts:\n    t.join()\nprint(sys._is_gil_enabled())\n`;
    const r = await new WorkerRuntime({ policy: 'free-threaded' }).run(src);
    expect(r.output).toBe('False\n');
    expect(r.stats.takes).toBe(0);
  });
});

describe('threadPrelude', () => {
  it('keeps defs, imports and module-level primitives on their lines, blanks the rest', () => {
    const src =
      'import threading\nx = 1\nlock = threading.Lock()\ndef f(a):\n    return a + x\n\nprint(f(1))\n';
    expect(threadPrelude(src)).toBe(
      'import threading\n\nlock = threading.Lock()\ndef f(a):\n    return a + x\n\n\n',
    );
  });
});

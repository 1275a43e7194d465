/**
 * Kept workers (platform-node.ts): a thread's worker is parked when its thread ends cleanly and the
 * next thread of any run takes it. Real workers, loaded from dist/ (build first); no timing here.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { closeIdleWorkers, WorkerRuntime, workerPoolStats } from './runtime.js';

/**
 * `threads` threads plus one running a lambda: workers hand each other function objects, so every
 * worker of a run must map code ids as the others do, whatever it ran before.
 */
const program = (tag: string, fns: number, threads = 3) => {
  const defs = Array.from({ length: fns }, (_, i) => `def f${i}(x):\n    return x + ${i}\n`).join('');
  return `import threading
${defs}
out = []
lock = threading.Lock()
def work(g, k):
    with lock:
        out.append(g(k))
ts = [threading.Thread(target=work, args=(f${fns - 1}, i)) for i in range(${threads})]
ts.append(threading.Thread(target=work, args=(lambda x: x * 10, 7)))
for t in ts:
    t.start()
for t in ts:
    t.join()
print("${tag}", sorted(out))
`;
};
const expected = (tag: string, fns: number, threads = 3) =>
  `${tag} [${Array.from({ length: threads }, (_, i) => i + fns - 1)
    .concat(70)
    .sort((a, b) => a - b)
    .join(', ')}]\n`;

describe('WorkerRuntime worker reuse (real workers)', () => {
  beforeEach(async () => {
    await closeIdleWorkers();
  });

  it('runs the next program on the parked workers, code ids and all', { timeout: 60_000 }, async () => {
    // Main thread + 1 + the lambda's thread: 3 workers, each with its code table of this program.
    const first = await new WorkerRuntime().run(program('first', 1, 1));
    expect(first.exception).toBeNull();
    expect(first.output).toBe(expected('first', 1, 1));
    expect(workerPoolStats().idle).toBe(3);
    // 5 workers: the 3 parked ones (which ran another program) and 2 new ones.
    let created = workerPoolStats().created;
    const second = await new WorkerRuntime().run(program('second', 4));
    expect(second.output).toBe(expected('second', 4));
    expect(workerPoolStats().created - created).toBe(2);
    expect(workerPoolStats().idle).toBe(5);
    created = workerPoolStats().created;
    // Different programs (more code objects) under both kinds of heap sharing, on the same workers.
    for (const [i, policy] of (['cpython', 'free-threaded', 'fifo'] as const).entries()) {
      const r = await new WorkerRuntime({ policy }).run(program(`run${i}`, 3 + i * 4));
      expect(r.exception).toBeNull();
      expect(r.output).toBe(expected(`run${i}`, 3 + i * 4));
    }
    expect(workerPoolStats().created).toBe(created);
    expect(workerPoolStats().idle).toBe(5);
    await closeIdleWorkers();
    expect(workerPoolStats().idle).toBe(0);
  });

  it('never parks a worker that crashed or was stopped', { timeout: 60_000 }, async () => {
    const src = `import threading
def spin():
    n = 0
    while True:
        n += 1
t = threading.Thread(target=spin, name="victim")
t.start()
try:
    t.join()
except Exception as e:
    print("join failed")
`;
    const r = await new WorkerRuntime({ crashThread: { name: 'victim', afterInstructions: 2000 } }).run(src);
    expect(r.output).toBe('join failed\n');
    // The main thread's worker is parked; the crashed one is gone.
    expect(workerPoolStats().idle).toBe(1);

    const ac = new AbortController();
    const running = new WorkerRuntime({ signal: ac.signal }).run(src);
    setTimeout(() => ac.abort(new Error('stop')), 300);
    await expect(running).rejects.toThrow('stop');
    // The run took the parked worker and was terminated: nothing left to reuse.
    expect(workerPoolStats().idle).toBe(0);

    const after = await new WorkerRuntime().run(program('after', 2));
    expect(after.output).toBe(expected('after', 2));
  });

  it('starts a worker per thread and keeps none with reuseWorkers: false', { timeout: 60_000 }, async () => {
    const before = workerPoolStats().created;
    const r = await new WorkerRuntime({ reuseWorkers: false }).run(program('fresh', 2));
    expect(r.output).toBe(expected('fresh', 2));
    expect(workerPoolStats().created - before).toBe(5);
    expect(workerPoolStats().idle).toBe(0);
  });
});

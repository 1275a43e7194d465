/**
 * The Web Worker platform outside a browser. Real runs on real threads use a browser-shaped Worker
 * built on worker_threads (test-fixtures/web-worker-shim.ts) running the unchanged Web Worker entry;
 * the playground's end-to-end test runs it in Chromium, cross-origin isolated.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { RuntimeUnavailableError } from '../errors.js';
import { ShimWorker } from '../test-fixtures/web-worker-shim.js';
import { closeIdleWorkers, webPlatform, webWorkersUnavailable } from './platform-web.js';
import { WorkerRuntimeCore } from './runtime-core.js';

const g = globalThis as { crossOriginIsolated?: boolean; Worker?: unknown };

afterEach(() => {
  delete g.crossOriginIsolated;
  delete g.Worker;
});

describe('web platform', () => {
  it('refuses to run in a page that is not cross-origin isolated, with RuntimeUnavailableError', async () => {
    g.crossOriginIsolated = false;
    expect(webWorkersUnavailable()).toMatch(/cross-origin isolated/);
    const run = new WorkerRuntimeCore({}, webPlatform).run('print(1)');
    await expect(run).rejects.toBeInstanceOf(RuntimeUnavailableError);
    await expect(run).rejects.toMatchObject({ code: 'ERR_GILKIT_RUNTIME_UNAVAILABLE' });
  });

  it('refuses where there is no Web Worker (Node has none)', () => {
    g.crossOriginIsolated = true;
    expect(webWorkersUnavailable()).toMatch(/Web Workers/);
    expect(() => webPlatform.check()).toThrow(RuntimeUnavailableError);
  });

  it('spawns module workers with the literal pattern bundlers rewrite (Vite, webpack)', () => {
    const built = readFileSync(new URL('../../dist/workers/platform-web.js', import.meta.url), 'utf8');
    expect(built).toContain("new Worker(new URL('./worker-web.js', import.meta.url), { type: 'module' })");
  });
});

describe('web platform on real threads (worker_threads dressed as Web Workers)', () => {
  it('runs threads under the GIL, keeps the workers for the next run, ends them on request', {
    timeout: 60_000,
  }, async () => {
    g.crossOriginIsolated = true;
    g.Worker = ShimWorker;
    await closeIdleWorkers();
    await expect.poll(() => ShimWorker.live).toBe(0);
    const created = ShimWorker.created;
    const src = `import threading
lock = threading.Lock()
counter = 0
def work(n):
    global counter
    for i in range(n):
        with lock:
            counter += 1
ts = [threading.Thread(target=work, args=(2000,)) for i in range(2)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print("counter", counter)
`;
    const r = await new WorkerRuntimeCore({ switchIntervalMs: 0.5, timeoutMs: 30_000 }, webPlatform).run(src);
    expect(r.output).toBe('counter 4000\n');
    expect(r.exception).toBeNull();
    expect(r.trace.threads).toHaveLength(3);
    expect(ShimWorker.created - created).toBe(3);
    // The second run (another program: other code ids) runs on the three parked workers.
    const again = await new WorkerRuntimeCore({ timeoutMs: 30_000 }, webPlatform).run(
      `def f(x):\n    return x * 2\n${src.replace('target=work', 'target=lambda n: work(f(n))')}`,
    );
    expect(again.output).toBe('counter 8000\n');
    expect(ShimWorker.created - created).toBe(3);
    expect(ShimWorker.live).toBe(3);
    await closeIdleWorkers();
    await expect.poll(() => ShimWorker.live).toBe(0);
    // Not kept: every worker ends with its thread.
    const fresh = await new WorkerRuntimeCore({ reuseWorkers: false, timeoutMs: 30_000 }, webPlatform).run(
      src,
    );
    expect(fresh.output).toBe('counter 4000\n');
    await expect.poll(() => ShimWorker.live).toBe(0);
  });

  it('fails the join of a thread whose worker threw, and recovers the GIL it held', {
    timeout: 60_000,
  }, async () => {
    g.crossOriginIsolated = true;
    g.Worker = ShimWorker;
    const src = `import threading
def spin(n):
    while n > 0:
        n -= 1
t = threading.Thread(target=spin, args=(100000000,))
t.start()
try:
    t.join()
    print("joined")
except Exception as e:
    print("join failed:", "crashed" in str(e))
`;
    const r = await new WorkerRuntimeCore(
      {
        crashThread: { name: 'Thread-1 (spin)', afterInstructions: 100_000, how: 'throw' },
        timeoutMs: 30_000,
      },
      webPlatform,
    ).run(src);
    // stderr and the main thread's exception in the message: they say why a run went wrong.
    expect(r.output, `${r.stderr} ${JSON.stringify(r.exception)}`).toBe('join failed: True\n');
    expect(r.stderr).toContain('Fatal error in thread Thread-1 (spin): ');
    expect(r.gilStats?.ownerDeaths).toBe(1);
    // The crashed worker is gone; the main thread's is parked.
    await expect.poll(() => ShimWorker.live).toBe(1);
    await closeIdleWorkers();
    await expect.poll(() => ShimWorker.live).toBe(0);
  });
});

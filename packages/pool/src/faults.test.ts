import { describe, expect, it } from 'vitest';
import { PoolTerminatedError, WorkerLostError } from './index.js';
import { fx, range, rejection, withPool } from './test-fixtures/helpers.js';

/** Shared run counters, one per item, filled in by the workers (see tasks.mjs). */
function counters(n: number): { buffer: SharedArrayBuffer; runs: Int32Array } {
  const buffer = new SharedArrayBuffer(4 * n);
  return { buffer, runs: new Int32Array(buffer) };
}

describe('a worker that dies mid-task (process.exit)', () => {
  it('map: fails only the chunk it was running, with a WorkerLostError naming it; the rest completes; nothing runs twice', async () => {
    const { buffer, runs } = counters(1000);
    await withPool(
      async (pool) => {
        let completed = 0;
        const error = await rejection<WorkerLostError>(
          pool.map(fx('countedExitOn500'), range(1000), {
            chunksize: 10,
            onProgress: (p) => {
              completed = p.completed;
            },
          }),
        );
        expect(error).toBeInstanceOf(WorkerLostError);
        expect(error.message).toMatch(/while running map item 500; lost: map items 500\.\.509/);
        expect(error.items).toEqual(range(10, 500));
        expect(error.exitCode).toBe(3);
        expect(completed).toBe(1000);
        // Items 500..509 were in the lost chunk: 500 ran once (and killed the worker), 501..509 never
        // ran. Every other item ran exactly once, although the worker held queued work when it died.
        expect(runs[500]).toBe(1);
        for (let x = 501; x < 510; x++) expect(runs[x]).toBe(0);
        for (let x = 0; x < 1000; x++) if (x < 500 || x >= 510) expect(runs[x], `item ${x}`).toBe(1);
        // The worker was replaced: the pool keeps serving with 2 workers.
        expect(await pool.map(fx('square'), range(100))).toEqual(range(100).map((x) => x * x));
      },
      { initializer: fx('initCounters'), initargs: [buffer] },
    );
  });

  it('applyAsync: exactly the task that killed its worker fails; every other task succeeds once', async () => {
    const { buffer, runs } = counters(1000);
    await withPool(
      async (pool) => {
        const results = range(1000).map((x) => pool.applyAsync<number>(fx('countedExitOn500'), [x]));
        await Promise.all(results.map((r) => r.wait()));
        const failed = results.flatMap((r, x) => (r.successful() ? [] : [x]));
        expect(failed).toEqual([500]);
        const error = await rejection<WorkerLostError>(results[500]!.get());
        expect(error).toBeInstanceOf(WorkerLostError);
        expect(error.items).toEqual([0]);
        expect(error.message).toMatch(/applyAsync item 0/);
        expect(Array.from(runs)).toEqual(range(1000).map(() => 1));
      },
      { initializer: fx('initCounters'), initargs: [buffer] },
    );
  });

  it('imapUnordered keeps yielding the other results until it reaches the lost one', async () => {
    await withPool(async (pool) => {
      const seen = new Set<number>();
      const run = async () => {
        for await (const value of pool.imapUnordered<number>(fx('exitOn500'), range(1000))) seen.add(value);
      };
      await expect(run()).rejects.toThrow(WorkerLostError);
      expect(seen.has(500 * 500)).toBe(false);
    });
  });

  it('a worker that exits on every task does not hang the pool', async () => {
    await withPool(async (pool) => {
      const errors = await Promise.all(
        range(6).map(() => rejection<WorkerLostError>(pool.apply(fx('exitAlways')))),
      );
      expect(errors.every((e) => e instanceof WorkerLostError && e.exitCode === 7)).toBe(true);
      expect(await pool.apply(fx('square'), [12])).toBe(144);
    });
  });

  it('a worker that exceeds resourceLimits fails its task with WorkerLostError and is replaced', async () => {
    await withPool(
      async (pool) => {
        const error = await rejection<WorkerLostError>(pool.apply(fx('exhaustMemory')));
        expect(error).toBeInstanceOf(WorkerLostError);
        expect(String((error.cause as Error & { code?: string }).code)).toBe('ERR_WORKER_OUT_OF_MEMORY');
        expect(await pool.apply(fx('square'), [3])).toBe(9);
      },
      { resourceLimits: { maxOldGenerationSizeMb: 24, maxYoungGenerationSizeMb: 8 } },
    );
  });
});

describe('maxTasksPerChild', () => {
  it('replaces a worker after it completed that many chunks; results stay complete and ordered', async () => {
    await withPool(
      async (pool) => {
        const pairs = await pool.map<[number, number]>(fx('countCalls'), range(40), { chunksize: 1 });
        expect(pairs.length).toBe(40);
        const perWorker = new Map<number, number>();
        for (const [threadId] of pairs) perWorker.set(threadId, (perWorker.get(threadId) ?? 0) + 1);
        // Each worker ran at most 3 chunks, so at least 40 / 3 workers took part.
        expect(Math.max(...perWorker.values())).toBeLessThanOrEqual(3);
        expect(perWorker.size).toBeGreaterThanOrEqual(14);
        expect(pairs.every(([, count]) => count <= 3)).toBe(true);
      },
      { maxTasksPerChild: 3 },
    );
  });
});

describe('terminate()', () => {
  it('rejects a pending map promptly with PoolTerminatedError, even with a task that never returns', async () => {
    await withPool(async (pool) => {
      // Observe the outcomes from the start, so the rejections are never unhandled.
      const pending = rejection(pool.map(fx('spinForever'), range(4), { chunksize: 1 }));
      const imap = pool.imap(fx('spinForever'), range(4));
      const next = rejection(imap.next());
      await new Promise((resolve) => setTimeout(resolve, 50));
      await pool.terminate();
      expect(await pending).toBeInstanceOf(PoolTerminatedError);
      expect(await next).toBeInstanceOf(PoolTerminatedError);
      await expect(pool.join()).resolves.toBeUndefined();
      await expect(pool.map(fx('square'), [1])).rejects.toThrow('Pool not running');
    });
  });
});

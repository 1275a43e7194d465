import { describe, expect, it } from 'vitest';
import { PoolAbortError, PoolTimeoutError, WorkerLostError } from './index.js';
import { fx, range, withPool } from './test-fixtures/helpers.js';

describe('mixed faults under load (no hang, every call settles once, the pool keeps serving)', () => {
  it('aborts, worker deaths and normal calls interleaved', async () => {
    const buffer = new SharedArrayBuffer(4 * 3000);
    const runs = new Int32Array(buffer);
    await withPool(
      async (pool) => {
        const controllers = range(60).map(() => new AbortController());
        const calls = range(60).map((i) => {
          // Every 7th call has item 500, which kills its worker; all other items are distinct.
          const own = range(20, 1000 + i * 20);
          const items = i % 7 === 0 ? [...own.slice(0, 5), 500, ...own.slice(5)] : own;
          return pool
            .map<number>(fx('countedExitOn500'), items, { chunksize: 3, signal: controllers[i]!.signal })
            .then(
              (values) => ({ ok: true as const, values, items }),
              (error: unknown) => ({ ok: false as const, error, items }),
            );
        });
        // Abort every 5th call at slightly different moments.
        for (let i = 0; i < 60; i += 5) setTimeout(() => controllers[i]!.abort(), i % 3);
        const outcomes = await Promise.all(calls);
        for (const [i, outcome] of outcomes.entries()) {
          if (outcome.ok) {
            expect(outcome.values).toEqual(outcome.items.map((x) => x * x));
          } else if (i % 5 === 0) {
            expect(outcome.error instanceof PoolAbortError || outcome.error instanceof WorkerLostError).toBe(
              true,
            );
          } else {
            expect(i % 7).toBe(0);
            expect(outcome.error).toBeInstanceOf(WorkerLostError);
          }
        }
        // No item ran twice (item 500 is shared by the calls that kill a worker).
        runs[500] = 0;
        expect(Math.max(...runs)).toBeLessThanOrEqual(1);
        expect(await pool.map(fx('square'), range(100))).toEqual(range(100).map((x) => x * x));
      },
      { initializer: fx('initCounters'), initargs: [buffer] },
    );
  });

  it('recycling (maxTasksPerChild), a timeout and stealing together: every item runs once, in order', async () => {
    const buffer = new SharedArrayBuffer(4 * 1000);
    const runs = new Int32Array(buffer);
    await withPool(
      async (pool) => {
        // Item -1 spins until the timeout kills its worker; it counts at index 0.
        const spin = pool.applyAsync(fx('countedSpinOn'), [-1]);
        const mapped = pool.map<number>(fx('countedSpinOn'), range(400, 1), { chunksize: 1 });
        const applied = range(200, 500).map((x) => pool.applyAsync<number>(fx('countedSpinOn'), [x]));
        expect(await mapped).toEqual(range(400, 1).map((x) => x * x));
        expect(await Promise.all(applied.map((r) => r.get()))).toEqual(range(200, 500).map((x) => x * x));
        await expect(spin.get()).rejects.toThrow(PoolTimeoutError);
        expect(runs[0]).toBe(1);
        const ranOnce = (x: number) => runs[x] === 1;
        expect(range(400, 1).every(ranOnce)).toBe(true);
        expect(range(200, 500).every(ranOnce)).toBe(true);
        expect(runs.slice(401, 500).every((n) => n === 0)).toBe(true);
      },
      { maxTasksPerChild: 25, taskTimeoutMs: 300, initializer: fx('initCounters'), initargs: [buffer] },
    );
  });
});

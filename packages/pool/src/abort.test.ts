import { describe, expect, it } from 'vitest';
import { Pool, PoolAbortError, PoolTerminatedError, PoolTimeoutError } from './index.js';
import { fx, range, rejection, withPool } from './test-fixtures/helpers.js';

describe('per-call AbortSignal', () => {
  it('aborting a running task rejects the call with PoolAbortError (cause: the reason); its worker is replaced', async () => {
    await withPool(async (pool) => {
      const controller = new AbortController();
      const pending = rejection(pool.apply(fx('spinForever'), [], { signal: controller.signal }));
      setTimeout(() => controller.abort(new Error('user gave up')), 50);
      const error = await pending;
      expect(error).toBeInstanceOf(PoolAbortError);
      expect((error.cause as Error).message).toBe('user gave up');
      // Both workers serve again (the spinning one was terminated and replaced).
      expect(await pool.map(fx('square'), range(100), { chunksize: 1 })).toEqual(
        range(100).map((x) => x * x),
      );
    });
  });

  it('an already aborted signal rejects at once and nothing runs', async () => {
    const buffer = new SharedArrayBuffer(4 * 10);
    const runs = new Int32Array(buffer);
    await withPool(
      async (pool) => {
        const signal = AbortSignal.abort();
        await expect(pool.map(fx('countedSpinOn'), [1, 2, 3], { signal })).rejects.toThrow(PoolAbortError);
        expect(() => pool.applyAsync(fx('countedSpinOn'), [1], { signal })).not.toThrow();
        expect(await pool.map(fx('countedSpinOn'), [5])).toEqual([25]);
        expect(Array.from(runs)).toEqual([0, 0, 0, 0, 0, 1, 0, 0, 0, 0]);
      },
      { initializer: fx('initCounters'), initargs: [buffer] },
    );
  });

  it('aborting a map drops its queued chunks; other calls are unaffected', async () => {
    const buffer = new SharedArrayBuffer(4 * 1000);
    const runs = new Int32Array(buffer);
    await withPool(
      async (pool) => {
        const controller = new AbortController();
        // Two spinning items occupy both workers; the other 998 items wait behind them.
        const items = [-1, -1, ...range(998, 2)];
        const aborted = pool.map(fx('countedSpinOn'), items, { chunksize: 1, signal: controller.signal });
        const outcome = rejection(aborted);
        await new Promise((resolve) => setTimeout(resolve, 50));
        controller.abort();
        expect(await outcome).toBeInstanceOf(PoolAbortError);
        const atAbort = Array.from(runs);
        expect(await pool.map(fx('square'), range(50))).toEqual(range(50).map((x) => x * x));
        await new Promise((resolve) => setTimeout(resolve, 50));
        // Nothing of the aborted call ran after the abort, nothing ran twice, and the items queued
        // behind the spinning ones were dropped (the spinning ones were counted at index 0).
        expect(Array.from(runs)).toEqual(atAbort);
        expect(runs.slice(2).every((n) => n <= 1)).toBe(true);
        expect(runs.slice(2).some((n) => n === 0)).toBe(true);
      },
      { initializer: fx('initCounters'), initargs: [buffer] },
    );
  });
});

describe('one AbortSignal shared by many calls', () => {
  it('aborts them all with one listener (no MaxListenersExceededWarning)', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    try {
      await withPool(async (pool) => {
        const controller = new AbortController();
        const results = range(1000).map((x) =>
          pool.applyAsync(fx('blockMs'), [x === 0 ? 200 : 1], { signal: controller.signal }),
        );
        setTimeout(() => controller.abort(), 20);
        await Promise.all(results.map((r) => r.wait()));
        const aborted = results.filter((r) => !r.successful());
        expect(aborted.length).toBeGreaterThan(0);
        for (const r of aborted) expect(await rejection(r.get())).toBeInstanceOf(PoolAbortError);
        expect(await pool.apply(fx('square'), [6])).toBe(36);
      });
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });
});

describe('per-call AbortSignal on imap', () => {
  it('aborting while iterating makes the next step throw PoolAbortError', async () => {
    await withPool(async (pool) => {
      const controller = new AbortController();
      const seen: unknown[] = [];
      const run = async () => {
        for await (const value of pool.imap(fx('square'), range(1_000_000), { signal: controller.signal })) {
          seen.push(value);
          if (seen.length === 100) controller.abort();
        }
      };
      expect(await rejection(run())).toBeInstanceOf(PoolAbortError);
      expect(seen.length).toBe(100);
      expect(await pool.apply(fx('square'), [4])).toBe(16);
    });
  });
});

describe('taskTimeoutMs', () => {
  it('an item running too long fails its chunk with PoolTimeoutError; the other chunks complete', async () => {
    const buffer = new SharedArrayBuffer(4 * 100);
    const runs = new Int32Array(buffer);
    await withPool(
      async (pool) => {
        const results = [5, -1, 7, 8].map((x) => pool.applyAsync<number>(fx('countedSpinOn'), [x]));
        await Promise.all(results.map((r) => r.wait()));
        expect(results.map((r) => r.successful())).toEqual([true, false, true, true]);
        const error = await rejection<Error>(results[1]!.get());
        expect(error).toBeInstanceOf(PoolTimeoutError);
        expect(error.message).toMatch(/applyAsync item 0 ran longer than taskTimeoutMs \(150 ms\)/);
        expect(runs[5]).toBe(1);
        expect(runs[7]).toBe(1);
        // Slow but finite items are not killed.
        expect(await pool.map(fx('blockMs'), [20, 20, 20])).toEqual([20, 20, 20]);
      },
      { taskTimeoutMs: 150, initializer: fx('initCounters'), initargs: [buffer] },
    );
  });

  it('the timeout applies per item, not per chunk', async () => {
    await withPool(
      async (pool) => {
        // 8 items of 40 ms in one chunk: 320 ms per chunk, each item well under 150 ms.
        expect(
          await pool.map(
            fx('blockMs'),
            range(8).map(() => 40),
            { chunksize: 8 },
          ),
        ).toEqual(range(8).map(() => 40));
      },
      { taskTimeoutMs: 150 },
    );
  });
});

describe('the pool’s own signal', () => {
  it('terminates the pool', async () => {
    const controller = new AbortController();
    const pool = new Pool({ processes: 2, signal: controller.signal });
    try {
      const pending = rejection(pool.apply(fx('spinForever')));
      controller.abort();
      expect(await pending).toBeInstanceOf(PoolTerminatedError);
      expect(pool.state).toBe('TERMINATE');
    } finally {
      await pool.terminate();
    }
  });
});

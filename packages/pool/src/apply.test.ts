import { describe, expect, it } from 'vitest';
import { AsyncResult, PoolTimeoutError, PoolTypeError, PoolValueError } from './index.js';
import { fx, range, withPool } from './test-fixtures/helpers.js';

describe('apply and applyAsync', () => {
  it('apply resolves with the function’s result', async () => {
    expect(await withPool((pool) => pool.apply(fx('add'), [2, 40]))).toBe(42);
  });

  it('applyAsync returns every one of 10,000 results, each in its own AsyncResult', async () => {
    await withPool(async (pool) => {
      const results = range(10_000).map((x) => pool.applyAsync<number>(fx('square'), [x]));
      expect(results[0]).toBeInstanceOf(AsyncResult);
      const values = await Promise.all(results.map((r) => r.get()));
      expect(values).toEqual(range(10_000).map((x) => x * x));
      expect(results.every((r) => r.ready() && r.successful())).toBe(true);
    });
  });

  it('AsyncResult: ready, successful, wait and get with timeoutMs', async () => {
    await withPool(async (pool) => {
      const slow = pool.applyAsync(fx('blockMs'), [400]);
      expect(slow.ready()).toBe(false);
      expect(() => slow.successful()).toThrow(PoolValueError);
      await expect(slow.get({ timeoutMs: 10 })).rejects.toThrow(PoolTimeoutError);
      await slow.wait({ timeoutMs: 10 });
      expect(slow.ready()).toBe(false);
      await slow.wait();
      expect(slow.ready()).toBe(true);
      expect(await slow.get({ timeoutMs: 0 })).toBe(400);
    });
  });

  it('calls callback with the value and errorCallback with the error', async () => {
    await withPool(async (pool) => {
      const values: number[] = [];
      const errors: Error[] = [];
      const ok = pool.applyAsync<number>(fx('square'), [9], { callback: (v) => values.push(v) });
      const bad = pool.applyAsync(fx('failOn'), [3, 3], { errorCallback: (e) => errors.push(e) });
      await ok.wait();
      await bad.wait();
      expect(values).toEqual([81]);
      expect(errors.map((e) => e.message)).toEqual(['bad item 3']);
      expect(bad.successful()).toBe(false);
      await expect(bad.get()).rejects.toThrow(RangeError);
    });
  });

  it('throws on bad arguments at once', async () => {
    await withPool(async (pool) => {
      expect(() => pool.applyAsync(fx('square'), 3 as never)).toThrow(PoolTypeError);
      expect(() => pool.applyAsync(fx('square'), [1], { callback: 1 as never })).toThrow(/options\.callback/);
      await expect(pool.apply({ name: 'x' } as never, [])).rejects.toThrow(/task\.module/);
    });
  });
});

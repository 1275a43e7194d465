import { readFileSync } from 'node:fs';
import { Interpreter, PyError, PySyntaxError } from '@gilkit/vm';
import { describe, expect, it } from 'vitest';
import { RemoteTraceback } from './index.js';
import { range, rejection, withPool } from './test-fixtures/helpers.js';

const source = readFileSync(new URL('./test-fixtures/primes.py', import.meta.url), 'utf8');
const countPrimes = { source, name: 'count_primes' };

describe('MiniPy tasks ({ source, name })', () => {
  it('a pure-Python prime counter returns the same results as in-thread execution', async () => {
    const limits = range(24).map((i) => 200 + 97 * i);
    const local = new Interpreter();
    local.exec(source);
    const expected = limits.map((limit) => local.call('count_primes', limit));
    // Anchors from number theory: pi(200) = 46, pi(297) = 62, pi(394) = 77.
    expect(expected.slice(0, 3)).toEqual([46, 62, 77]);
    await withPool(async (pool) => {
      expect(await pool.map(countPrimes, limits)).toEqual(expected);
      expect(await pool.map(countPrimes, limits, { chunksize: 1 })).toEqual(expected);
      const unordered: unknown[] = [];
      for await (const n of pool.imapUnordered(countPrimes, limits)) unordered.push(n);
      expect(unordered.length).toBe(limits.length);
      expect(await pool.apply(countPrimes, [1000])).toBe(168);
    });
  });

  it('arguments and results cross as plain data (tuple -> array, dict -> Map)', async () => {
    await withPool(async (pool) => {
      const result = await pool.starmap({ source, name: 'describe' }, [[2, 3]]);
      expect(result).toEqual([
        new Map<string, unknown>([
          ['sum', 5],
          ['pair', [2, 3]],
          ['items', [2, 2]],
        ]),
      ]);
    });
  });

  it('each worker is its own process: module state lives per worker and persists across calls', async () => {
    await withPool(async (pool) => {
      const first = await pool.map<[number, number]>({ source, name: 'bump' }, range(20), { chunksize: 1 });
      const second = await pool.map<[number, number]>({ source, name: 'bump' }, range(20), { chunksize: 1 });
      const byWorker = new Map<number, number[]>();
      for (const [ident, count] of [...first, ...second])
        byWorker.set(ident, [...(byWorker.get(ident) ?? []), count]);
      let total = 0;
      for (const [ident, counts] of byWorker) {
        // Worker thread ids, not the main thread's; each worker counts 1, 2, 3, ... on its own.
        expect(ident).toBeGreaterThan(0);
        expect([...counts].sort((a, b) => a - b)).toEqual(range(counts.length, 1));
        total += counts.length;
      }
      expect(total).toBe(40);
    });
  });

  it("tasks run on the worker's own refcounted heap (sys.getrefcount counts real references)", async () => {
    const refs = {
      source:
        'import sys\n\ndef refs(n):\n    x = [n]\n    y = x\n    pair = (x, x)\n    return sys.getrefcount(x)\n',
      name: 'refs',
    };
    await withPool(async (pool) => {
      // x, y, the tuple's two slots and getrefcount's own argument: what CPython prints (5)
      expect(await pool.map(refs, [1, 2, 3, 4], { chunksize: 1 })).toEqual([5, 5, 5, 5]);
    });
  });

  it('a Python exception rejects with a PyError of the Python type and the Python traceback as cause', async () => {
    await withPool(async (pool) => {
      const error = await rejection<PyError>(pool.map({ source, name: 'check' }, [1, 2, -3, 4]));
      expect(error).toBeInstanceOf(PyError);
      expect(error.pyType).toBe('ValueError');
      expect(error.message).toBe('ValueError: negative: -3');
      expect(error.cause).toBeInstanceOf(RemoteTraceback);
      expect((error.cause as RemoteTraceback).message).toMatch(/line \d+, in check/);
    });
  });

  it('a syntax error in the source raises at the call; an unknown name fails with NameError', async () => {
    await withPool(async (pool) => {
      await expect(pool.map({ source: 'def f(:\n  pass\n', name: 'f' }, [1])).rejects.toThrow(PySyntaxError);
      const error = await rejection<PyError>(pool.apply({ source, name: 'nope' }, [1]));
      expect(error.pyType).toBe('NameError');
    });
  });
});

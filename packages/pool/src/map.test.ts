import { describe, expect, it } from 'vitest';
import { PoolTypeError, PoolValueError, type Progress } from './index.js';
import { fx, range, withPool } from './test-fixtures/helpers.js';

const N = 10_000;
const squares = range(N).map((x) => x * x);

describe('map', () => {
  it('returns every result in input order over 10,000 items, with the default chunksize', async () => {
    const progress: Progress[] = [];
    const result = await withPool((pool) =>
      pool.map<number>(fx('square'), range(N), { onProgress: (p) => progress.push(p) }),
    );
    expect(result).toEqual(squares);
    // ceil(10000 / (4 * 2)) = 1250 items per chunk: 8 chunks, one progress event each.
    expect(progress.length).toBe(8);
    expect(progress.every((p) => p.total === N && p.completed % 1250 === 0)).toBe(true);
    expect(progress.at(-1)).toEqual({ completed: N, total: N });
  });

  it('honours an explicit chunksize (progress per chunk) and accepts any iterable', async () => {
    let events = 0;
    const input = new Set(range(N));
    const result = await withPool((pool) =>
      pool.map<number>(fx('square'), input, { chunksize: 7, onProgress: () => events++ }),
    );
    expect(result).toEqual(squares);
    expect(events).toBe(Math.ceil(N / 7));
  });

  it('runs async task functions', async () => {
    expect(await withPool((pool) => pool.map(fx('asyncSquare'), range(50), { chunksize: 3 }))).toEqual(
      range(50).map((x) => x * x),
    );
  });

  it('takes a snapshot of the input at the call, as list(iterable) does', async () => {
    await withPool(async (pool) => {
      const input = range(1000);
      const pending = pool.map<number>(fx('square'), input, { chunksize: 10 });
      input.fill(-1);
      expect(await pending).toEqual(range(1000).map((x) => x * x));
    });
  });

  it('resolves an empty input with []', async () => {
    expect(await withPool((pool) => pool.map(fx('square'), []))).toEqual([]);
  });

  it('rejects bad arguments at once, before running anything', async () => {
    await withPool(async (pool) => {
      await expect(pool.map(fx('square'), 5 as never)).rejects.toThrow(PoolTypeError);
      await expect(pool.map(fx('square'), 5 as never)).rejects.toThrow(
        /iterable must be iterable, got number/,
      );
      await expect(pool.map(fx('square'), [1], { chunksize: 0 })).rejects.toThrow(PoolValueError);
      await expect(pool.map(fx('square'), [1], { chunksize: 0 })).rejects.toThrow(/options\.chunksize/);
      await expect(pool.map({ module: 'relative.js', name: 'f' }, [1])).rejects.toThrow(/task\.module/);
      await expect(pool.map(fx('square'), [1], { onProgress: 3 as never })).rejects.toThrow(
        /options\.onProgress/,
      );
    });
  });
});

describe('starmap and mapAsync', () => {
  it('starmap spreads argument lists, in order, over 10,000 items', async () => {
    const pairs = range(N).map((x) => [x, 2 * x]);
    expect(await withPool((pool) => pool.starmap(fx('add'), pairs))).toEqual(range(N).map((x) => 3 * x));
  });

  it('starmap rejects an item that is not an argument list', async () => {
    await withPool(async (pool) => {
      await expect(pool.starmap(fx('add'), [[1, 2], 3 as never])).rejects.toThrow(/item 1 must be an array/);
    });
  });

  it('mapAsync and starmapAsync return AsyncResults and call back', async () => {
    await withPool(async (pool) => {
      let called: number[] | undefined;
      const result = pool.mapAsync<number>(fx('square'), range(N), { callback: (v) => (called = v) });
      expect(await result.get()).toEqual(squares);
      expect(called).toEqual(squares);
      expect(result.successful()).toBe(true);
      const star = pool.starmapAsync<number>(fx('add'), [
        [1, 2],
        [3, 4],
      ]);
      expect(await star.get()).toEqual([3, 7]);
    });
  });
});

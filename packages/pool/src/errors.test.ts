import { describe, expect, it } from 'vitest';
import { BrokenPoolError, Pool, PoolValueError, RemoteTraceback } from './index.js';
import { fx, range, rejection, withPool } from './test-fixtures/helpers.js';

describe('errors thrown by tasks', () => {
  it('reject with the original class, message and code, and the remote stack as cause', async () => {
    await withPool(async (pool) => {
      const error = await rejection<Error>(pool.apply(fx('failOn13'), [13]));
      expect(error).toBeInstanceOf(Error);
      expect(error.message).toBe('item 13 exploded');
      expect((error as Error & { code?: string }).code).toBe('E_EXPLODED');
      expect(error.cause).toBeInstanceOf(RemoteTraceback);
      const remote = (error.cause as RemoteTraceback).message;
      // The remote stack names the function that threw, inside the fixture module.
      expect(remote).toMatch(/at explode \(.*tasks\.mjs/);
      expect(remote).toMatch(/at failOn13 /);
      const ranged = await rejection(pool.apply(fx('failOn'), [1, 1]));
      expect(ranged).toBeInstanceOf(RangeError);
    });
  });

  it('map rejects with the first failed position, only after every chunk has settled', async () => {
    await withPool(async (pool) => {
      let completed = 0;
      const error = await rejection<Error>(
        pool.map(fx('failOnSome'), range(10_000), {
          chunksize: 10,
          onProgress: (p) => {
            completed = p.completed;
          },
        }),
      );
      expect(error).toBeInstanceOf(RangeError);
      expect((error as Error).message).toBe('bad item 777');
      expect(completed).toBe(10_000);
    });
  });

  it('a missing export fails every item with a TypeError naming it', async () => {
    await withPool(async (pool) => {
      await expect(pool.map(fx('noSuchFunction'), [1, 2])).rejects.toThrow(
        /'noSuchFunction' is not a function/,
      );
    });
  });

  it('a result that cannot be cloned fails its item instead of losing the chunk', async () => {
    await withPool(async (pool) => {
      await expect(pool.apply(fx('returnsFunction'))).rejects.toThrow(/could not be cloned/);
      expect(await pool.apply(fx('square'), [3])).toBe(9);
    });
  });
});

describe('pool state', () => {
  it('calls after close() raise ValueError "Pool not running"; join() waits for work', async () => {
    const pool = new Pool({ processes: 2 });
    try {
      const pending = pool.map(fx('square'), range(1000));
      await expect(pool.join()).rejects.toThrow('Pool is still running');
      pool.close();
      expect(pool.state).toBe('CLOSE');
      await expect(pool.map(fx('square'), [1])).rejects.toThrow(PoolValueError);
      await expect(pool.apply(fx('square'), [1])).rejects.toThrow('Pool not running');
      expect(() => pool.imap(fx('square'), [1])).toThrow('Pool not running');
      expect(() => pool.applyAsync(fx('square'), [1])).toThrow('Pool not running');
      await pool.join();
      expect((await pending).length).toBe(1000);
    } finally {
      await pool.terminate();
    }
  });

  it('await using terminates the pool on scope exit', async () => {
    let escaped: Pool;
    {
      await using pool = new Pool({ processes: 2 });
      escaped = pool;
      expect(await pool.apply(fx('square'), [5])).toBe(25);
    }
    expect(escaped.state).toBe('TERMINATE');
    await expect(escaped.apply(fx('square'), [5])).rejects.toThrow('Pool not running');
  });
});

describe('initializer', () => {
  it('runs in every worker with initargs before tasks', async () => {
    const values = await withPool((pool) => pool.map(fx('getInit'), range(20), { chunksize: 1 }), {
      initializer: fx('init'),
      initargs: [{ answer: 42 }],
    });
    expect(values).toEqual(range(20).map(() => ({ answer: 42 })));
  });

  it('an initializer that throws breaks the pool: calls reject with BrokenPoolError, it does not respawn forever', async () => {
    const pool = new Pool({ processes: 2, initializer: fx('initFails') });
    try {
      const error = await rejection<Error>(pool.map(fx('square'), range(10)));
      expect(error).toBeInstanceOf(BrokenPoolError);
      expect(error.message).toMatch(/initializer raised TypeError: initializer refused/);
      expect(error.cause).toBeInstanceOf(TypeError);
      await expect(pool.apply(fx('square'), [1])).rejects.toThrow(BrokenPoolError);
      expect(pool.state).toBe('TERMINATE');
    } finally {
      await pool.terminate();
    }
  });
});
